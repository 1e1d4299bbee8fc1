#pragma once
// ONNX ConvTranspose (opsets 1-22) for 1-D, 2-D and 3-D NCHW inputs, Float32 or Float64.
#include "core/kernels/context.h"
#include "core/kernels/convgeometry.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::kernels {

struct ConvTransposeAttrs {
    std::vector<std::int64_t> kernelShape; // empty: taken from W
    std::vector<std::int64_t> strides; // empty: all 1
    std::vector<std::int64_t> pads; // [begin..., end...]; empty: all 0 (ignored with outputShape)
    std::vector<std::int64_t> dilations; // empty: all 1
    std::vector<std::int64_t> outputPadding; // empty: all 0
    std::vector<std::int64_t> outputShape; // spatial dims (or full N,C,... shape); empty: computed
    std::int64_t group = 1;
    AutoPad autoPad = AutoPad::NotSet;
};

// x [N, C, in...], w [C, M/group, kernel...], bias [M] or nullptr -> [N, M, out...] with
// out = stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1 - pad_begin - pad_end.
Tensor convTranspose(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvTransposeAttrs& attrs,
    const KernelContext& ctx = {});

} // namespace qs::kernels
