#pragma once
// The compute cores, compiled once per instruction set (simd_generic.cpp, simd_avx2.cpp,
// simd_avx512.cpp). Each includer renames the Eigen namespace first, and everything here has internal
// linkage, so that the builds never share inline symbols.
#include "core/kernels/simd.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace qs::kernels::detail {

// Internal linkage: each includer is compiled for another instruction set, and a shared (COMDAT)
// instantiation would let the linker keep one build's code for all of them.
namespace {

template <class T>
void gemmEigen(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, T alpha, const T* A,
    std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc)
{
    using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Stride = Eigen::OuterStride<>;
    Eigen::Map<Mat, 0, Stride> c(C, M, N, Stride(ldc));
    if (beta == T(0))
        c.setZero();
    else if (beta != T(1))
        c *= beta;
    if (K == 0 || M == 0 || N == 0)
        return;
    Eigen::Map<const Mat, 0, Stride> a(A, transA ? K : M, transA ? M : K, Stride(lda));
    Eigen::Map<const Mat, 0, Stride> b(B, transB ? N : K, transB ? K : N, Stride(ldb));
    if (!transA && !transB)
        c.noalias() += alpha * a * b;
    else if (transA && !transB)
        c.noalias() += alpha * a.transpose() * b;
    else if (!transA && transB)
        c.noalias() += alpha * a * b.transpose();
    else
        c.noalias() += alpha * a.transpose() * b.transpose();
}

// Valid output range [lo, hi) along one axis for a tap at offset `off`: 0 <= o*s + off < in.
inline void tapRange(
    std::int64_t out, std::int64_t in, std::int64_t s, std::int64_t off, std::int64_t& lo, std::int64_t& hi)
{
    lo = off >= 0 ? 0 : (-off + s - 1) / s;
    hi = in - off <= 0 ? 0 : (in - off - 1) / s + 1;
    lo = std::min(lo, out);
    hi = std::clamp(hi, lo, out);
}

// One tap of a depthwise plane: its weight, row offsets, and the valid output columns [lo, hi) with the
// phase-plane column they start from (the column range does not depend on the row).
template <class T> struct DepthwiseTap {
    T weight;
    std::int64_t offD, offH, lo, hi;
    const T* plane; // phase plane, shifted so that plane[row * PW + ow] is the tap's input
};

// The taps of one plane in (kd, kh, kw) order. Strided columns are split into sw phase planes first
// (phase r holds columns r, r+sw, ..., each PW = ceil(W / sw) long), so that every tap reads contiguous
// memory and vectorizes like the stride-1 case. The planes and the list live in thread-local buffers,
// valid until the next call on the same thread.
template <class T>
const std::vector<DepthwiseTap<T>>& depthwiseTaps(const DepthwiseGeometry& g, const T* x, const T* w)
{
    const std::int64_t OW = g.out[2], D = g.in[0], H = g.in[1], W = g.in[2];
    const std::int64_t sw = g.strides[2];
    const std::int64_t PW = (W + sw - 1) / sw;
    const T* src = x;
    if (sw > 1) {
        thread_local std::vector<T> phases;
        phases.resize(static_cast<std::size_t>(sw * D * H * PW));
        T* dst = phases.data();
        for (std::int64_t r = 0; r < sw; ++r)
            for (std::int64_t row = 0; row < D * H; ++row, dst += PW) {
                const T* line = x + row * W + r;
                const std::int64_t count = (W - r + sw - 1) / sw;
                for (std::int64_t k = 0; k < count; ++k)
                    dst[k] = line[k * sw];
            }
        src = phases.data();
    }
    thread_local std::vector<DepthwiseTap<T>> taps;
    taps.clear();
    for (std::int64_t kd = 0; kd < g.kernel[0]; ++kd)
        for (std::int64_t kh = 0; kh < g.kernel[1]; ++kh)
            for (std::int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                const std::int64_t offW = kw * g.dilations[2] - g.padBegin[2];
                std::int64_t lo, hi;
                tapRange(OW, W, sw, offW, lo, hi);
                if (hi <= lo)
                    continue;
                // Input column ow*sw + offW = (ow + q)*sw + r lives at index ow + q of phase r.
                const std::int64_t r = ((offW % sw) + sw) % sw, q = (offW - r) / sw;
                taps.push_back(
                    {w[(kd * g.kernel[1] + kh) * g.kernel[2] + kw], kd * g.dilations[0] - g.padBegin[0],
                        kh * g.dilations[1] - g.padBegin[1], lo, hi, src + r * D * H * PW + q});
            }
    return taps;
}

template <class T> void depthwiseEigen(const DepthwiseGeometry& g, const T* x, const T* w, T bias, T* y)
{
    const std::int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2], D = g.in[0], H = g.in[1], W = g.in[2];
    const std::int64_t PW = (W + g.strides[2] - 1) / g.strides[2];
    const std::vector<DepthwiseTap<T>>& taps = depthwiseTaps(g, x, w);
    // Row by row, every tap in order into the row while it sits in L1: each output gets the bias and
    // then the same sequence of multiply-adds as a tap-by-tap sweep over the whole plane.
    for (std::int64_t od = 0; od < OD; ++od)
        for (std::int64_t oh = 0; oh < OH; ++oh) {
            T* const out = y + (od * OH + oh) * OW;
            std::fill(out, out + OW, bias);
            for (const DepthwiseTap<T>& t : taps) {
                const std::int64_t id = od * g.strides[0] + t.offD, ih = oh * g.strides[1] + t.offH;
                if (id < 0 || id >= D || ih < 0 || ih >= H)
                    continue;
                const T* const in = t.plane + (id * H + ih) * PW;
                const T wv = t.weight;
                for (std::int64_t ow = t.lo; ow < t.hi; ++ow)
                    out[ow] += wv * in[ow];
            }
        }
}

template <class T> void quantizeSpanEigen(const T* x, std::int64_t n, T scale, T zeroPoint, T lo, T hi, T* y)
{
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    // Division, not a multiply by the reciprocal: the same rounding as the scalar x / scale.
    Eigen::Map<Vec>(y, n) = ((Eigen::Map<const Vec>(x, n) / scale).rint() + zeroPoint).max(lo).min(hi);
}

} // namespace

} // namespace qs::kernels::detail
