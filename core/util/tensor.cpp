#include "core/util/tensor.h"

#include "core/util/bufferpool.h"
#include "core/util/dtypevisit.h"
#include "core/util/error.h"

#include <cstring>
#include <limits>
#include <new>

namespace qs {

std::size_t dtypeSize(DType type)
{
    return visitStorageType(type, [](auto element) { return sizeof(element); });
}

const char* dtypeName(DType type)
{
    switch (type) {
    case DType::Float32:
        return "float32";
    case DType::Float64:
        return "float64";
    case DType::Int64:
        return "int64";
    case DType::Int32:
        return "int32";
    case DType::Int16:
        return "int16";
    case DType::Int8:
        return "int8";
    case DType::UInt8:
        return "uint8";
    case DType::Bool:
        return "bool";
    }
    return "?";
}

bool isFloating(DType type)
{
    return type == DType::Float32 || type == DType::Float64;
}

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

AllocationLimit::AllocationLimit(std::int64_t maxBytes)
    : previous_(tAllocationLimit)
{
    tAllocationLimit = maxBytes;
}
AllocationLimit::~AllocationLimit()
{
    tAllocationLimit = previous_;
}
std::int64_t AllocationLimit::current()
{
    return tAllocationLimit;
}

void Tensor::AlignedFree::operator()(std::byte* p) const
{
    detail::freeBuffer(p);
}

Tensor::Tensor(DType type, Shape shape)
    : Tensor(type, std::move(shape), NoFill {})
{
    std::memset(bytes_.get(), 0, byteSize());
}

Tensor Tensor::uninitialized(DType type, Shape shape)
{
    return Tensor(type, std::move(shape), NoFill {});
}

Tensor::Tensor(DType type, Shape shape, NoFill)
    : type_(type)
    , shape_(std::move(shape))
    , count_(elementCount(shape_))
{
    const std::size_t bytes = byteSize();
    if (count_ > std::numeric_limits<std::int64_t>::max() / 8
        || (tAllocationLimit >= 0 && static_cast<std::int64_t>(bytes) > tAllocationLimit))
        throw Error("tensor of shape " + shapeToString(shape_) + " (" + dtypeName(type) + ") needs "
            + std::to_string(static_cast<double>(count_) * static_cast<double>(dtypeSize(type)) / 1e6)
            + " MB, above the allocation limit of " + std::to_string(tAllocationLimit / 1000000) + " MB");
    // 64-byte alignment lets Eigen and the compiler vectorize without peeling.
    // Large buffers come from a cache of recently freed ones (core/util/bufferpool.h).
    const std::size_t rounded = bytes == 0 ? 64 : ((bytes + 63) / 64) * 64;
    std::byte* p = detail::allocateBuffer(rounded);
    if (!p)
        throw Error("out of memory allocating a tensor of shape " + shapeToString(shape_));
    bytes_.reset(p);
    // The alignment padding past the last element is always zero, whatever the caller writes.
    std::memset(bytes_.get() + bytes, 0, rounded - bytes);
}

Tensor::Tensor(const Tensor& other)
    : Tensor(other.type_, other.shape_, NoFill {})
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

Tensor Tensor::scalar(float value)
{
    return fromFloats({}, {value});
}

Tensor Tensor::fromFloats(Shape shape, const std::vector<float>& values)
{
    Tensor t = uninitialized(DType::Float32, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error(
            "fromFloats: " + std::to_string(values.size()) + " values for shape " + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

Tensor Tensor::fromDoubles(Shape shape, const std::vector<double>& values)
{
    Tensor t = uninitialized(DType::Float64, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error("fromDoubles: " + std::to_string(values.size()) + " values for shape "
            + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

Tensor Tensor::fromInt64s(Shape shape, const std::vector<std::int64_t>& values)
{
    Tensor t = uninitialized(DType::Int64, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.size())
        throw Error(
            "fromInt64s: " + std::to_string(values.size()) + " values for shape " + shapeToString(t.shape()));
    if (t.byteSize() > 0) // values.data() may be null when empty
        std::memcpy(t.rawData(), values.data(), t.byteSize());
    return t;
}

double Tensor::at(std::int64_t i) const
{
    if (type_ == DType::Bool)
        return data<std::uint8_t>()[i] ? 1.0 : 0.0;
    return visitStorageType(
        type_, [&](auto element) { return static_cast<double>(data<decltype(element)>()[i]); });
}

std::int64_t Tensor::atInt(std::int64_t i) const
{
    if (type_ == DType::Bool)
        return data<std::uint8_t>()[i] ? 1 : 0;
    return visitStorageType(
        type_, [&](auto element) { return static_cast<std::int64_t>(data<decltype(element)>()[i]); });
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
    Tensor out = uninitialized(type, shape_); // every branch below writes every element
    if (type == type_) {
        if (byteSize() > 0)
            std::memcpy(out.rawData(), rawData(), byteSize());
        return out;
    }
    if (type == DType::Bool) {
        for (std::int64_t i = 0; i < count_; ++i)
            out.data<std::uint8_t>()[i] = at(i) != 0.0;
        return out;
    }
    visitStorageType(type, [&](auto element) { convertAll<decltype(element)>(*this, out); });
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
