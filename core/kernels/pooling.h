#pragma once
// ONNX MaxPool, AveragePool (1-D/2-D/3-D, NCHW) and the global pools, Float32 or Float64.
#include "core/kernels/context.h"
#include "core/kernels/convgeometry.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::kernels {

struct PoolAttrs {
    std::vector<std::int64_t> kernelShape; // required, one per spatial dim
    std::vector<std::int64_t> strides; // empty: all 1
    std::vector<std::int64_t> pads; // [begin..., end...]; empty: all 0
    std::vector<std::int64_t> dilations; // empty: all 1 (AveragePool has them from opset 19)
    AutoPad autoPad = AutoPad::NotSet;
    bool ceilMode = false;
    bool countIncludePad = false; // AveragePool only
    int storageOrder = 0; // MaxPool Indices: 0 row-major, 1 column-major
};

struct MaxPoolResult {
    Tensor values;
    Tensor indices; // Int64 flat indices into x (per ONNX, counting the batch and channel too)
};

Tensor maxPool(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx = {});
MaxPoolResult maxPoolWithIndices(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx = {});
// Pads count toward the divisor only with countIncludePad; the part of a ceil-mode window that
// hangs past the end padding never does.
Tensor averagePool(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx = {});
Tensor globalAveragePool(const Tensor& x);
Tensor globalMaxPool(const Tensor& x);

} // namespace qs::kernels
