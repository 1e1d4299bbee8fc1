#include "core/edit/tensorwrite.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace qs {
namespace {

using onnx::TensorProto;

// float32 -> IEEE half, round to nearest even (parameters only, so clarity over speed).
std::uint16_t floatToHalf(float f)
{
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const std::uint16_t sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    const float a = std::fabs(f);
    if (std::isnan(f))
        return static_cast<std::uint16_t>(sign | 0x7e00u);
    if (a >= 65520.0f)
        return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (a < 6.103515625e-05f) { // subnormal half: multiples of 2^-24
        const float q = std::nearbyint(a * 16777216.0f);
        return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(q));
    }
    int e;
    const float m = std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
    float mant = std::nearbyint((m * 2.0f - 1.0f) * 1024.0f);
    int exponent = e - 1 + 15;
    if (mant >= 1024.0f) {
        mant = 0;
        ++exponent;
    }
    if (exponent >= 31)
        return static_cast<std::uint16_t>(sign | 0x7c00u);
    return static_cast<std::uint16_t>(sign | (exponent << 10) | static_cast<std::uint16_t>(mant));
}

struct IntRange {
    double lo;
    double hi;
};

std::optional<IntRange> integerRange(int elemType)
{
    switch (elemType) {
    case TensorProto::INT8:
        return IntRange {-128, 127};
    case TensorProto::UINT8:
        return IntRange {0, 255};
    case TensorProto::INT16:
        return IntRange {-32768, 32767};
    case TensorProto::UINT16:
        return IntRange {0, 65535};
    case TensorProto::INT32:
        return IntRange {-2147483648.0, 2147483647.0};
    case TensorProto::UINT32:
        return IntRange {0, 4294967295.0};
    case TensorProto::INT64:
        return IntRange {-9223372036854775808.0, 9223372036854774784.0};
    case TensorProto::UINT64:
        return IntRange {0, 18446744073709549568.0};
    default:
        return std::nullopt;
    }
}

std::size_t elementBytes(int elemType)
{
    switch (elemType) {
    case TensorProto::INT8:
    case TensorProto::UINT8:
        return 1;
    case TensorProto::INT16:
    case TensorProto::UINT16:
    case TensorProto::FLOAT16:
        return 2;
    case TensorProto::INT32:
    case TensorProto::UINT32:
    case TensorProto::FLOAT:
        return 4;
    case TensorProto::INT64:
    case TensorProto::UINT64:
    case TensorProto::DOUBLE:
        return 8;
    default:
        return 0;
    }
}

// Little-endian bytes of one value (x86 and ARM hosts are little-endian, as ONNX raw_data).
void appendRaw(std::string& raw, double v, int elemType)
{
    auto put = [&raw](const auto& x) { raw.append(reinterpret_cast<const char*>(&x), sizeof(x)); };
    switch (elemType) {
    case TensorProto::FLOAT:
        put(static_cast<float>(v));
        break;
    case TensorProto::DOUBLE:
        put(v);
        break;
    case TensorProto::FLOAT16:
        put(floatToHalf(static_cast<float>(v)));
        break;
    case TensorProto::INT8:
        put(static_cast<std::int8_t>(v));
        break;
    case TensorProto::UINT8:
        put(static_cast<std::uint8_t>(v));
        break;
    case TensorProto::INT16:
        put(static_cast<std::int16_t>(v));
        break;
    case TensorProto::UINT16:
        put(static_cast<std::uint16_t>(v));
        break;
    case TensorProto::INT32:
        put(static_cast<std::int32_t>(v));
        break;
    case TensorProto::UINT32:
        put(static_cast<std::uint32_t>(v));
        break;
    case TensorProto::INT64:
        put(static_cast<std::int64_t>(v));
        break;
    case TensorProto::UINT64:
        put(static_cast<std::uint64_t>(v));
        break;
    default:
        break;
    }
}

void appendTyped(TensorProto& proto, double v, int elemType)
{
    switch (elemType) {
    case TensorProto::FLOAT:
        proto.add_float_data(static_cast<float>(v));
        break;
    case TensorProto::DOUBLE:
        proto.add_double_data(v);
        break;
    case TensorProto::FLOAT16:
        proto.add_int32_data(floatToHalf(static_cast<float>(v)));
        break;
    case TensorProto::INT64:
        proto.add_int64_data(static_cast<std::int64_t>(v));
        break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
        proto.add_uint64_data(static_cast<std::uint64_t>(v));
        break;
    default:
        proto.add_int32_data(static_cast<std::int32_t>(v));
        break;
    }
}

bool usesTypedFields(const TensorProto& p)
{
    return p.float_data_size() > 0 || p.double_data_size() > 0 || p.int32_data_size() > 0
        || p.int64_data_size() > 0 || p.uint64_data_size() > 0;
}

} // namespace

std::string formatValue(double v)
{
    char buffer[64];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
        if (std::strtod(buffer, nullptr) == v)
            break;
    }
    return buffer;
}

std::optional<std::string> representabilityProblem(double value, int elemType)
{
    if (std::isnan(value) || std::isinf(value))
        return std::string("is not a finite number");
    if (const auto range = integerRange(elemType)) {
        if (value != std::floor(value))
            return "is not an integer (the tensor is " + onnxTypeName(elemType) + ")";
        if (value < range->lo || value > range->hi)
            return "does not fit " + onnxTypeName(elemType);
        return std::nullopt;
    }
    if (elemType == TensorProto::FLOAT || elemType == TensorProto::FLOAT16) {
        const double stored = storedValue(value, elemType);
        if (std::isinf(stored))
            return "overflows " + onnxTypeName(elemType);
        if (stored == 0 && value != 0)
            return "underflows to 0 in " + onnxTypeName(elemType);
        return std::nullopt;
    }
    if (elemType == TensorProto::DOUBLE)
        return std::nullopt;
    return "cannot be written to a " + onnxTypeName(elemType) + " tensor";
}

double storedValue(double value, int elemType)
{
    if (elemType == TensorProto::FLOAT)
        return static_cast<float>(value);
    if (elemType == TensorProto::FLOAT16) {
        const std::uint16_t h = floatToHalf(static_cast<float>(value));
        TensorProto p;
        p.set_data_type(TensorProto::FLOAT16);
        p.add_dims(1);
        p.add_int32_data(h);
        return tensorFromProto(p, {}).at(0);
    }
    return value;
}

void writeTensorValues(
    onnx::TensorProto& proto, const std::vector<double>& values, const Shape& shape, const std::string& what)
{
    writeTensorValuesAs(proto, proto.data_type(), values, shape, what);
}

void writeTensorValuesAs(onnx::TensorProto& proto, int elemType, const std::vector<double>& values,
    const Shape& shape, const std::string& what)
{
    if (elementBytes(elemType) == 0)
        throw Error(what + " is stored as " + onnxTypeName(elemType) + ", which cannot be edited");
    if (elementCount(shape) != static_cast<std::int64_t>(values.size()))
        throw Error(what + ": " + std::to_string(values.size()) + " values do not fill shape "
            + shapeToString(shape));
    for (double v : values)
        if (const auto problem = representabilityProblem(v, elemType))
            throw Error(what + ": value " + formatValue(v) + " " + *problem);
    const bool typed = usesTypedFields(proto) && proto.data_location() != TensorProto::EXTERNAL;
    proto.clear_float_data();
    proto.clear_double_data();
    proto.clear_int32_data();
    proto.clear_int64_data();
    proto.clear_uint64_data();
    proto.clear_raw_data();
    proto.clear_external_data();
    proto.clear_data_location();
    proto.clear_dims();
    for (std::int64_t d : shape)
        proto.add_dims(d);
    proto.set_data_type(elemType);
    if (typed) {
        for (double v : values)
            appendTyped(proto, v, elemType);
        return;
    }
    std::string raw;
    raw.reserve(values.size() * elementBytes(elemType));
    for (double v : values)
        appendRaw(raw, v, elemType);
    proto.set_raw_data(std::move(raw));
}

} // namespace qs
