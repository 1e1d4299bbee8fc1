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
#ifdef QS_KERNELS_HAVE_AVX2
void gemmAvx512(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*, std::int64_t,
    const float*, std::int64_t, float, float*, std::int64_t);
void gemmAvx512(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*, std::int64_t,
    const double*, std::int64_t, double, double*, std::int64_t);
#endif
void gemmSmallKGeneric(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,
    std::int64_t, const float*, std::int64_t, float, float*, std::int64_t);
void gemmSmallKGeneric(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*,
    std::int64_t, const double*, std::int64_t, double, double*, std::int64_t);
#ifdef QS_KERNELS_HAVE_AVX2
void gemmSmallKAvx2(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*, std::int64_t,
    const float*, std::int64_t, float, float*, std::int64_t);
void gemmSmallKAvx2(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*, std::int64_t,
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

template <class Q> void quantizeCodesGeneric(const float*, std::int64_t, float, float, float, float, Q*);
template <class Q> void dequantizeCodesGeneric(const Q*, std::int64_t, std::int32_t, float, float*);
#ifdef QS_KERNELS_HAVE_AVX2
template <class Q> void quantizeCodesAvx2(const float*, std::int64_t, float, float, float, float, Q*);
template <class Q> void dequantizeCodesAvx2(const Q*, std::int64_t, std::int32_t, float, float*);
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

// The GEMM's AVX-512 build needs the subset that Eigen's AVX512 code uses.
bool useAvx512()
{
#ifdef QS_KERNELS_HAVE_AVX2
    static const bool has = useAvx2() && __builtin_cpu_supports("avx512f")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw");
    return has;
#else
    return false;
#endif
}

} // namespace

namespace {

// Short dot products go to the in-order small-K kernels (see simd.h), the rest to the widest Eigen
// build the CPU runs.
template <class T>
void gemmDispatch(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, T alpha,
    const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc)
{
    if (K <= kSmallGemmK) {
#ifdef QS_KERNELS_HAVE_AVX2
        if (useAvx2())
            return gemmSmallKAvx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
        return gemmSmallKGeneric(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    }
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx512())
        return gemmAvx512(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    if (useAvx2())
        return gemmAvx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
    gemmGeneric(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

} // namespace

void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
    const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
    std::int64_t ldc)
{
    gemmDispatch(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(bool transA, bool transB, std::int64_t M, std::int64_t N, std::int64_t K, double alpha,
    const double* A, std::int64_t lda, const double* B, std::int64_t ldb, double beta, double* C,
    std::int64_t ldc)
{
    gemmDispatch(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
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

namespace {

template <class Q>
void quantizeCodes(const float* x, std::int64_t n, float s, float z, float lo, float hi, Q* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return quantizeCodesAvx2<Q>(x, n, s, z, lo, hi, y);
#endif
    quantizeCodesGeneric<Q>(x, n, s, z, lo, hi, y);
}

template <class Q> void dequantizeCodesAny(const Q* x, std::int64_t n, std::int32_t z, float s, float* y)
{
#ifdef QS_KERNELS_HAVE_AVX2
    if (useAvx2())
        return dequantizeCodesAvx2<Q>(x, n, z, s, y);
#endif
    dequantizeCodesGeneric<Q>(x, n, z, s, y);
}

} // namespace

void quantizeToCodes(const float* x, std::int64_t n, float s, float z, float lo, float hi, std::int8_t* y)
{
    quantizeCodes(x, n, s, z, lo, hi, y);
}

void quantizeToCodes(const float* x, std::int64_t n, float s, float z, float lo, float hi, std::uint8_t* y)
{
    quantizeCodes(x, n, s, z, lo, hi, y);
}

void quantizeToCodes(const float* x, std::int64_t n, float s, float z, float lo, float hi, std::int16_t* y)
{
    quantizeCodes(x, n, s, z, lo, hi, y);
}

void dequantizeCodes(const std::int8_t* x, std::int64_t n, std::int32_t z, float s, float* y)
{
    dequantizeCodesAny(x, n, z, s, y);
}

void dequantizeCodes(const std::uint8_t* x, std::int64_t n, std::int32_t z, float s, float* y)
{
    dequantizeCodesAny(x, n, z, s, y);
}

const char* simdVariant()
{
    return useAvx512() ? "avx512 (GEMM), avx2" : useAvx2() ? "avx2" : "generic";
}

} // namespace qs::kernels::detail
