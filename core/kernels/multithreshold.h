#pragma once
// FINN / QONNX MultiThreshold (domain finn.custom_op.general, also qonnx.custom_op.general).
#include "core/util/tensor.h"

#include <string>

namespace qs::kernels {

struct MultiThresholdAttrs {
    double outScale = 1.0;
    double outBias = 0.0;
    // Decides the channel axis: when it has one letter per input dim, the position of 'C'
    // ("NCHW" -> 1, "NHWC" -> 3, "NC" -> 1, "NWC" -> 2). Otherwise QONNX's rule: rank 2 and 4 use
    // axis 1 (NCHW) or the last axis (NHWC), other ranks the last axis. out_dtype only annotates
    // the result, so it is not needed here.
    std::string dataLayout = "NCHW";
};

// y = outScale * #{t in thresholds[c] : x >= t} + outBias, where thresholds is [C or 1, T] and
// C = 1 applies one set to every channel. x Float32/Float64; y has x's dtype.
Tensor multiThreshold(const Tensor& x, const Tensor& thresholds, const MultiThresholdAttrs& attrs = {});

// The channel axis the attributes select for an input of this rank (throws Error for rank < 2).
int multiThresholdChannelAxis(int rank, const std::string& dataLayout);

} // namespace qs::kernels
