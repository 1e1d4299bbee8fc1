#pragma once
// The rounding functions of the QONNX quantizers (spec §1). Each mode is the exact formula the reference
// evaluates, in the caller's working precision (float or double), so that float artifacts such as
// HALF_UP(0.49999997f) == 1 are reproduced rather than "fixed".
#include <cmath>
#include <string_view>
#include <type_traits>

namespace qs {

enum class RoundingMode { HalfEven, Ceil, Floor, Up, Down, HalfUp, HalfDown };

// Case-insensitive; "ROUND" and "HALF_EVEN" are both HalfEven. Throws Error naming the string otherwise.
RoundingMode parseRoundingMode(std::string_view name);
// The attribute string for a mode; HalfEven is "ROUND", the spelling every qonnx release accepts.
const char* roundingModeName(RoundingMode mode);

namespace detail {

// numpy's sign(): -1, 0, +1, with sign(-0.0) = +0.0 and sign(NaN) = NaN.
template <class T> inline T signOf(T v)
{
    if (v > T(0))
        return T(1);
    if (v < T(0))
        return T(-1);
    return v == v ? T(0) : v;
}

// rint() with ties to even, independent of the FPU rounding mode and free of library calls so the
// quantizer loops can vectorize. Below 2^digits adding and removing 2^digits snaps to the integer grid
// (ties to even); at or above it every value is already an integer (or Inf/NaN) and passes through.
template <class T> inline T roundHalfEven(T v)
{
    static_assert(std::is_floating_point_v<T>);
    constexpr T big = std::is_same_v<T, float> ? T(8388608.0f) : T(4503599627370496.0);
    const T a = std::fabs(v);
    const T r = (a + big) - big;
    return a < big ? std::copysign(r, v) : v;
}

} // namespace detail

// R_mode(v) with the mode fixed at compile time, for the kernels' inner loops.
template <RoundingMode M, class T> inline T roundAs(T v)
{
    static_assert(std::is_floating_point_v<T>);
    if constexpr (M == RoundingMode::HalfEven)
        return detail::roundHalfEven(v);
    else if constexpr (M == RoundingMode::Ceil)
        return std::ceil(v);
    else if constexpr (M == RoundingMode::Floor)
        return std::floor(v);
    else if constexpr (M == RoundingMode::Up)
        return detail::signOf(v) * std::ceil(std::fabs(v));
    else if constexpr (M == RoundingMode::Down)
        return std::trunc(v);
    else if constexpr (M == RoundingMode::HalfUp)
        return detail::signOf(v) * std::floor(std::fabs(v) + T(0.5));
    else
        return detail::signOf(v) * std::ceil(std::fabs(v) - T(0.5));
}

// Calls f(std::integral_constant<RoundingMode, mode>{}) so that a kernel is instantiated once per mode
// and its loop carries no per-element branch on the mode.
template <class F> decltype(auto) withRoundingMode(RoundingMode mode, F&& f)
{
    using M = RoundingMode;
    switch (mode) {
    case M::HalfEven:
        return f(std::integral_constant<M, M::HalfEven> {});
    case M::Ceil:
        return f(std::integral_constant<M, M::Ceil> {});
    case M::Floor:
        return f(std::integral_constant<M, M::Floor> {});
    case M::Up:
        return f(std::integral_constant<M, M::Up> {});
    case M::Down:
        return f(std::integral_constant<M, M::Down> {});
    case M::HalfUp:
        return f(std::integral_constant<M, M::HalfUp> {});
    case M::HalfDown:
        break;
    }
    return f(std::integral_constant<M, M::HalfDown> {});
}

// R_mode(v) for float or double, evaluated in T.
template <class T> inline T round(T v, RoundingMode mode)
{
    return withRoundingMode(mode, [v](auto m) { return roundAs<decltype(m)::value>(v); });
}

} // namespace qs
