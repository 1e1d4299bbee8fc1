#pragma once
// ONNX Cast between any two qs::DTypes.
#include "core/util/tensor.h"

namespace qs::kernels {

// Float -> integer truncates toward zero and saturates (NaN -> 0); anything -> Bool is != 0.
Tensor cast(const Tensor& x, DType to);

} // namespace qs::kernels
