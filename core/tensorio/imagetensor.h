#pragma once
// Images as network inputs: decoded 8-bit pixels (decoding lives outside core, in app/imageio) become
// the tensor an image-shaped graph input expects — NCHW or NHWC, resized, scaled, normalised, RGB or
// BGR, gray or colour — with the input's element type and one batch entry per image.
#include "core/model/graphindex.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// Decoded pixels: rows top to bottom, channels interleaved, 1 (gray) or 3 (R, G, B) per pixel.
struct DecodedImage {
    std::string name; // the file, for messages
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels; // height * width * channels bytes
};

enum class ImageLayout { Auto, Nchw, Nhwc };
enum class ChannelOrder { Rgb, Bgr };

struct ImageTensorOptions {
    // Auto: NCHW when dim 1 holds 1 or 3 channels, NHWC when only dim 3 does (NCHW when both do).
    ImageLayout layout = ImageLayout::Auto;
    // Target size; 0 takes the input's declared spatial dim, or the first image's own size when the
    // dim is symbolic. Images of another size are resized bilinearly.
    std::int64_t height = 0;
    std::int64_t width = 0;
    // value = pixel * scale + offset, then (value - mean[c]) / std[c]. No scale: 1/255 for float
    // inputs, 1 for integer inputs (whose values are rounded to nearest even and saturated).
    std::optional<double> scale;
    double offset = 0;
    std::vector<double> mean; // empty, one value for all channels, or one per channel (tensor order)
    std::vector<double> std; // the same; empty means 1
    ChannelOrder order = ChannelOrder::Rgb;
};

// Where an image-shaped input keeps its dims (-1 where the model leaves them symbolic).
struct ImageInputShape {
    ImageLayout layout = ImageLayout::Nchw; // Nchw or Nhwc, never Auto
    std::int64_t channels = -1;
    std::int64_t height = -1;
    std::int64_t width = -1;
};

// Throws Error naming the input when it is not rank 4 with 1 or 3 channels in the requested layout.
ImageInputShape imageInputShape(const TensorInfo& input, ImageLayout requested = ImageLayout::Auto);

// The batch of `images` for `input`: gray images feed 3-channel inputs as R = G = B, colour images
// feed 1-channel inputs as BT.601 luma 0.299 R + 0.587 G + 0.114 B (not rounded). Resizing is
// bilinear with half-pixel centres and edge clamping (OpenCV INTER_LINEAR, ONNX Resize linear
// half_pixel; no antialiasing). Throws Error naming the input or the image at fault.
Tensor imageTensor(
    const std::vector<DecodedImage>& images, const TensorInfo& input, const ImageTensorOptions& options = {});

} // namespace qs
