#pragma once
// ONNX Reduce* operators. Axes arrive as a list whether the opset had them as an attribute or as
// an input; noopWithEmptyAxes (opset 13/18) makes an empty list mean "return the input".
#include "core/util/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::kernels {

enum class ReduceOp { Sum, Mean, Max, Min, Prod, SumSquare, L1, L2, LogSumExp };

struct ReduceAttrs {
    std::vector<std::int64_t> axes; // empty: all axes (unless noopWithEmptyAxes)
    bool keepdims = true;
    bool noopWithEmptyAxes = false;
};

// Float32/Float64 for every op; Int64/Int32 also for Sum, Max, Min and Prod.
Tensor reduce(ReduceOp op, const Tensor& x, const ReduceAttrs& attrs);

} // namespace qs::kernels
