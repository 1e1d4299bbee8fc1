#pragma once
// ONNX Softmax / LogSoftmax / Hardmax, Float32 or Float64.
#include "core/util/tensor.h"

#include <cstdint>

namespace qs::kernels {

struct SoftmaxAttrs {
    std::int64_t axis = -1; // ONNX default: -1 from opset 13, 1 before
    // Opsets < 13 flatten the input to 2-D [prod(dims < axis), prod(dims >= axis)] and normalize
    // each row; 13+ normalize along the single axis.
    bool flattenTo2d = false;
};

Tensor softmax(const Tensor& x, const SoftmaxAttrs& attrs = {});
Tensor logSoftmax(const Tensor& x, const SoftmaxAttrs& attrs = {});
Tensor hardmax(const Tensor& x, const SoftmaxAttrs& attrs = {});

} // namespace qs::kernels
