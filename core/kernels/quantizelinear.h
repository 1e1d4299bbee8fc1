#pragma once
// ONNX QuantizeLinear / DequantizeLinear (opsets 10-21): per-tensor, per-axis and blocked.
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>

namespace qs::kernels {

struct QuantAttrs {
    std::int64_t axis = 1; // per-axis and blocked quantization axis
    std::int64_t blockSize = 0; // opset 21 blocked quantization; 0 = off
    // QuantizeLinear output type when there is no zero point (opset 21 output_dtype); UInt8 by default.
    std::optional<DType> outputType;
};

// y = saturate(round_half_even(x / scale) + zero_point). x Float32/Float64; scale a scalar (or one
// element), a 1-D tensor of x.shape[axis] values, or for blocked quantization x's shape with
// ceil(dim / blockSize) along axis. zeroPoint (nullptr = 0) has scale's shape and decides the
// output type: Int8, UInt8, Int16 or Int32.
Tensor quantizeLinear(
    const Tensor& x, const Tensor& scale, const Tensor* zeroPoint, const QuantAttrs& attrs = {});

// y = (x - zero_point) * scale with the same scale layouts. x Int8, UInt8, Int16 or Int32 (Int32
// takes no non-zero zero point); the output has scale's dtype.
Tensor dequantizeLinear(
    const Tensor& x, const Tensor& scale, const Tensor* zeroPoint, const QuantAttrs& attrs = {});

} // namespace qs::kernels
