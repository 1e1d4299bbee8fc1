// Baseline build of the short-K GEMM (simd_smallk_impl.h).
#include "core/kernels/simd_smallk_impl.h"

namespace qs::kernels::detail {

void gemmSmallKGeneric(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
    const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
    std::int64_t ldc)
{
    gemmSmallKImpl<float>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemmSmallKGeneric(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, double alpha,
    const double* A, std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C,
    std::int64_t ldc)
{
    gemmSmallKImpl<double>(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

} // namespace qs::kernels::detail
