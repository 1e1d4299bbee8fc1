#pragma once
// Internal helpers shared by the kernel sources: axis checks, dtype dispatch, strides. Not part of
// the public API.
#include "core/util/dtypevisit.h"
#include "core/util/error.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs::kernels::detail {

// Resolves a possibly negative axis against `rank` (valid range [-rank, rank-1]) or throws.
int normalizeAxis(std::int64_t axis, int rank, const char* op);
// Same for axes that may also address one past the end (Flatten, Unsqueeze, Shape): [-rank, rank].
int normalizeAxisInclusive(std::int64_t axis, int rank, const char* op);

std::vector<std::int64_t> stridesOf(const Shape& shape);

[[noreturn]] void unsupportedType(const char* op, DType type);

inline void requireFloat(const Tensor& t, const char* op)
{
    if (!isFloating(t.dtype()))
        unsupportedType(op, t.dtype());
}

inline std::size_t toSize(std::int64_t v)
{
    return static_cast<std::size_t>(v);
}

// Calls f(T{}) with the C++ element type of a Float32/Float64 tensor.
template <class F> decltype(auto) dispatchFloat(DType type, const char* op, F&& f)
{
    switch (type) {
    case DType::Float32:
        return f(float {});
    case DType::Float64:
        return f(double {});
    default:
        unsupportedType(op, type);
    }
}

// Every numeric type except Bool.
template <class F> decltype(auto) dispatchNumeric(DType type, const char* op, F&& f)
{
    switch (type) {
    case DType::Float32:
        return f(float {});
    case DType::Float64:
        return f(double {});
    case DType::Int64:
        return f(std::int64_t {});
    case DType::Int32:
        return f(std::int32_t {});
    case DType::Int16:
        return f(std::int16_t {});
    case DType::Int8:
        return f(std::int8_t {});
    case DType::UInt8:
        return f(std::uint8_t {});
    default:
        unsupportedType(op, type);
    }
}

// Shape ops move elements without looking at them: dispatch on the element size only.
template <class F> decltype(auto) dispatchBySize(std::size_t size, F&& f)
{
    switch (size) {
    case 1:
        return f(std::uint8_t {});
    case 2:
        return f(std::uint16_t {});
    case 4:
        return f(std::uint32_t {});
    default:
        return f(std::uint64_t {});
    }
}

// Integer vector -> int64 vector from an index/shape tensor of any integer type.
std::vector<std::int64_t> toInt64s(const Tensor& t, const char* op);

} // namespace qs::kernels::detail
