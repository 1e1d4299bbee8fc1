// AVX2 + FMA build of the compute cores; CMake compiles only this file with -mavx2 -mfma, and simd.cpp calls
// it only after checking the CPU. The Eigen rename keeps its inline code apart from the baseline's.
#define Eigen QsEigenAvx2
#include "core/kernels/simd_impl.h"

namespace qs::kernels::detail {

void gemmAvx2(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
    std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C, std::int64_t ldc)
{
    gemmEigen<float>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemmAvx2(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, double alpha, const double* A,
    std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C, std::int64_t ldc)
{
    gemmEigen<double>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void depthwiseFloatAvx2(const DepthwiseGeometry& g, const float* x, const float* w, float bias, float* y);

void depthwiseAvx2(const DepthwiseGeometry& g, const float* x, const float* w, float bias, float* y)
{
    depthwiseFloatAvx2(g, x, w, bias, y); // simd_depthwise_avx2.cpp
}

void depthwiseAvx2(const DepthwiseGeometry& g, const double* x, const double* w, double bias, double* y)
{
    depthwiseEigen<double>(g, x, w, bias, y);
}

void quantizeAvx2(const float* x, std::int64_t n, float s, float z, float lo, float hi, float* y)
{
    quantizeSpanEigen<float>(x, n, s, z, lo, hi, y);
}

void quantizeAvx2(const double* x, std::int64_t n, double s, double z, double lo, double hi, double* y)
{
    quantizeSpanEigen<double>(x, n, s, z, lo, hi, y);
}

} // namespace qs::kernels::detail
