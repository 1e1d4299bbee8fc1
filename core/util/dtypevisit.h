#pragma once
// The one switch over element types that code reading any tensor shares.
#include "core/util/tensor.h"

#include <cstdint>

namespace qs {

// Calls f(T {}) with the C++ type that stores an element of `type`; Bool is stored as uint8_t.
template <class F> decltype(auto) visitStorageType(DType type, F&& f)
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
    case DType::Bool:
        break;
    }
    return f(std::uint8_t {});
}

} // namespace qs
