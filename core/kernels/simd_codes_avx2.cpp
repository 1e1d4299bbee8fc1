// AVX2 build of QuantizeLinear / DequantizeLinear on 8/16-bit codes (simd.h), compiled with -mavx2 -mfma
// and called only after simd.cpp checked the CPU. Eight floats per step, the same operations as the
// generic loop in the same order: divide, round in the current mode, add the zero point, clamp, NaN to
// the zero point; dequantizing is an exact integer subtraction and conversion, then one multiply.
#include "core/kernels/simd.h"

#include <algorithm>
#include <cmath>
#include <immintrin.h>
#include <type_traits>

namespace qs::kernels::detail {

namespace {

struct QuantizeParams {
    __m256 scale, zeroPoint, lo, hi;
};

// Eight codes as int32 (already within [lo, hi], so the narrowing packs below never saturate).
inline __m256i codes8(const float* x, const QuantizeParams& p)
{
    const __m256 v = _mm256_loadu_ps(x);
    __m256 q = _mm256_round_ps(_mm256_div_ps(v, p.scale), _MM_FROUND_CUR_DIRECTION);
    q = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(q, p.zeroPoint), p.lo), p.hi);
    q = _mm256_blendv_ps(q, p.zeroPoint, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    return _mm256_cvtps_epi32(q);
}

template <class Q> inline void scalarCode(const float* x, float s, float z, float lo, float hi, Q* y)
{
    const float v = std::min(std::max(std::nearbyint(*x / s) + z, lo), hi);
    *y = static_cast<Q>(static_cast<std::int32_t>(*x != *x ? z : v));
}

} // namespace

template <class Q>
void quantizeCodesAvx2(const float* x, std::int64_t n, float s, float z, float lo, float hi, Q* y)
{
    const QuantizeParams p {_mm256_set1_ps(s), _mm256_set1_ps(z), _mm256_set1_ps(lo), _mm256_set1_ps(hi)};
    // The packs work within 128-bit lanes; this permutation puts the dwords back in order.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    std::int64_t i = 0;
    if constexpr (sizeof(Q) == 1) {
        for (; i + 32 <= n; i += 32) {
            const __m256i a = _mm256_packs_epi32(codes8(x + i, p), codes8(x + i + 8, p));
            const __m256i b = _mm256_packs_epi32(codes8(x + i + 16, p), codes8(x + i + 24, p));
            const __m256i bytes = std::is_signed_v<Q> ? _mm256_packs_epi16(a, b) : _mm256_packus_epi16(a, b);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), _mm256_permutevar8x32_epi32(bytes, order));
        }
    } else {
        for (; i + 16 <= n; i += 16) {
            const __m256i words = _mm256_packs_epi32(codes8(x + i, p), codes8(x + i + 8, p));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), _mm256_permute4x64_epi64(words, 0xD8));
        }
    }
    for (; i < n; ++i)
        scalarCode(x + i, s, z, lo, hi, y + i);
}

template <class Q> void dequantizeCodesAvx2(const Q* x, std::int64_t n, std::int32_t z, float s, float* y)
{
    const __m256 scale = _mm256_set1_ps(s);
    const __m256i zero = _mm256_set1_epi32(z);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i raw = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + i));
        const __m256i wide = std::is_signed_v<Q> ? _mm256_cvtepi8_epi32(raw) : _mm256_cvtepu8_epi32(raw);
        _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(wide, zero)), scale));
    }
    for (; i < n; ++i)
        y[i] = static_cast<float>(static_cast<std::int32_t>(x[i]) - z) * s;
}

template void quantizeCodesAvx2<std::int8_t>(
    const float*, std::int64_t, float, float, float, float, std::int8_t*);
template void quantizeCodesAvx2<std::uint8_t>(
    const float*, std::int64_t, float, float, float, float, std::uint8_t*);
template void quantizeCodesAvx2<std::int16_t>(
    const float*, std::int64_t, float, float, float, float, std::int16_t*);
template void dequantizeCodesAvx2<std::int8_t>(const std::int8_t*, std::int64_t, std::int32_t, float, float*);
template void dequantizeCodesAvx2<std::uint8_t>(
    const std::uint8_t*, std::int64_t, std::int32_t, float, float*);

} // namespace qs::kernels::detail
