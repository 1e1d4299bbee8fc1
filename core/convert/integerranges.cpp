#include "core/convert/integerranges.h"

#include "core/util/error.h"

#include <cmath>
#include <cstring>
#include <onnx/onnx_pb.h>
#include <string>

namespace qs {

using onnx::TensorProto;

IntegerRange qonnxRange(int bits, bool isSigned, bool narrow)
{
    IntegerRange r {bits, isSigned, narrow, 0, 0};
    if (isSigned) {
        r.lo = -std::ldexp(1.0, bits - 1) + (narrow ? 1 : 0);
        r.hi = std::ldexp(1.0, bits - 1) - 1;
    } else {
        r.hi = std::ldexp(1.0, bits) - 1 - (narrow ? 1 : 0);
    }
    return r;
}

std::optional<IntegerRange> exactQonnxRange(double lo, double hi)
{
    for (int bits = 1; bits <= 32; ++bits)
        for (bool isSigned : {true, false})
            for (bool narrow : {false, true}) {
                if (isSigned && bits < 2) // signed 1-bit Quant is bipolar, never a [lo, hi] range
                    continue;
                const IntegerRange r = qonnxRange(bits, isSigned, narrow);
                if (r.lo == lo && r.hi == hi)
                    return r;
            }
    return std::nullopt;
}

std::optional<IntegerRange> enclosingQonnxRange(double lo, double hi)
{
    for (int bits = 1; bits <= 32; ++bits)
        for (bool isSigned : {false, true})
            for (bool narrow : {false, true}) {
                if (isSigned && bits < 2)
                    continue;
                const IntegerRange r = qonnxRange(bits, isSigned, narrow);
                if (r.lo <= lo && r.hi >= hi)
                    return r;
            }
    return std::nullopt;
}

std::optional<StorageType> storageType(int onnxType)
{
    switch (onnxType) {
    case TensorProto::INT8:
        return StorageType {onnxType, 8, true, -128, 127};
    case TensorProto::UINT8:
        return StorageType {onnxType, 8, false, 0, 255};
    case TensorProto::INT16:
        return StorageType {onnxType, 16, true, -32768, 32767};
    case TensorProto::UINT16:
        return StorageType {onnxType, 16, false, 0, 65535};
    case TensorProto::INT32:
        return StorageType {onnxType, 32, true, -2147483648.0, 2147483647.0};
    default:
        return std::nullopt;
    }
}

Tensor integerTensor(int onnxType, Shape shape, const std::vector<std::int64_t>& values)
{
    DType type = DType::Int64;
    switch (onnxType) {
    case TensorProto::INT8:
        type = DType::Int8;
        break;
    case TensorProto::UINT8:
        type = DType::UInt8;
        break;
    case TensorProto::INT16:
        type = DType::Int16;
        break;
    case TensorProto::INT32:
        type = DType::Int32;
        break;
    case TensorProto::INT64:
        break;
    default:
        throw Error("integerTensor: unsupported ONNX type " + std::to_string(onnxType));
    }
    return Tensor::fromInt64s(std::move(shape), values).cast(type);
}

std::string rangeText(const IntegerRange& range)
{
    auto n = [](double v) { return std::to_string(static_cast<long long>(v)); };
    return std::string(range.isSigned ? "signed " : "unsigned ") + (range.narrow ? "narrow " : "")
        + std::to_string(range.bits) + "-bit [" + n(range.lo) + ", " + n(range.hi) + "]";
}

} // namespace qs
