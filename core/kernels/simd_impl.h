#pragma once
// The compute cores, compiled once per instruction set (simd_generic.cpp, simd_avx2.cpp). Each
// includer renames the Eigen namespace first so that the two builds never share inline symbols.
#include "core/kernels/simd.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace qs::kernels::detail {

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

template <class T> void depthwiseEigen(const DepthwiseGeometry& g, const T* x, const T* w, T bias, T* y)
{
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    const std::int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2], D = g.in[0], H = g.in[1], W = g.in[2];
    const std::int64_t sw = g.strides[2];
    // Strided columns are split into sw phase planes first (phase r holds columns r, r+sw, ...), so
    // that every tap reads contiguous memory and vectorizes like the stride-1 case.
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
    std::fill(y, y + OD * OH * OW, bias);
    for (std::int64_t kd = 0; kd < g.kernel[0]; ++kd)
        for (std::int64_t kh = 0; kh < g.kernel[1]; ++kh)
            for (std::int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                const T wv = w[(kd * g.kernel[1] + kh) * g.kernel[2] + kw];
                const std::int64_t offD = kd * g.dilations[0] - g.padBegin[0];
                const std::int64_t offH = kh * g.dilations[1] - g.padBegin[1];
                const std::int64_t offW = kw * g.dilations[2] - g.padBegin[2];
                std::int64_t dLo, dHi, hLo, hHi, wLo, wHi;
                tapRange(OD, D, g.strides[0], offD, dLo, dHi);
                tapRange(OH, H, g.strides[1], offH, hLo, hHi);
                tapRange(OW, W, sw, offW, wLo, wHi);
                const std::int64_t n = wHi - wLo;
                if (n <= 0)
                    continue;
                // Input column ow*sw + offW = (ow + q)*sw + r lives at index ow + q of phase r.
                const std::int64_t r = ((offW % sw) + sw) % sw, q = (offW - r) / sw;
                const T* plane = src + r * D * H * PW;
                for (std::int64_t od = dLo; od < dHi; ++od)
                    for (std::int64_t oh = hLo; oh < hHi; ++oh) {
                        const T* in
                            = plane + ((od * g.strides[0] + offD) * H + oh * g.strides[1] + offH) * PW + q;
                        Eigen::Map<Vec>(y + (od * OH + oh) * OW + wLo, n)
                            += wv * Eigen::Map<const Vec>(in + wLo, n);
                    }
            }
}

template <class T> void quantizeSpanEigen(const T* x, std::int64_t n, T scale, T zeroPoint, T lo, T hi, T* y)
{
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    // Division, not a multiply by the reciprocal: the same rounding as the scalar x / scale.
    Eigen::Map<Vec>(y, n) = ((Eigen::Map<const Vec>(x, n) / scale).rint() + zeroPoint).max(lo).min(hi);
}

} // namespace qs::kernels::detail
