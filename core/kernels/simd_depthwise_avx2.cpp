// AVX2 depthwise conv plane for float32 (simd.h), compiled with -mavx2 -mfma and called only after
// simd.cpp checked the CPU. Eight output columns are kept in a register while every tap of the row is
// applied, so the per-tap multiply-adds no longer wait on a store and reload of the output. Each output
// still gets the bias and then one fused multiply-add per valid tap in (kd, kh, kw) order, exactly as
// the tap-by-tap loop in simd_impl.h computes it in the AVX2 build; lanes outside a tap's valid
// columns are masked (not loaded, and left unchanged).
// depthwiseTaps() comes with simd_impl.h, which needs the AVX2 build's Eigen rename (see simd_avx2.cpp).
#define Eigen QsEigenAvx2
#include "core/kernels/simd_impl.h"

#include <immintrin.h>

namespace qs::kernels::detail {

void depthwiseFloatAvx2(const DepthwiseGeometry& g, const float* x, const float* w, float bias, float* y)
{
    const std::int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2], D = g.in[0], H = g.in[1], W = g.in[2];
    const std::int64_t PW = (W + g.strides[2] - 1) / g.strides[2];
    const std::vector<DepthwiseTap<float>>& taps = depthwiseTaps(g, x, w);
    struct RowTap {
        float weight;
        const float* in; // the tap's input row, indexed by output column
        std::int64_t lo, hi;
    };
    thread_local std::vector<RowTap> rowTaps;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256 vbias = _mm256_set1_ps(bias);
    for (std::int64_t od = 0; od < OD; ++od)
        for (std::int64_t oh = 0; oh < OH; ++oh) {
            rowTaps.clear();
            for (const DepthwiseTap<float>& t : taps) {
                const std::int64_t id = od * g.strides[0] + t.offD, ih = oh * g.strides[1] + t.offH;
                if (id < 0 || id >= D || ih < 0 || ih >= H)
                    continue;
                rowTaps.push_back({t.weight, t.plane + (id * H + ih) * PW, t.lo, t.hi});
            }
            float* const out = y + (od * OH + oh) * OW;
            for (std::int64_t c0 = 0; c0 < OW; c0 += 8) {
                __m256 acc = vbias;
                for (const RowTap& t : rowTaps) {
                    const std::int64_t lo = t.lo, hi = t.hi;
                    const float* in = t.in + c0;
                    const __m256 wv = _mm256_set1_ps(t.weight);
                    if (lo <= c0 && c0 + 8 <= hi) {
                        acc = _mm256_fmadd_ps(wv, _mm256_loadu_ps(in), acc);
                    } else if (lo < c0 + 8 && c0 < hi) {
                        const __m256i valid
                            = _mm256_and_si256(_mm256_cmpgt_epi32(lane, _mm256_set1_epi32(int(lo - c0 - 1))),
                                _mm256_cmpgt_epi32(_mm256_set1_epi32(int(hi - c0)), lane));
                        const __m256 sum = _mm256_fmadd_ps(wv, _mm256_maskload_ps(in, valid), acc);
                        acc = _mm256_blendv_ps(acc, sum, _mm256_castsi256_ps(valid));
                    }
                }
                if (c0 + 8 <= OW) {
                    _mm256_storeu_ps(out + c0, acc);
                } else {
                    const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(int(OW - c0)), lane);
                    _mm256_maskstore_ps(out + c0, keep, acc);
                }
            }
        }
}

} // namespace qs::kernels::detail
