#pragma once
// ONNX Conv (opsets 1-22) for 1-D, 2-D and 3-D inputs in NCHW layout, Float32 or Float64.
#include "core/kernels/context.h"
#include "core/kernels/convgeometry.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::kernels {

struct ConvAttrs {
    std::vector<std::int64_t> kernelShape; // empty: taken from W
    std::vector<std::int64_t> strides; // empty: all 1
    std::vector<std::int64_t> pads; // [begin..., end...]; empty: all 0
    std::vector<std::int64_t> dilations; // empty: all 1
    std::int64_t group = 1;
    AutoPad autoPad = AutoPad::NotSet;
};

// x [N, C, spatial...], w [M, C/group, kernel...], bias [M] or nullptr -> [N, M, out...].
// im2col + GEMM; 1x1 stride-1 unpadded convs skip im2col, depthwise convs use a direct loop.
Tensor conv(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvAttrs& attrs,
    const KernelContext& ctx = {});

} // namespace qs::kernels
