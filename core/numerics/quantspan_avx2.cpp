// AVX2 build of the Quant span (quantspan.h); CMake compiles this file with -mavx2 and no FMA
// contraction on x86-64 (elsewhere the span reports itself unavailable), and intQuantHalfEvenSpan()
// checks the CPU before using it. Nothing here is an inline function shared with other files, so no
// AVX2 code can stand in for a baseline build's.
#include "core/numerics/quantspan.h"

#ifdef QS_NUMERICS_HAVE_AVX2
#include <cmath>
#include <immintrin.h>
#endif

namespace qs::detail {

#ifdef QS_NUMERICS_HAVE_AVX2
namespace {

void intQuantHalfEvenAvx2(const float* x, std::int64_t n, float s, float z, float lo, float hi, float* y)
{
    const __m256 vs = _mm256_set1_ps(s), vz = _mm256_set1_ps(z);
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    const __m256 big = _mm256_set1_ps(8388608.0f), sign = _mm256_set1_ps(-0.0f);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(x + i), vs);
        v = _mm256_add_ps(v, vz);
        // v > hi ? hi : v, then v < lo ? lo : v; min/max return their second operand for NaN.
        v = _mm256_min_ps(vhi, v);
        v = _mm256_max_ps(vlo, v);
        // roundHalfEven (rounding.h): |v| < 2^23 snaps through (|v| + 2^23) - 2^23, then takes v's sign.
        const __m256 a = _mm256_andnot_ps(sign, v);
        const __m256 r = _mm256_sub_ps(_mm256_add_ps(a, big), big);
        const __m256 q
            = _mm256_blendv_ps(v, _mm256_or_ps(r, _mm256_and_ps(sign, v)), _mm256_cmp_ps(a, big, _CMP_LT_OQ));
        _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_sub_ps(q, vz), vs));
    }
    for (; i < n; ++i) { // the same steps, one element at a time
        float v = x[i] / s;
        v = v + z;
        v = v > hi ? hi : v;
        v = v < lo ? lo : v;
        const float a = std::fabs(v);
        const float r = (a + 8388608.0f) - 8388608.0f;
        const float q = a < 8388608.0f ? std::copysign(r, v) : v;
        const float d = q - z;
        y[i] = d * s;
    }
}

} // namespace

bool intQuantHalfEvenSpan(const float* x, std::int64_t n, float s, float z, float lo, float hi, float* y)
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (!avx2)
        return false;
    intQuantHalfEvenAvx2(x, n, s, z, lo, hi, y);
    return true;
}
#else
bool intQuantHalfEvenSpan(const float*, std::int64_t, float, float, float, float, float*)
{
    return false;
}
#endif

} // namespace qs::detail
