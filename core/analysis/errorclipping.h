#pragma once
// How many values an integer quantizer clips: an element x is clipped low when x / scale + zeroPoint
// lies below qmin and high when it lies above qmax (QONNX clamps before rounding, so this is exactly
// the set of values the clamp changes). Per-channel scales and zero points follow the quantizer's axis.
#include "core/model/quantizer.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>

namespace qs {

struct ClipCounts {
    std::int64_t checked = 0;
    std::int64_t low = 0;
    std::int64_t high = 0;
};

// nullopt when the quantizer has no integer clamp (BipolarQuant, Trunc, FloatQuant, a lone
// DequantizeLinear) or its scale, zero point or range is unknown or does not map onto `x`'s shape.
std::optional<ClipCounts> countClipped(const Quantizer& quantizer, const Tensor& x);

} // namespace qs
