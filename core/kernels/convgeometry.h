#pragma once
// Window geometry shared by Conv, ConvTranspose and the pools: validates kernel/stride/pad/dilation
// attributes against the input and resolves auto_pad into explicit pads and output sizes.
#include "core/util/tensor.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace qs::kernels {

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

// "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID" (empty = NOTSET); throws Error otherwise.
AutoPad parseAutoPad(std::string_view text);

struct WindowGeometry {
    int dims = 0; // spatial dims
    Shape in, kernel, out;
    std::vector<std::int64_t> strides, dilations, padBegin, padEnd;
};

// kernel: the window per spatial dim. strides/dilations empty = all 1; pads empty = all 0, else
// [begin..., end...]. ceilMode rounds the output size up (pools), dropping a last window that
// would start inside the end padding. Throws Error for zero strides/dilations, negative pads,
// mismatched lengths, or a window larger than the padded input.
WindowGeometry resolveWindow(const char* op, const Shape& inSpatial, const Shape& kernel,
    const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& pads,
    const std::vector<std::int64_t>& dilations, AutoPad autoPad, bool ceilMode = false);

namespace detail {
// The same geometry lifted to exactly 3 spatial dims (leading dims of size 1), so that one loop
// nest serves 1-D, 2-D and 3-D kernels.
WindowGeometry liftTo3d(const WindowGeometry& g);
} // namespace detail

} // namespace qs::kernels
