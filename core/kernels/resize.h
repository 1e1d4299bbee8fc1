#pragma once
// ONNX Resize (opsets 10-19) and Upsample (opsets 7-9) for Float32/Float64 tensors of any rank.
#include "core/util/tensor.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace qs::kernels {

enum class ResizeMode { Nearest, Linear, Cubic };
enum class CoordinateTransform {
    HalfPixel,
    HalfPixelSymmetric,
    PytorchHalfPixel,
    AlignCorners,
    Asymmetric,
    TfHalfPixelForNN,
    TfCropAndResize
};
// Simple is opset-10 Resize / Upsample nearest: floor when upsampling, ceil when downsampling.
enum class NearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple };
enum class KeepAspectRatio { Stretch, NotLarger, NotSmaller };

// Attribute strings as ONNX spells them; each throws Error for an unknown value.
ResizeMode parseResizeMode(std::string_view text); // "nearest", "linear"/"bilinear", "cubic"
CoordinateTransform parseCoordinateTransform(std::string_view text); // "half_pixel", ...
NearestMode parseNearestMode(std::string_view text); // "round_prefer_floor", ...
KeepAspectRatio parseKeepAspectRatio(std::string_view text); // "stretch", "not_larger", "not_smaller"

struct ResizeAttrs {
    ResizeMode mode = ResizeMode::Nearest;
    CoordinateTransform coordinateTransform = CoordinateTransform::HalfPixel;
    NearestMode nearestMode = NearestMode::RoundPreferFloor;
    double cubicCoeffA = -0.75;
    bool excludeOutside = false;
    double extrapolationValue = 0.0; // tf_crop_and_resize outside the image
    std::vector<std::int64_t> axes; // opset 18; empty: all axes
    KeepAspectRatio keepAspectRatio = KeepAspectRatio::Stretch; // with sizes only
    bool antialias = false; // opset 18; not supported (Error)
};

// Exactly one of scales / sizes is non-empty, one value per axis in attrs.axes (or per input dim).
// Scales are the float32 values from the model; output dims are floor(in * scale) (times the roi
// extent for tf_crop_and_resize). roi: [starts..., ends...] normalized, tf_crop_and_resize only.
Tensor resize(const Tensor& x, const std::vector<float>& scales, const std::vector<std::int64_t>& sizes,
    const ResizeAttrs& attrs = {}, const std::vector<double>& roi = {});

// Upsample-7/9 and Resize-10: asymmetric coordinates; nearest uses NearestMode::Simple.
Tensor upsample(const Tensor& x, const std::vector<float>& scales, ResizeMode mode = ResizeMode::Nearest);

} // namespace qs::kernels
