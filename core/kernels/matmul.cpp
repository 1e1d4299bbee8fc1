#include "core/kernels/matmul.h"

#include "core/kernels/detail.h"
#include "core/kernels/simd.h"
#include "core/kernels/threadpool.h"
#include "core/util/broadcast.h"

#include <algorithm>
#include <string>

namespace qs::kernels {

namespace {

// Splits M rows into chunks so that single-matrix products still give several threads work; by a
// constant (kParallelPieces), so that the chunks and the sums do not depend on the thread count.
std::int64_t rowChunks(std::int64_t batches, std::int64_t M)
{
    if (batches >= kParallelPieces)
        return 1;
    return std::clamp<std::int64_t>(
        (kParallelPieces + batches - 1) / batches, 1, std::max<std::int64_t>(1, M / 8));
}

} // namespace

Tensor matMul(const Tensor& a, const Tensor& b, const KernelContext& ctx)
{
    detail::requireFloat(a, "MatMul");
    if (a.dtype() != b.dtype())
        throw Error("MatMul: operands have different element types (" + std::string(dtypeName(a.dtype()))
            + ", " + dtypeName(b.dtype()) + ")");
    if (a.rank() == 0 || b.rank() == 0)
        throw Error("MatMul: operands must have rank >= 1");
    Shape sa = a.shape(), sb = b.shape();
    const bool vecA = sa.size() == 1, vecB = sb.size() == 1;
    if (vecA)
        sa.insert(sa.begin(), 1);
    if (vecB)
        sb.push_back(1);
    const std::int64_t M = sa[sa.size() - 2], K = sa.back(), N = sb.back();
    if (sb[sb.size() - 2] != K)
        throw Error("MatMul: inner dimensions differ: " + shapeToString(a.shape()) + " x "
            + shapeToString(b.shape()));
    const Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
    const Shape batch = broadcastShapes(batchA, batchB);
    Shape outShape = batch;
    if (!vecA)
        outShape.push_back(M);
    if (!vecB)
        outShape.push_back(N);
    Tensor y = Tensor::uninitialized(a.dtype(), outShape); // beta = 0: GEMM overwrites
    const std::int64_t batches = elementCount(batch);
    if (y.empty())
        return y;
    // Per-batch element offsets of each operand (0 along broadcast batch axes).
    std::vector<std::int64_t> offA(detail::toSize(batches)), offB(detail::toSize(batches));
    const std::array<std::vector<std::int64_t>, 2> strides {
        broadcastStrides(batchA, batch), broadcastStrides(batchB, batch)};
    forEachBroadcast<2>(batch, strides, [&](std::int64_t i, const std::array<std::int64_t, 2>& o) {
        offA[detail::toSize(i)] = o[0];
        offB[detail::toSize(i)] = o[1];
    });
    const KernelContext work = contextForWork(ctx, batches * M * N * K);
    const std::int64_t chunks = rowChunks(batches, M);
    const std::int64_t rows = (M + chunks - 1) / chunks;
    detail::dispatchFloat(a.dtype(), "MatMul", [&](auto tag) {
        using T = decltype(tag);
        const T* A = a.data<T>();
        const T* B = b.data<T>();
        T* C = y.data<T>();
        parallelFor(work, 0, batches * chunks, [&](std::int64_t task) {
            const std::int64_t i = task / chunks, r0 = (task % chunks) * rows, r1 = std::min(M, r0 + rows);
            if (r0 >= r1)
                return;
            detail::gemm(false, false, r1 - r0, N, K, T(1), A + offA[detail::toSize(i)] * M * K + r0 * K, K,
                B + offB[detail::toSize(i)] * K * N, N, T(0), C + i * M * N + r0 * N, N);
        });
    });
    return y;
}

Tensor gemm(
    const Tensor& a, const Tensor& b, const Tensor* c, const GemmAttrs& attrs, const KernelContext& ctx)
{
    detail::requireFloat(a, "Gemm");
    if (a.dtype() != b.dtype() || (c && c->dtype() != a.dtype()))
        throw Error("Gemm: A, B and C must have the same element type");
    if (a.rank() != 2 || b.rank() != 2)
        throw Error("Gemm: A and B must be 2-D (got " + shapeToString(a.shape()) + " and "
            + shapeToString(b.shape()) + ")");
    const std::int64_t M = attrs.transA ? a.shape()[1] : a.shape()[0];
    const std::int64_t K = attrs.transA ? a.shape()[0] : a.shape()[1];
    const std::int64_t KB = attrs.transB ? b.shape()[1] : b.shape()[0];
    const std::int64_t N = attrs.transB ? b.shape()[0] : b.shape()[1];
    if (K != KB)
        throw Error("Gemm: inner dimensions differ: " + shapeToString(a.shape()) + " x "
            + shapeToString(b.shape()) + (attrs.transA ? " (transA)" : "")
            + (attrs.transB ? " (transB)" : ""));
    Tensor y = Tensor::uninitialized(a.dtype(), {M, N}); // C copied in, or GEMM with beta = 0
    const bool useC = c && attrs.beta != 0.0;
    if (useC) {
        if (c->rank() > 2 || broadcastShapes(c->shape(), {M, N}) != Shape {M, N})
            throw Error("Gemm: C of shape " + shapeToString(c->shape()) + " does not broadcast to "
                + shapeToString({M, N}));
    }
    if (y.empty())
        return y;
    detail::dispatchFloat(a.dtype(), "Gemm", [&](auto tag) {
        using T = decltype(tag);
        T* Y = y.data<T>();
        if (useC) {
            const std::array<std::vector<std::int64_t>, 1> s {broadcastStrides(c->shape(), {M, N})};
            const T* Cd = c->data<T>();
            forEachBroadcast<1>(
                {M, N}, s, [&](std::int64_t i, const std::array<std::int64_t, 1>& o) { Y[i] = Cd[o[0]]; });
        }
        const T* A = a.data<T>();
        const T* B = b.data<T>();
        const KernelContext work = contextForWork(ctx, M * N * K);
        const std::int64_t chunks = rowChunks(1, M);
        const std::int64_t rows = (M + chunks - 1) / chunks;
        const std::int64_t lda = a.shape()[1], ldb = b.shape()[1];
        parallelFor(work, 0, chunks, [&](std::int64_t t) {
            const std::int64_t r0 = t * rows, r1 = std::min(M, r0 + rows);
            if (r0 >= r1)
                return;
            const T* Ar = attrs.transA ? A + r0 : A + r0 * lda;
            detail::gemm(attrs.transA, attrs.transB, r1 - r0, N, K, static_cast<T>(attrs.alpha), Ar, lda, B,
                ldb, useC ? static_cast<T>(attrs.beta) : T(0), Y + r0 * N, N);
        });
    });
    return y;
}

} // namespace qs::kernels
