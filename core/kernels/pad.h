#pragma once
// ONNX Pad (opsets 2-21) for every dtype: constant, reflect, edge and wrap modes.
#include "core/util/tensor.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace qs::kernels {

enum class PadMode { Constant, Reflect, Edge, Wrap };

// "constant" (or empty), "reflect", "edge", "wrap"; throws Error otherwise.
PadMode parsePadMode(std::string_view text);

struct PadAttrs {
    PadMode mode = PadMode::Constant;
    std::vector<std::int64_t> pads; // [begin..., end...] for `axes` (all axes when empty)
    std::vector<std::int64_t> axes; // opset 18
    double constantValue = 0.0; // converted to x's dtype
};

// Negative pads crop. Reflect and wrap repeat as often as needed (numpy semantics); reflect and
// edge on an empty axis are Errors.
Tensor pad(const Tensor& x, const PadAttrs& attrs);

} // namespace qs::kernels
