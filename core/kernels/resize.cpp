#include "core/kernels/resize.h"

#include "core/kernels/detail.h"
#include "core/kernels/shapeops.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace qs::kernels {

using detail::toSize;

ResizeMode parseResizeMode(std::string_view t)
{
    if (t == "nearest")
        return ResizeMode::Nearest;
    if (t == "linear" || t == "bilinear")
        return ResizeMode::Linear;
    if (t == "cubic")
        return ResizeMode::Cubic;
    throw Error("Resize: unknown mode '" + std::string(t) + "'");
}

CoordinateTransform parseCoordinateTransform(std::string_view t)
{
    if (t == "half_pixel")
        return CoordinateTransform::HalfPixel;
    if (t == "half_pixel_symmetric")
        return CoordinateTransform::HalfPixelSymmetric;
    if (t == "pytorch_half_pixel")
        return CoordinateTransform::PytorchHalfPixel;
    if (t == "align_corners")
        return CoordinateTransform::AlignCorners;
    if (t == "asymmetric")
        return CoordinateTransform::Asymmetric;
    if (t == "tf_half_pixel_for_nn")
        return CoordinateTransform::TfHalfPixelForNN;
    if (t == "tf_crop_and_resize")
        return CoordinateTransform::TfCropAndResize;
    throw Error("Resize: unknown coordinate_transformation_mode '" + std::string(t) + "'");
}

NearestMode parseNearestMode(std::string_view t)
{
    if (t == "round_prefer_floor")
        return NearestMode::RoundPreferFloor;
    if (t == "round_prefer_ceil")
        return NearestMode::RoundPreferCeil;
    if (t == "floor")
        return NearestMode::Floor;
    if (t == "ceil")
        return NearestMode::Ceil;
    throw Error("Resize: unknown nearest_mode '" + std::string(t) + "'");
}

KeepAspectRatio parseKeepAspectRatio(std::string_view t)
{
    if (t == "stretch")
        return KeepAspectRatio::Stretch;
    if (t == "not_larger")
        return KeepAspectRatio::NotLarger;
    if (t == "not_smaller")
        return KeepAspectRatio::NotSmaller;
    throw Error("Resize: unknown keep_aspect_ratio_policy '" + std::string(t) + "'");
}

namespace {

struct Tap {
    std::int64_t index;
    double weight;
};

// Interpolation taps of one output coordinate; an empty list means "outside: extrapolate".
using Taps = std::vector<Tap>;

// `out` is length_resized as the spec uses it: in * scale (not rounded) when scales are given.
double originalCoordinate(const ResizeAttrs& at, double x, double scale, std::int64_t in, double out,
    double roiStart, double roiEnd)
{
    switch (at.coordinateTransform) {
    case CoordinateTransform::HalfPixel:
        return (x + 0.5) / scale - 0.5;
    case CoordinateTransform::HalfPixelSymmetric: {
        const double adjustment = std::floor(out) / (scale * static_cast<double>(in));
        const double center = static_cast<double>(in) / 2;
        return center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    case CoordinateTransform::PytorchHalfPixel:
        return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case CoordinateTransform::AlignCorners:
        return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / (out - 1);
    case CoordinateTransform::Asymmetric:
        return x / scale;
    case CoordinateTransform::TfHalfPixelForNN:
        return (x + 0.5) / scale;
    case CoordinateTransform::TfCropAndResize:
        return out > 1 ? roiStart * static_cast<double>(in - 1)
                + x * (roiEnd - roiStart) * static_cast<double>(in - 1) / (out - 1)
                       : 0.5 * (roiStart + roiEnd) * static_cast<double>(in - 1);
    }
    return 0.0;
}

std::int64_t nearestIndex(NearestMode mode, double v, double scale)
{
    switch (mode) {
    case NearestMode::RoundPreferFloor:
        return static_cast<std::int64_t>(v == std::floor(v) + 0.5 ? std::floor(v) : std::round(v));
    case NearestMode::RoundPreferCeil:
        return static_cast<std::int64_t>(std::floor(v + 0.5));
    case NearestMode::Floor:
        return static_cast<std::int64_t>(std::floor(v));
    case NearestMode::Ceil:
        return static_cast<std::int64_t>(std::ceil(v));
    case NearestMode::Simple:
        return static_cast<std::int64_t>(scale < 1 ? std::ceil(v) : std::trunc(v));
    }
    return 0;
}

double cubicWeight(double s, double A)
{
    s = std::abs(s);
    if (s <= 1)
        return ((A + 2) * s - (A + 3)) * s * s + 1;
    if (s < 2)
        return ((A * s - 5 * A) * s + 8 * A) * s - 4 * A;
    return 0;
}

std::vector<Taps> axisTaps(const ResizeAttrs& at, std::int64_t in, std::int64_t out, double lengthResized,
    double scale, double r0, double r1)
{
    std::vector<Taps> taps(toSize(out));
    const bool crop = at.coordinateTransform == CoordinateTransform::TfCropAndResize;
    const auto last = static_cast<double>(in - 1);
    for (std::int64_t o = 0; o < out; ++o) {
        double v = originalCoordinate(at, static_cast<double>(o), scale, in, lengthResized, r0, r1);
        Taps& t = taps[toSize(o)];
        if (crop && (v < 0 || v > last || !std::isfinite(v)))
            continue;
        if (!std::isfinite(v))
            v = 0;
        if (at.mode == ResizeMode::Nearest) {
            t.push_back({std::clamp<std::int64_t>(nearestIndex(at.nearestMode, v, scale), 0, in - 1), 1.0});
        } else if (at.mode == ResizeMode::Linear) {
            v = std::clamp(v, 0.0, last);
            const auto i0 = static_cast<std::int64_t>(std::floor(v));
            const std::int64_t i1 = std::min(i0 + 1, in - 1);
            const double f = v - static_cast<double>(i0);
            t.push_back({i0, 1 - f});
            if (f != 0)
                t.push_back({i1, f});
        } else {
            const double fl = std::floor(v);
            const double f = v - fl;
            double sum = 0;
            for (int k = -1; k <= 2; ++k) {
                const std::int64_t i = static_cast<std::int64_t>(fl) + k;
                double w = cubicWeight(f - k, at.cubicCoeffA);
                if (at.excludeOutside && (i < 0 || i >= in))
                    w = 0;
                sum += w;
                t.push_back({std::clamp<std::int64_t>(i, 0, in - 1), w});
            }
            if (at.excludeOutside && sum != 0)
                for (Tap& tap : t)
                    tap.weight /= sum;
        }
    }
    return taps;
}

template <class T>
void interpolate(const Tensor& x, Tensor& y, const std::vector<std::vector<Taps>>& taps, double extrapolation)
{
    const int rank = x.rank();
    const std::vector<std::int64_t> strides = detail::stridesOf(x.shape());
    const T* X = x.data<T>();
    T* Y = y.data<T>();
    std::vector<std::int64_t> index(toSize(rank), 0), corner(toSize(rank), 0);
    for (std::int64_t i = 0; i < y.size(); ++i) {
        bool outside = false;
        for (std::size_t a = 0; a < toSize(rank); ++a)
            outside = outside || taps[a][toSize(index[a])].empty();
        if (outside) {
            Y[i] = static_cast<T>(extrapolation);
        } else {
            // Sum over every combination of per-axis taps.
            std::fill(corner.begin(), corner.end(), 0);
            double acc = 0;
            for (;;) {
                double w = 1;
                std::int64_t off = 0;
                for (std::size_t a = 0; a < toSize(rank); ++a) {
                    const Tap& tap = taps[a][toSize(index[a])][toSize(corner[a])];
                    w *= tap.weight;
                    off += tap.index * strides[a];
                }
                acc += w * static_cast<double>(X[off]);
                std::size_t a = toSize(rank);
                while (a-- > 0) {
                    if (++corner[a] < static_cast<std::int64_t>(taps[a][toSize(index[a])].size()))
                        break;
                    corner[a] = 0;
                }
                if (a == static_cast<std::size_t>(-1))
                    break;
            }
            Y[i] = static_cast<T>(acc);
        }
        for (std::size_t a = toSize(rank); a-- > 0;) {
            if (++index[a] < y.shape()[a])
                break;
            index[a] = 0;
        }
    }
}

} // namespace

Tensor resize(const Tensor& x, const std::vector<float>& scales, const std::vector<std::int64_t>& sizes,
    const ResizeAttrs& at, const std::vector<double>& roi)
{
    detail::requireFloat(x, "Resize");
    if (at.antialias)
        throw Error("Resize: antialias is not supported");
    const int rank = x.rank();
    std::vector<std::int64_t> axes = at.axes;
    if (axes.empty())
        for (int i = 0; i < rank; ++i)
            axes.push_back(i);
    for (std::int64_t& a : axes)
        a = detail::normalizeAxis(a, rank, "Resize");
    const std::size_t n = axes.size();
    if (scales.empty() == sizes.empty())
        throw Error("Resize: exactly one of scales and sizes must be given");
    if ((!scales.empty() && scales.size() != n) || (!sizes.empty() && sizes.size() != n))
        throw Error("Resize: " + std::to_string(std::max(scales.size(), sizes.size())) + " scales/sizes for "
            + std::to_string(n) + " axes");
    if (!roi.empty() && roi.size() != 2 * n)
        throw Error(
            "Resize: roi has " + std::to_string(roi.size()) + " values, expected " + std::to_string(2 * n));
    std::vector<double> scale(toSize(rank), 1.0), r0(toSize(rank), 0.0), r1(toSize(rank), 1.0);
    std::vector<double> lengthResized(toSize(rank));
    for (std::size_t a = 0; a < toSize(rank); ++a)
        lengthResized[a] = static_cast<double>(x.shape()[a]);
    Shape outShape = x.shape();
    const bool crop = at.coordinateTransform == CoordinateTransform::TfCropAndResize;
    for (std::size_t i = 0; i < n; ++i) {
        const auto a = toSize(axes[i]);
        if (crop && !roi.empty()) {
            r0[a] = roi[i];
            r1[a] = roi[i + n];
        }
    }
    constexpr double kHuge = 1e15;
    if (!scales.empty()) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = toSize(axes[i]);
            const double s = scales[i];
            if (!(s > 0) || !std::isfinite(s))
                throw Error("Resize: scale " + std::to_string(s) + " must be positive");
            const double extent = crop ? r1[a] - r0[a] : 1.0;
            const double d = std::floor(static_cast<double>(x.shape()[a]) * extent * s);
            if (!(d >= 0 && d < kHuge))
                throw Error("Resize: output size for axis " + std::to_string(a) + " is invalid");
            outShape[a] = static_cast<std::int64_t>(d);
            scale[a] = s;
            lengthResized[a] = static_cast<double>(x.shape()[a]) * extent * s;
        }
    } else {
        double common = at.keepAspectRatio == KeepAspectRatio::NotLarger ? 1e300 : 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = toSize(axes[i]);
            if (sizes[i] < 0 || static_cast<double>(sizes[i]) >= kHuge)
                throw Error("Resize: invalid size " + std::to_string(sizes[i]));
            if (x.shape()[a] == 0)
                throw Error("Resize: cannot resize an empty axis");
            scale[a] = static_cast<double>(sizes[i]) / static_cast<double>(x.shape()[a]);
            outShape[a] = sizes[i];
            common = at.keepAspectRatio == KeepAspectRatio::NotLarger ? std::min(common, scale[a])
                                                                      : std::max(common, scale[a]);
        }
        if (at.keepAspectRatio != KeepAspectRatio::Stretch)
            for (std::size_t i = 0; i < n; ++i) {
                const auto a = toSize(axes[i]);
                scale[a] = common;
                outShape[a]
                    = static_cast<std::int64_t>(std::round(common * static_cast<double>(x.shape()[a])));
            }
    }
    elementCount(outShape);
    if (!sizes.empty())
        for (std::size_t a = 0; a < toSize(rank); ++a)
            lengthResized[a] = static_cast<double>(outShape[a]);
    std::vector<std::vector<Taps>> taps(toSize(rank));
    for (std::size_t a = 0; a < toSize(rank); ++a) {
        if (outShape[a] > 0 && x.shape()[a] == 0)
            throw Error("Resize: cannot resize an empty axis");
        if (scale[a] == 1.0 && outShape[a] == x.shape()[a] && !crop) {
            taps[a].resize(toSize(outShape[a]));
            for (std::int64_t o = 0; o < outShape[a]; ++o)
                taps[a][toSize(o)] = {{o, 1.0}};
        } else {
            taps[a] = axisTaps(at, x.shape()[a], outShape[a], lengthResized[a], scale[a], r0[a], r1[a]);
        }
    }
    if (at.mode == ResizeMode::Nearest) {
        std::vector<std::vector<std::int64_t>> maps(toSize(rank));
        for (std::size_t a = 0; a < toSize(rank); ++a)
            for (const Taps& t : taps[a])
                maps[a].push_back(t.empty() ? -1 : t[0].index);
        const Tensor fill = Tensor::fromDoubles({}, {at.extrapolationValue}).cast(x.dtype());
        return detail::gatherAxes(x, outShape, maps, &fill);
    }
    Tensor y(x.dtype(), outShape);
    detail::dispatchFloat(x.dtype(), "Resize",
        [&](auto tag) { interpolate<decltype(tag)>(x, y, taps, at.extrapolationValue); });
    return y;
}

Tensor upsample(const Tensor& x, const std::vector<float>& scales, ResizeMode mode)
{
    ResizeAttrs at;
    at.mode = mode;
    at.coordinateTransform = CoordinateTransform::Asymmetric;
    at.nearestMode = NearestMode::Simple;
    return resize(x, scales, {}, at);
}

} // namespace qs::kernels
