#pragma once
// GEMM for short dot products (K <= kSmallGemmK, simd.h), compiled per instruction set by
// simd_smallk_generic.cpp and simd_smallk_avx2.cpp, never with fused multiply-add: every output is
// the textbook float sum 0 + a0*b0 + a1*b1 + ... in k order, each product rounded, then alpha and beta.
// That is what numpy and most reference executors compute for such short sums, and a GEMM library's
// blocking and FMA buy nothing at this K.
#include "core/kernels/simd.h"

#include <algorithm>
#include <vector>

namespace qs::kernels::detail {

// Internal linkage: each includer is compiled for another instruction set, and a shared (COMDAT)
// instantiation would let the linker keep one build's code for all of them.
namespace {

template <class T>
void gemmSmallKImpl(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, T alpha,
    const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc)
{
    thread_local std::vector<T> bRows, acc;
    const T* rows = B; // rows[k * ldr + n] = op(B)[k, n]
    std::int64_t ldr = ldb;
    if (transB) {
        bRows.resize(static_cast<std::size_t>(K * N));
        for (std::int64_t n = 0; n < N; ++n)
            for (std::int64_t k = 0; k < K; ++k)
                bRows[static_cast<std::size_t>(k * N + n)] = B[n * ldb + k];
        rows = bRows.data();
        ldr = N;
    }
    acc.resize(static_cast<std::size_t>(N));
    T* const sum = acc.data();
    for (std::int64_t m = 0; m < M; ++m) {
        const auto a = [&](std::int64_t k) { return transA ? A[k * lda + m] : A[m * lda + k]; };
        // acc = 0, then += each product: a zero accumulator like numpy's and BLAS's (a lone -0
        // product gives +0).
        std::fill(sum, sum + N, T(0));
        for (std::int64_t k = 0; k < K; ++k) {
            const T ak = a(k);
            const T* const row = rows + k * ldr;
            for (std::int64_t n = 0; n < N; ++n)
                sum[n] = sum[n] + ak * row[n];
        }
        T* const c = C + m * ldc;
        if (beta == T(0))
            for (std::int64_t n = 0; n < N; ++n)
                c[n] = alpha * sum[n];
        else
            for (std::int64_t n = 0; n < N; ++n)
                c[n] = alpha * sum[n] + beta * c[n];
    }
}

} // namespace

} // namespace qs::kernels::detail
