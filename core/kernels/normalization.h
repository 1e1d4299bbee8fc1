#pragma once
// ONNX BatchNormalization in inference mode, Float32 or Float64.
#include "core/util/tensor.h"

namespace qs::kernels {

// x [N, C, ...]; scale, bias, mean, var [C]: y = scale * (x - mean) / sqrt(var + epsilon) + bias.
// (training_mode = 1 is the executor's to refuse.)
Tensor batchNormalization(const Tensor& x, const Tensor& scale, const Tensor& bias, const Tensor& mean,
    const Tensor& var, double epsilon = 1e-5);

} // namespace qs::kernels
