#include "core/kernels/simd.h"

namespace qs::kernels::detail {

void gemmGeneric(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*, std::int64_t,
    const float*, std::int64_t, float, float*, std::int64_t);
void gemmGeneric(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*, std::int64_t,
    const double*, std::int64_t, double, double*, std::int64_t);
#ifdef QS_KERNELS_HAVE_AVX2
void gemmAvx2(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*, std::int64_t,
    const float*, std::int64_t, float, float*, std::int64_t);
void gemmAvx2(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*, std::int64_t,
    const double*, std::int64_t, double, double*, std::int64_t);
#endif
void depthwiseGeneric(const DepthwiseGeometry&, const float*, const float*, float, float*);
void depthwiseGeneric(const DepthwiseGeometry&, const double*, const double*, double, double*);
#ifdef QS_KERNELS_HAVE_AVX2
void depthwiseAvx2(const DepthwiseGeometry&, const float*, const float*, float, float*);
void depthwiseAvx2(const DepthwiseGeometry&, const double*, const double*, double, double*);
#endif

void quantizeGeneric(const float*, std::int64_t, float, float, float, float, float*);
void quantizeGeneric(const double*, std::int64_t, double, double, double, double, double*);
#ifdef QS_KERNELS_HAVE_AVX2
void quantizeAvx2(const float*, std::int64_t, float, float, float, float, float*);
void quantizeAvx2(const double*, std::int64_t, double, double, double, double, double*);
#endif

namespace {

bool useAvx2()
{
#ifdef QS_KERNELS_HAVE_AVX2
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
#else
    return false;
#endif
}

} // namespace

void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
    const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
    std::int64_t ldc)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return gemmAvx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
    gemmGeneric(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, double alpha,
    const double* A, std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C,
    std::int64_t ldc)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return gemmAvx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
    gemmGeneric(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void depthwisePlane(const DepthwiseGeometry& g, const float* x, const float* w, float bias, float* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return depthwiseAvx2(g, x, w, bias, y);
#endif
    depthwiseGeneric(g, x, w, bias, y);
}

void depthwisePlane(const DepthwiseGeometry& g, const double* x, const double* w, double bias, double* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return depthwiseAvx2(g, x, w, bias, y);
#endif
    depthwiseGeneric(g, x, w, bias, y);
}

void quantizeSpan(const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, float* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return quantizeAvx2(x, n, scale, zeroPoint, lo, hi, y);
#endif
    quantizeGeneric(x, n, scale, zeroPoint, lo, hi, y);
}

void quantizeSpan(
    const double* x, std::int64_t n, double scale, double zeroPoint, double lo, double hi, double* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return quantizeAvx2(x, n, scale, zeroPoint, lo, hi, y);
#endif
    quantizeGeneric(x, n, scale, zeroPoint, lo, hi, y);
}

const char* simdVariant()
{
    return useAvx2() ? "avx2" : "generic";
}

} // namespace qs::kernels::detail
