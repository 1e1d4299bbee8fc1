#pragma once
// ONNX MatMul (numpy matmul with batch broadcasting) and Gemm, Float32 or Float64.
#include "core/kernels/context.h"
#include "core/util/tensor.h"

namespace qs::kernels {

// a [..., M, K] x b [..., K, N] -> [..., M, N]; 1-D operands get a dim prepended (a) or appended (b)
// that is removed from the result, as numpy does.
Tensor matMul(const Tensor& a, const Tensor& b, const KernelContext& ctx = {});

struct GemmAttrs {
    double alpha = 1.0;
    double beta = 1.0;
    bool transA = false;
    bool transB = false;
};

// alpha * op(a) * op(b) + beta * c, a and b 2-D; c (or nullptr) broadcasts unidirectionally to [M, N].
Tensor gemm(
    const Tensor& a, const Tensor& b, const Tensor* c, const GemmAttrs& attrs, const KernelContext& ctx = {});

} // namespace qs::kernels
