// Baseline build of QuantizeLinear / DequantizeLinear on 8/16-bit codes (simd.h): plain loops.
#include "core/kernels/simd.h"

#include <algorithm>
#include <cmath>

namespace qs::kernels::detail {

template <class Q>
void quantizeCodesGeneric(const float* x, std::int64_t n, float s, float z, float lo, float hi, Q* y)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = std::min(std::max(std::nearbyint(x[i] / s) + z, lo), hi);
        y[i] = static_cast<Q>(static_cast<std::int32_t>(x[i] != x[i] ? z : v));
    }
}

template <class Q> void dequantizeCodesGeneric(const Q* x, std::int64_t n, std::int32_t z, float s, float* y)
{
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = static_cast<float>(static_cast<std::int32_t>(x[i]) - z) * s;
}

template void quantizeCodesGeneric<std::int8_t>(
    const float*, std::int64_t, float, float, float, float, std::int8_t*);
template void quantizeCodesGeneric<std::uint8_t>(
    const float*, std::int64_t, float, float, float, float, std::uint8_t*);
template void quantizeCodesGeneric<std::int16_t>(
    const float*, std::int64_t, float, float, float, float, std::int16_t*);
template void dequantizeCodesGeneric<std::int8_t>(
    const std::int8_t*, std::int64_t, std::int32_t, float, float*);
template void dequantizeCodesGeneric<std::uint8_t>(
    const std::uint8_t*, std::int64_t, std::int32_t, float, float*);

} // namespace qs::kernels::detail
