// AVX-512 build of the blocked GEMM (simd.h): CMake compiles only this file with -mavx512f/dq/vl/bw,
// and simd.cpp calls it only after checking the CPU. Eigen's 16-float kernels roughly double the
// throughput of the AVX2 build on CPUs with full-width AVX-512 units. The Eigen rename keeps its
// inline code apart from the other builds'.
#define Eigen QsEigenAvx512
#include "core/kernels/simd_impl.h"

namespace qs::kernels::detail {

void gemmAvx512(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
    std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C, std::int64_t ldc)
{
    gemmEigen<float>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemmAvx512(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, double alpha,
    const double* A, std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C,
    std::int64_t ldc)
{
    gemmEigen<double>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

} // namespace qs::kernels::detail
