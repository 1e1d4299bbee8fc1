#pragma once
// Internal compute cores: the row-major GEMM behind Conv, ConvTranspose, MatMul and Gemm, the
// depthwise conv plane, and QuantizeLinear/DequantizeLinear spans. Each has a baseline and an
// AVX2/FMA build (the blocked GEMM also an AVX-512 one); the widest the CPU has is picked at run
// time, so the library itself stays baseline x86-64.
#include <cstdint>

namespace qs::kernels::detail {

constexpr std::int64_t kSmallGemmK = 16;

// C[M,N] = alpha * op(A) * op(B) + beta * C, all row-major with leading dimensions lda/ldb/ldc.
// op(A) is [M,K] (A is [K,M] when transA). beta == 0 overwrites C without reading it.
// Up to kSmallGemmK the sums are the plain k-ordered float sums without FMA (simd_smallk_impl.h),
// above it Eigen's blocked GEMM (FMA where the CPU has it).
void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
    const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
    std::int64_t ldc);
void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, double alpha,
    const double* A, std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C,
    std::int64_t ldc);

// One output plane of a conv whose groups each have a single input channel, lifted to 3-D
// (D, H, W). y = bias + sum over taps of w * x (zero padding).
struct DepthwiseGeometry {
    std::int64_t in[3], out[3], kernel[3], strides[3], dilations[3], padBegin[3];
};
void depthwisePlane(const DepthwiseGeometry& g, const float* x, const float* w, float bias, float* y);
void depthwisePlane(const DepthwiseGeometry& g, const double* x, const double* w, double bias, double* y);

// QuantizeLinear's arithmetic on n values with one scale and zero point: y = clamp(rint(x / scale) +
// zeroPoint, lo, hi), rint in the current rounding mode (half to even by default) like nearbyint.
// NaN inputs give NaN here; the caller maps them to the zero point.
void quantizeSpan(const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, float* y);
void quantizeSpan(
    const double* x, std::int64_t n, double scale, double zeroPoint, double lo, double hi, double* y);

// QuantizeLinear to integer codes in one pass, float32 in: y = clamp(rint(x / scale) + zeroPoint, lo, hi)
// with NaN inputs mapped to the zero point, [lo, hi] within the code type. Same arithmetic as
// quantizeSpan followed by the conversion.
void quantizeToCodes(
    const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, std::int8_t* y);
void quantizeToCodes(
    const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, std::uint8_t* y);
void quantizeToCodes(
    const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, std::int16_t* y);

// DequantizeLinear from 8-bit codes: y = float(int32(x) - zeroPoint) * scale.
void dequantizeCodes(const std::int8_t* x, std::int64_t n, std::int32_t zeroPoint, float scale, float* y);
void dequantizeCodes(const std::uint8_t* x, std::int64_t n, std::int32_t zeroPoint, float scale, float* y);

// Which build the kernels use on this machine: "avx2" or "generic".
const char* simdVariant();

} // namespace qs::kernels::detail
