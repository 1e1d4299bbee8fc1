#include "core/util/tensor.h"

#include "core/util/error.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace qs {

std::size_t dtypeSize(DType type)
{
    switch (type) {
    case DType::Float32: return 4;
    case DType::Float64: return 8;
    case DType::Int64: return 8;
    case DType::Int32: return 4;
    case DType::Int16: return 2;
    case DType::Int8: return 1;
    case DType::UInt8: return 1;
    case DType::Bool: return 1;
    }
    return 1;
}

const char* dtypeName(DType type)
{
    switch (type) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Int64: return "int64";
    case DType::Int32: return "int32";
    case DType::Int16: return "int16";
    case DType::Int8: return "int8";
    case DType::UInt8: return "uint8";
    case DType::Bool: return "bool";
    }
    return "?";
}

bool isFloating(DType type) { return type == DType::Float32 || type == DType::Float64; }

std::int64_t elementCount(const Shape& shape)
{
    std::int64_t n = 1;
    for (std::int64_t d : shape) {
        if (d < 0)
            throw Error("negative dimension in shape " + shapeToString(shape));
        if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d)
            throw Error("shape " + shapeToString(shape) + " has too many elements (overflow)");
        n *= d;
    }
    return n;
}

std::string shapeToString(const Shape& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ",";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

namespace {
thread_local std::int64_t tAllocationLimit = -1;
}

AllocationLimit::AllocationLimit(std::int64_t maxBytes) : previous_(tAllocationLimit) { tAllocationLimit = maxBytes; }
AllocationLimit::~AllocationLimit() { tAllocationLimit = previous_; }
std::int64_t AllocationLimit::current() { return tAllocationLimit; }

void Tensor::AlignedFree::operator()(std::byte* p) const { std::free(p); }

Tensor::Tensor(DType type, Shape shape) : type_(type), shape_(std::move(shape)), count_(elementCount(shape_))
{
    const std::size_t bytes = byteSize();
    if (count_ > std::numeric_limits<std::int64_t>::max() / 8
        || (tAllocationLimit >= 0 && static_cast<std::int64_t>(bytes) > tAllocationLimit))
        throw Error("tensor of shape " + shapeToString(shape_) + " (" + dtypeName(type) + ") needs "
                    + std::to_string(static_cast<double>(count_) * static_cast<double>(dtypeSize(type)) / 1e6)
                    + " MB, above the allocation limit of " + std::to_string(tAllocationLimit / 1000000) + " MB");
    // 64-byte alignment lets Eigen and the compiler vectorize without peeling.
    const std::size_t rounded = ((bytes + 63) / 64) * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!p)
        throw Error("out of memory allocating a tensor of shape " + shapeToString(shape_));
    std::memset(p, 0, rounded == 0 ? 64 : rounded);
    bytes_.reset(static_cast<std::byte*>(p));
}

Tensor::Tensor(const Tensor& other) : Tensor(other.type_, other.shape_)
{
    if (other.bytes_)
        if (byteSize() > 0) // a default-constructed source has no buffer
            std::memcpy(bytes_.get(), other.bytes_.get(), byteSize());
}

Tensor& Tensor::operator=(const Tensor& other)
{
    if (this != &other) {
        Tensor copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Tensor Tensor::scalar(float value) { return fromFloats({}, {value}); }

Tensor Tensor::fromFloats(Shape shape, const std::vector<float>& values)
{
    Tensor t(DType::Float32, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("fromFloats: " + std::to_string(values.size()) + " values for shape " + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

Tensor Tensor::fromDoubles(Shape shape, const std::vector<double>& values)
{
    Tensor t(DType::Float64, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("fromDoubles: " + std::to_string(values.size()) + " values for shape " + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

Tensor Tensor::fromInt64s(Shape shape, const std::vector<std::int64_t>& values)
{
    Tensor t(DType::Int64, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("fromInt64s: " + std::to_string(values.size()) + " values for shape " + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

double Tensor::at(std::int64_t i) const
{
    switch (type_) {
    case DType::Float32: return data<float>()[i];
    case DType::Float64: return data<double>()[i];
    case DType::Int64: return static_cast<double>(data<std::int64_t>()[i]);
    case DType::Int32: return data<std::int32_t>()[i];
    case DType::Int16: return data<std::int16_t>()[i];
    case DType::Int8: return data<std::int8_t>()[i];
    case DType::UInt8: return data<std::uint8_t>()[i];
    case DType::Bool: return data<std::uint8_t>()[i] ? 1.0 : 0.0;
    }
    return 0.0;
}

std::int64_t Tensor::atInt(std::int64_t i) const
{
    switch (type_) {
    case DType::Float32: return static_cast<std::int64_t>(data<float>()[i]);
    case DType::Float64: return static_cast<std::int64_t>(data<double>()[i]);
    case DType::Int64: return data<std::int64_t>()[i];
    case DType::Int32: return data<std::int32_t>()[i];
    case DType::Int16: return data<std::int16_t>()[i];
    case DType::Int8: return data<std::int8_t>()[i];
    case DType::UInt8: return data<std::uint8_t>()[i];
    case DType::Bool: return data<std::uint8_t>()[i] ? 1 : 0;
    }
    return 0;
}

std::vector<double> Tensor::toDoubles() const
{
    std::vector<double> out(static_cast<std::size_t>(count_));
    for (std::int64_t i = 0; i < count_; ++i)
        out[static_cast<std::size_t>(i)] = at(i);
    return out;
}

namespace {

template <class To> To convertElement(const Tensor& t, std::int64_t i)
{
    if constexpr (std::is_floating_point_v<To>)
        return static_cast<To>(t.at(i));
    else if (isFloating(t.dtype())) {
        const double v = t.at(i);
        if (!(v == v))
            return To(0); // NaN -> 0 instead of undefined behaviour
        if (v >= static_cast<double>(std::numeric_limits<To>::max()))
            return std::numeric_limits<To>::max();
        if (v <= static_cast<double>(std::numeric_limits<To>::lowest()))
            return std::numeric_limits<To>::lowest();
        return static_cast<To>(v);
    } else
        return static_cast<To>(t.atInt(i));
}

template <class To> void convertAll(const Tensor& from, Tensor& to)
{
    To* out = to.data<To>();
    for (std::int64_t i = 0; i < from.size(); ++i)
        out[i] = convertElement<To>(from, i);
}

} // namespace

Tensor Tensor::cast(DType type) const
{
    Tensor out(type, shape_);
    if (type == type_) {
        if (byteSize() > 0)
            std::memcpy(out.rawData(), rawData(), byteSize());
        return out;
    }
    switch (type) {
    case DType::Float32: convertAll<float>(*this, out); break;
    case DType::Float64: convertAll<double>(*this, out); break;
    case DType::Int64: convertAll<std::int64_t>(*this, out); break;
    case DType::Int32: convertAll<std::int32_t>(*this, out); break;
    case DType::Int16: convertAll<std::int16_t>(*this, out); break;
    case DType::Int8: convertAll<std::int8_t>(*this, out); break;
    case DType::UInt8: convertAll<std::uint8_t>(*this, out); break;
    case DType::Bool:
        for (std::int64_t i = 0; i < count_; ++i)
            out.data<std::uint8_t>()[i] = at(i) != 0.0;
        break;
    }
    return out;
}

Tensor Tensor::reshaped(Shape shape) const&
{
    Tensor copy(*this);
    return std::move(copy).reshaped(std::move(shape));
}

Tensor Tensor::reshaped(Shape shape) &&
{
    if (elementCount(shape) != count_)
        throw Error("cannot reshape " + shapeToString(shape_) + " to " + shapeToString(shape));
    shape_ = std::move(shape);
    return std::move(*this);
}

} // namespace qs
