#include "core/tensorio/imagetensor.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {
namespace {

bool isChannelCount(std::int64_t d)
{
    return d == 1 || d == 3;
}

std::string describe(const TensorInfo& input)
{
    return "input '" + input.name + "' " + input.shapeString();
}

[[noreturn]] void notImageShaped(const TensorInfo& input, const std::string& why)
{
    throw Error(describe(input) + " is not image-shaped (" + why
        + "; expected rank 4, NCHW or NHWC with 1 or 3 channels)");
}

// One output axis of a bilinear resize: source indices and the weight of the second one.
struct Taps {
    std::vector<std::int64_t> lo, hi;
    std::vector<double> frac;
};

Taps bilinearTaps(std::int64_t in, std::int64_t out)
{
    Taps t;
    const double ratio = static_cast<double>(in) / static_cast<double>(out);
    for (std::int64_t o = 0; o < out; ++o) {
        const double src = std::max(0.0, (static_cast<double>(o) + 0.5) * ratio - 0.5);
        const auto lo = std::min(static_cast<std::int64_t>(src), in - 1);
        t.lo.push_back(lo);
        t.hi.push_back(std::min(lo + 1, in - 1));
        t.frac.push_back(lo + 1 < in ? src - static_cast<double>(lo) : 0.0);
    }
    return t;
}

// The image as `channels` planes of doubles in [0, 255], RGB order (gray converted as documented).
std::vector<double> planes(const DecodedImage& image, std::int64_t channels)
{
    const std::int64_t n = std::int64_t(image.width) * image.height;
    std::vector<double> out(static_cast<std::size_t>(channels * n));
    const std::uint8_t* px = image.pixels.data();
    for (std::int64_t i = 0; i < n; ++i) {
        const std::uint8_t* p = px + i * image.channels;
        if (channels == 1) {
            out[static_cast<std::size_t>(i)]
                = image.channels == 1 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        } else {
            for (std::int64_t c = 0; c < 3; ++c)
                out[static_cast<std::size_t>(c * n + i)] = p[image.channels == 1 ? 0 : c];
        }
    }
    return out;
}

void checkImage(const DecodedImage& image)
{
    if (image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3))
        throw Error("image " + image.name + ": " + std::to_string(image.width) + "x"
            + std::to_string(image.height) + " with " + std::to_string(image.channels)
            + " channels is not a gray or RGB picture");
    if (image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * image.channels)
        throw Error("image " + image.name + ": pixel buffer has " + std::to_string(image.pixels.size())
            + " bytes, expected width * height * channels");
}

std::vector<double> perChannel(const std::vector<double>& values, std::int64_t channels, double fallback,
    const char* what, const TensorInfo& input)
{
    if (values.empty())
        return std::vector<double>(static_cast<std::size_t>(channels), fallback);
    if (values.size() == 1)
        return std::vector<double>(static_cast<std::size_t>(channels), values[0]);
    if (static_cast<std::int64_t>(values.size()) != channels)
        throw Error(std::string("image ") + what + " has " + std::to_string(values.size()) + " values but "
            + describe(input) + " has " + std::to_string(channels) + " channels");
    return values;
}

// Rounds to nearest even and saturates to the integer type's range.
double toIntegerRange(double v, DType type)
{
    double lo = 0, hi = 0;
    switch (type) {
    case DType::Int8:
        lo = -128, hi = 127;
        break;
    case DType::UInt8:
        lo = 0, hi = 255;
        break;
    case DType::Int16:
        lo = -32768, hi = 32767;
        break;
    case DType::Int32:
        lo = -2147483648.0, hi = 2147483647.0;
        break;
    default:
        lo = -9.0e15, hi = 9.0e15;
        break;
    }
    return std::clamp(std::nearbyint(v), lo, hi);
}

} // namespace

ImageInputShape imageInputShape(const TensorInfo& input, ImageLayout requested)
{
    if (!input.dims)
        notImageShaped(input, "its shape is not declared");
    const auto& d = *input.dims;
    if (d.size() != 4)
        notImageShaped(input, "rank " + std::to_string(d.size()));
    const std::int64_t d1 = d[1].value, d3 = d[3].value; // -1 when symbolic
    ImageLayout layout = requested;
    if (layout == ImageLayout::Auto) {
        if (isChannelCount(d1) || (d1 < 0 && !isChannelCount(d3)))
            layout = ImageLayout::Nchw;
        else if (isChannelCount(d3) || d3 < 0)
            layout = ImageLayout::Nhwc;
        else
            notImageShaped(input, "neither dim 1 nor dim 3 holds 1 or 3 channels");
    }
    ImageInputShape s;
    s.layout = layout;
    const bool nchw = layout == ImageLayout::Nchw;
    s.channels = nchw ? d1 : d3;
    s.height = nchw ? d[2].value : d[1].value;
    s.width = nchw ? d3 : d[2].value;
    if (s.channels >= 0 && !isChannelCount(s.channels))
        notImageShaped(input,
            std::string(nchw ? "NCHW" : "NHWC") + " gives " + std::to_string(s.channels) + " channels");
    return s;
}

Tensor imageTensor(
    const std::vector<DecodedImage>& images, const TensorInfo& input, const ImageTensorOptions& options)
{
    if (images.empty())
        throw Error("no image given for " + describe(input));
    for (const DecodedImage& image : images)
        checkImage(image);
    const ImageInputShape shape = imageInputShape(input, options.layout);
    const DType type = dtypeFromOnnx(input.elemType == 0 ? 1 : input.elemType, describe(input));
    if (type == DType::Bool)
        throw Error(describe(input) + " is boolean; images need a numeric input");

    // Symbolic dims follow the images: colour if any image has colour, the first image's size.
    std::int64_t channels = shape.channels;
    if (channels < 0)
        channels
            = std::any_of(images.begin(), images.end(), [](const DecodedImage& i) { return i.channels == 3; })
            ? 3
            : 1;
    const std::int64_t H = options.height > 0 ? options.height
        : shape.height >= 0                   ? shape.height
                                              : images[0].height;
    const std::int64_t W = options.width > 0 ? options.width
        : shape.width >= 0                   ? shape.width
                                             : images[0].width;
    if ((options.height > 0 && shape.height >= 0 && options.height != shape.height)
        || (options.width > 0 && shape.width >= 0 && options.width != shape.width))
        throw Error("image size " + std::to_string(H) + "x" + std::to_string(W) + " does not match "
            + describe(input));

    const double scale = options.scale ? *options.scale : isFloating(type) ? 1.0 / 255.0 : 1.0;
    const std::vector<double> mean = perChannel(options.mean, channels, 0.0, "mean", input);
    const std::vector<double> stdev = perChannel(options.std, channels, 1.0, "std", input);
    for (double s : stdev)
        if (s == 0 || !std::isfinite(s))
            throw Error("image std must be finite and non-zero for " + describe(input));

    const auto N = static_cast<std::int64_t>(images.size());
    const bool nchw = shape.layout == ImageLayout::Nchw;
    Tensor out(DType::Float64, nchw ? Shape {N, channels, H, W} : Shape {N, H, W, channels});
    double* y = out.data<double>();
    for (std::int64_t n = 0; n < N; ++n) {
        const DecodedImage& image = images[static_cast<std::size_t>(n)];
        const std::vector<double> src = planes(image, channels);
        const Taps ty = bilinearTaps(image.height, H), tx = bilinearTaps(image.width, W);
        const std::int64_t iw = image.width, plane = iw * image.height;
        for (std::int64_t c = 0; c < channels; ++c) {
            // Tensor channel c reads image channel c (RGB) or the mirrored one (BGR).
            const std::int64_t from = options.order == ChannelOrder::Bgr && channels == 3 ? 2 - c : c;
            const double* p = src.data() + from * plane;
            const auto ci = static_cast<std::size_t>(c);
            for (std::int64_t h = 0; h < H; ++h) {
                const auto hs = static_cast<std::size_t>(h);
                const double fy = ty.frac[hs];
                const double* r0 = p + ty.lo[hs] * iw;
                const double* r1 = p + ty.hi[hs] * iw;
                for (std::int64_t w = 0; w < W; ++w) {
                    const auto ws = static_cast<std::size_t>(w);
                    const double fx = tx.frac[ws];
                    const double top = r0[tx.lo[ws]] + (r0[tx.hi[ws]] - r0[tx.lo[ws]]) * fx;
                    const double bottom = r1[tx.lo[ws]] + (r1[tx.hi[ws]] - r1[tx.lo[ws]]) * fx;
                    const double pixel = top + (bottom - top) * fy;
                    const double v = (pixel * scale + options.offset - mean[ci]) / stdev[ci];
                    const std::int64_t at
                        = nchw ? ((n * channels + c) * H + h) * W + w : ((n * H + h) * W + w) * channels + c;
                    y[at] = isFloating(type) ? v : toIntegerRange(v, type);
                }
            }
        }
    }
    return type == DType::Float64 ? out : out.cast(type);
}

} // namespace qs
