#include "core/model/tensordata.h"

#include "core/util/error.h"

#include <cstring>
#include <fstream>

namespace qs {
namespace {

using onnx::TensorProto;

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400u) == 0) {
                mantissa <<= 1;
                --exponent;
            }
            mantissa &= 0x3ffu;
            bits = sign | (exponent << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::size_t onnxElementBytes(int elemType)
{
    switch (elemType) {
    case TensorProto::FLOAT: return 4;
    case TensorProto::DOUBLE: return 8;
    case TensorProto::INT64: return 8;
    case TensorProto::UINT64: return 8;
    case TensorProto::INT32: return 4;
    case TensorProto::UINT32: return 4;
    case TensorProto::INT16: return 2;
    case TensorProto::UINT16: return 2;
    case TensorProto::FLOAT16: return 2;
    case TensorProto::INT8: return 1;
    case TensorProto::UINT8: return 1;
    case TensorProto::BOOL: return 1;
    default: return 0;
    }
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// Fills `out` from little-endian bytes of the ONNX element type.
void fromRawBytes(const char* bytes, int elemType, Tensor& out)
{
    const std::int64_t n = out.size();
    switch (elemType) {
    case TensorProto::FLOAT16: {
        float* dst = out.data<float>();
        for (std::int64_t i = 0; i < n; ++i) {
            std::uint16_t h;
            std::memcpy(&h, bytes + 2 * i, 2);
            dst[i] = halfToFloat(h);
        }
        return;
    }
    case TensorProto::UINT16: {
        auto* dst = out.data<std::int32_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            std::uint16_t v;
            std::memcpy(&v, bytes + 2 * i, 2);
            dst[i] = v;
        }
        return;
    }
    case TensorProto::UINT32: {
        auto* dst = out.data<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            std::uint32_t v;
            std::memcpy(&v, bytes + 4 * i, 4);
            dst[i] = v;
        }
        return;
    }
    case TensorProto::BOOL: {
        auto* dst = out.data<std::uint8_t>();
        for (std::int64_t i = 0; i < n; ++i)
            dst[i] = bytes[i] != 0;
        return;
    }
    default: // same layout as the DType (uint64 is reinterpreted as int64)
        if (out.byteSize() > 0)
            std::memcpy(out.rawData(), bytes, out.byteSize());
        return;
    }
}

template <class Field> void requireCount(const Field& field, std::int64_t expected, const TensorProto& proto,
                                         const char* fieldName)
{
    if (static_cast<std::int64_t>(field.size()) != expected)
        throw Error("initializer " + quoted(proto.name()) + " declares " + std::to_string(expected)
                    + " elements but its " + fieldName + " holds " + std::to_string(field.size()));
}

void fromTypedFields(const TensorProto& proto, Tensor& out)
{
    const std::int64_t n = out.size();
    const int type = proto.data_type();
    switch (type) {
    case TensorProto::FLOAT:
        requireCount(proto.float_data(), n, proto, "float_data");
        if (n > 0) // an empty repeated field has no buffer
            std::memcpy(out.rawData(), proto.float_data().data(), out.byteSize());
        return;
    case TensorProto::DOUBLE:
        requireCount(proto.double_data(), n, proto, "double_data");
        if (n > 0)
            std::memcpy(out.rawData(), proto.double_data().data(), out.byteSize());
        return;
    case TensorProto::INT64:
        requireCount(proto.int64_data(), n, proto, "int64_data");
        if (n > 0)
            std::memcpy(out.rawData(), proto.int64_data().data(), out.byteSize());
        return;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
        requireCount(proto.uint64_data(), n, proto, "uint64_data");
        for (std::int64_t i = 0; i < n; ++i)
            out.data<std::int64_t>()[i] = static_cast<std::int64_t>(proto.uint64_data(static_cast<int>(i)));
        return;
    case TensorProto::FLOAT16:
        requireCount(proto.int32_data(), n, proto, "int32_data");
        for (std::int64_t i = 0; i < n; ++i)
            out.data<float>()[i] = halfToFloat(static_cast<std::uint16_t>(proto.int32_data(static_cast<int>(i))));
        return;
    default: { // int32, int16, int8, uint8, uint16, bool are all stored in int32_data
        requireCount(proto.int32_data(), n, proto, "int32_data");
        for (std::int64_t i = 0; i < n; ++i) {
            const std::int32_t v = proto.int32_data(static_cast<int>(i));
            switch (out.dtype()) {
            case DType::Int32: out.data<std::int32_t>()[i] = v; break;
            case DType::Int16: out.data<std::int16_t>()[i] = static_cast<std::int16_t>(v); break;
            case DType::Int8: out.data<std::int8_t>()[i] = static_cast<std::int8_t>(v); break;
            case DType::UInt8: out.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(v); break;
            case DType::Bool: out.data<std::uint8_t>()[i] = v != 0; break;
            default: break;
            }
        }
        return;
    }
    }
}

std::string readExternal(const TensorProto& proto, const std::filesystem::path& modelFolder, std::size_t expected,
                         const Limits& limits)
{
    std::string location;
    std::int64_t offset = 0;
    std::int64_t length = -1;
    for (const auto& entry : proto.external_data()) {
        try {
            if (entry.key() == "location")
                location = entry.value();
            else if (entry.key() == "offset")
                offset = std::stoll(entry.value());
            else if (entry.key() == "length")
                length = std::stoll(entry.value());
        } catch (const std::exception&) {
            throw Error("initializer " + quoted(proto.name()) + ": external data entry '" + entry.key()
                        + "' is not a number: '" + entry.value() + "'");
        }
    }
    if (location.empty())
        throw Error("initializer " + quoted(proto.name()) + " uses external data without a location");
    if (offset < 0 || (length >= 0 && static_cast<std::size_t>(length) != expected))
        throw Error("initializer " + quoted(proto.name()) + ": external data offset/length (" + std::to_string(offset)
                    + ", " + std::to_string(length) + ") do not match its " + std::to_string(expected) + " bytes");
    if (static_cast<std::int64_t>(expected) > limits.maxExternalDataBytes)
        throw Error("initializer " + quoted(proto.name()) + " needs more external data than the limit allows");
    const std::filesystem::path path = resolveExternalDataPath(location, modelFolder, proto.name());
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error("initializer " + quoted(proto.name()) + ": cannot open external data file " + path.string());
    file.seekg(0, std::ios::end);
    const std::int64_t fileSize = file.tellg();
    if (offset + static_cast<std::int64_t>(expected) > fileSize)
        throw Error("initializer " + quoted(proto.name()) + ": external data file " + path.filename().string()
                    + " is too short (" + std::to_string(fileSize) + " bytes, need "
                    + std::to_string(offset + static_cast<std::int64_t>(expected)) + ")");
    std::string bytes(expected, '\0');
    file.seekg(offset);
    file.read(bytes.data(), static_cast<std::streamsize>(expected));
    if (!file)
        throw Error("initializer " + quoted(proto.name()) + ": cannot read external data from " + path.string());
    return bytes;
}

} // namespace

std::size_t tensorByteSize(const onnx::TensorProto& proto)
{
    std::size_t count = 1;
    for (auto d : proto.dims())
        count *= static_cast<std::size_t>(d);
    return count * onnxElementBytes(proto.data_type());
}

DType dtypeFromOnnx(int elemType, const std::string& what)
{
    switch (elemType) {
    case TensorProto::FLOAT: return DType::Float32;
    case TensorProto::FLOAT16: return DType::Float32;
    case TensorProto::DOUBLE: return DType::Float64;
    case TensorProto::INT64: return DType::Int64;
    case TensorProto::UINT64: return DType::Int64;
    case TensorProto::UINT32: return DType::Int64;
    case TensorProto::INT32: return DType::Int32;
    case TensorProto::UINT16: return DType::Int32;
    case TensorProto::INT16: return DType::Int16;
    case TensorProto::INT8: return DType::Int8;
    case TensorProto::UINT8: return DType::UInt8;
    case TensorProto::BOOL: return DType::Bool;
    default: throw Error(what + " has unsupported element type " + onnxTypeName(elemType));
    }
}

int onnxTypeFromDType(DType type)
{
    switch (type) {
    case DType::Float32: return TensorProto::FLOAT;
    case DType::Float64: return TensorProto::DOUBLE;
    case DType::Int64: return TensorProto::INT64;
    case DType::Int32: return TensorProto::INT32;
    case DType::Int16: return TensorProto::INT16;
    case DType::Int8: return TensorProto::INT8;
    case DType::UInt8: return TensorProto::UINT8;
    case DType::Bool: return TensorProto::BOOL;
    }
    return TensorProto::UNDEFINED;
}

std::string onnxTypeName(int elemType)
{
    if (elemType == 0)
        return "UNDEFINED";
    if (TensorProto::DataType_IsValid(elemType))
        return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(elemType));
    return "TYPE_" + std::to_string(elemType);
}

std::filesystem::path resolveExternalDataPath(const std::string& location, const std::filesystem::path& modelFolder,
                                              const std::string& tensorName)
{
    const std::filesystem::path relative(location);
    if (relative.is_absolute() || location.find('\\') != std::string::npos)
        throw Error("initializer " + quoted(tensorName) + ": external data path '" + location
                    + "' is absolute; only files inside the model's folder are read");
    for (const auto& part : relative)
        if (part == "..")
            throw Error("initializer " + quoted(tensorName) + ": external data path '" + location
                        + "' leaves the model's folder ('..' is refused)");
    // Symbolic links must not lead outside the folder either.
    std::error_code ec;
    const auto folder = std::filesystem::weakly_canonical(modelFolder.empty() ? "." : modelFolder, ec);
    const auto full = std::filesystem::weakly_canonical(folder / relative, ec);
    const auto rel = full.lexically_relative(folder);
    if (ec || rel.empty() || *rel.begin() == "..")
        throw Error("initializer " + quoted(tensorName) + ": external data path '" + location
                    + "' resolves outside the model's folder");
    return full;
}

Tensor tensorFromProto(const onnx::TensorProto& proto, const std::filesystem::path& modelFolder, const Limits& limits)
{
    const std::string what = "initializer " + quoted(proto.name());
    const DType type = dtypeFromOnnx(proto.data_type(), what);
    Shape shape(proto.dims().begin(), proto.dims().end());
    if (static_cast<std::int64_t>(shape.size()) > limits.maxRank)
        throw Error(what + " has rank " + std::to_string(shape.size()) + ", above the limit");
    std::int64_t count;
    try {
        count = elementCount(shape);
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    if (count > limits.maxTensorElements)
        throw Error(what + " declares " + std::to_string(count) + " elements, above the limit of "
                    + std::to_string(limits.maxTensorElements));
    const std::size_t expectedBytes = static_cast<std::size_t>(count) * onnxElementBytes(proto.data_type());
    const bool external = proto.data_location() == TensorProto::EXTERNAL;
    if (proto.has_raw_data() || external) {
        // Check the size before allocating, so a lying header cannot make us allocate gigabytes.
        if (!external && proto.raw_data().size() != expectedBytes)
            throw Error(what + " declares shape " + shapeToString(shape) + " (" + std::to_string(expectedBytes)
                        + " bytes) but holds " + std::to_string(proto.raw_data().size()) + " bytes of raw_data");
        Tensor out(type, std::move(shape));
        if (external) {
            const std::string bytes = readExternal(proto, modelFolder, expectedBytes, limits);
            fromRawBytes(bytes.data(), proto.data_type(), out);
        } else {
            fromRawBytes(proto.raw_data().data(), proto.data_type(), out);
        }
        return out;
    }
    // Typed fields: check the stored count before allocating (validateTensorProto does), so that
    // a huge declared shape with no data cannot allocate gigabytes first.
    validateTensorProto(proto, modelFolder, limits);
    Tensor out(type, std::move(shape));
    fromTypedFields(proto, out);
    return out;
}

void validateTensorProto(const onnx::TensorProto& proto, const std::filesystem::path& modelFolder,
                         const Limits& limits)
{
    const std::string what = "initializer " + quoted(proto.name());
    (void)dtypeFromOnnx(proto.data_type(), what);
    Shape shape(proto.dims().begin(), proto.dims().end());
    if (static_cast<std::int64_t>(shape.size()) > limits.maxRank)
        throw Error(what + " has rank " + std::to_string(shape.size()) + ", above the limit");
    std::int64_t count;
    try {
        count = elementCount(shape);
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    if (count > limits.maxTensorElements)
        throw Error(what + " declares " + std::to_string(count) + " elements, above the limit of "
                    + std::to_string(limits.maxTensorElements));
    const std::size_t expectedBytes = static_cast<std::size_t>(count) * onnxElementBytes(proto.data_type());
    if (proto.data_location() == TensorProto::EXTERNAL) {
        if (static_cast<std::int64_t>(expectedBytes) > limits.maxExternalDataBytes)
            throw Error(what + " needs " + std::to_string(expectedBytes) + " bytes of external data, above the limit of "
                        + std::to_string(limits.maxExternalDataBytes));
        std::string location;
        std::int64_t offset = 0;
        for (const auto& entry : proto.external_data()) {
            if (entry.key() == "location")
                location = entry.value();
            else if (entry.key() == "offset")
                offset = std::atoll(entry.value().c_str());
        }
        const auto path = resolveExternalDataPath(location, modelFolder, proto.name());
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec)
            throw Error(what + ": external data file '" + location + "' cannot be read");
        if (offset < 0 || static_cast<std::uint64_t>(offset) + expectedBytes > size)
            throw Error(what + ": external data file '" + location + "' is too short");
        return;
    }
    if (proto.has_raw_data()) {
        if (proto.raw_data().size() != expectedBytes)
            throw Error(what + " declares shape " + shapeToString(shape) + " (" + std::to_string(expectedBytes)
                        + " bytes) but holds " + std::to_string(proto.raw_data().size()) + " bytes of raw_data");
        return;
    }
    std::int64_t stored = 0;
    const char* field = "int32_data";
    switch (proto.data_type()) {
    case TensorProto::FLOAT: stored = proto.float_data_size(); field = "float_data"; break;
    case TensorProto::DOUBLE: stored = proto.double_data_size(); field = "double_data"; break;
    case TensorProto::INT64: stored = proto.int64_data_size(); field = "int64_data"; break;
    case TensorProto::UINT32:
    case TensorProto::UINT64: stored = proto.uint64_data_size(); field = "uint64_data"; break;
    default: stored = proto.int32_data_size(); break;
    }
    if (stored != count)
        throw Error(what + " (" + onnxTypeName(proto.data_type()) + ") declares " + std::to_string(count)
                    + " elements but its " + field + " holds " + std::to_string(stored));
}

void tensorToProto(const Tensor& tensor, int elemType, onnx::TensorProto& proto)
{
    const DType storage = dtypeFromOnnx(elemType, "tensor " + quoted(proto.name()));
    if (elemType == TensorProto::FLOAT16 || elemType == TensorProto::UINT16 || elemType == TensorProto::UINT32)
        throw Error("writing " + onnxTypeName(elemType) + " tensors is not supported");
    const Tensor converted = tensor.dtype() == storage ? tensor : tensor.cast(storage);
    proto.clear_dims();
    for (std::int64_t d : converted.shape())
        proto.add_dims(d);
    proto.set_data_type(elemType);
    proto.clear_float_data();
    proto.clear_double_data();
    proto.clear_int32_data();
    proto.clear_int64_data();
    proto.clear_uint64_data();
    proto.clear_external_data();
    proto.clear_data_location();
    proto.set_raw_data(std::string(reinterpret_cast<const char*>(converted.rawData()), converted.byteSize()));
}

} // namespace qs
