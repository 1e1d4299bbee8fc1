// Resize and Upsample against the ONNX operator doc examples.
#include "core/kernels/resize.h"
#include "core/util/error.h"

#include <gtest/gtest.h>

using namespace qs;
using namespace qs::kernels;

namespace {

Tensor iota(Shape shape, double start = 1)
{
    Tensor t(DType::Float32, std::move(shape));
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.data<float>()[i] = static_cast<float>(start + static_cast<double>(i));
    return t;
}

void expectValues(const Tensor& t, const std::vector<double>& v, double tol = 1e-5)
{
    ASSERT_EQ(t.size(), static_cast<std::int64_t>(v.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        EXPECT_NEAR(t.at(i), v[static_cast<std::size_t>(i)], tol) << "at " << i;
}

ResizeAttrs attrs(ResizeMode mode, CoordinateTransform ct = CoordinateTransform::HalfPixel,
    NearestMode nm = NearestMode::RoundPreferFloor)
{
    ResizeAttrs a;
    a.mode = mode;
    a.coordinateTransform = ct;
    a.nearestMode = nm;
    return a;
}

} // namespace

TEST(Resize, UpsampleScalesNearest)
{
    const Tensor y = resize(iota({1, 1, 2, 2}), {1, 1, 2, 3}, {}, attrs(ResizeMode::Nearest));
    EXPECT_EQ(y.shape(), (Shape {1, 1, 4, 6}));
    expectValues(y, {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4});
    const Tensor u = upsample(iota({1, 1, 2, 2}), {1, 1, 2, 3});
    expectValues(u, y.toDoubles());
}

TEST(Resize, DownsampleNearest)
{
    const Tensor x = iota({1, 1, 2, 4});
    expectValues(resize(x, {1, 1, 0.6f, 0.6f}, {}, attrs(ResizeMode::Nearest)), {1, 3});
    const Tensor y = resize(x, {}, {1, 1, 1, 3}, attrs(ResizeMode::Nearest));
    EXPECT_EQ(y.shape(), (Shape {1, 1, 1, 3}));
    expectValues(y, {1, 2, 4});
}

TEST(Resize, NearestModesAndAlignCorners)
{
    // resize_upsample_sizes_nearest_floor_align_corners: 4x4 -> 8x8, rows/cols floor(o * 3 / 7).
    const Tensor y = resize(iota({1, 1, 4, 4}), {}, {1, 1, 8, 8},
        attrs(ResizeMode::Nearest, CoordinateTransform::AlignCorners, NearestMode::Floor));
    expectValues(Tensor(y).reshaped({64}), [] {
        std::vector<double> v;
        const int idx[8] = {0, 0, 0, 1, 1, 2, 2, 3};
        for (int r : idx)
            for (int c : idx)
                v.push_back(r * 4 + c + 1);
        return v;
    }());
    // resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric: 4x4 -> 8x8, index round_ceil(o / 2).
    const Tensor z = resize(iota({1, 1, 4, 4}), {}, {1, 1, 8, 8},
        attrs(ResizeMode::Nearest, CoordinateTransform::Asymmetric, NearestMode::RoundPreferCeil));
    const int idx[8] = {0, 1, 1, 2, 2, 3, 3, 3};
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
            EXPECT_EQ(z.at(r * 8 + c), idx[r] * 4 + idx[c] + 1);
    // resize_upsample_sizes_nearest_ceil_half_pixel: first row [1,2,2,3,3,4,4,4].
    const Tensor w = resize(iota({1, 1, 4, 4}), {}, {1, 1, 8, 8},
        attrs(ResizeMode::Nearest, CoordinateTransform::HalfPixel, NearestMode::Ceil));
    expectValues(Tensor(w).reshaped({64}).cast(DType::Float64), [&] {
        std::vector<double> v;
        for (int r = 0; r < 8; ++r)
            for (int c = 0; c < 8; ++c)
                v.push_back(idx[r] * 4 + idx[c] + 1);
        return v;
    }());
}

TEST(Resize, Linear)
{
    const Tensor x = iota({1, 1, 2, 2});
    expectValues(resize(x, {1, 1, 2, 2}, {}, attrs(ResizeMode::Linear)),
        {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4});
    expectValues(resize(x, {1, 1, 2, 2}, {}, attrs(ResizeMode::Linear, CoordinateTransform::AlignCorners)),
        {1, 1.333333, 1.666667, 2, 1.666667, 2, 2.333333, 2.666667, 2.333333, 2.666667, 3, 3.333333, 3,
            3.333333, 3.666667, 4});
    expectValues(resize(iota({1, 1, 2, 4}), {1, 1, 0.6f, 0.6f}, {}, attrs(ResizeMode::Linear)),
        {2.6666665, 4.3333331});
    // resize_downsample_scales_linear_align_corners
    expectValues(resize(iota({1, 1, 2, 4}), {1, 1, 0.6f, 0.6f}, {},
                     attrs(ResizeMode::Linear, CoordinateTransform::AlignCorners)),
        {1, 3.142857});
    // pytorch_half_pixel with a single output pixel maps to 0.
    expectValues(resize(iota({1, 1, 1, 4}), {}, {1, 1, 1, 1},
                     attrs(ResizeMode::Linear, CoordinateTransform::PytorchHalfPixel)),
        {1});
    const Tensor d
        = resize(iota({1, 1, 2, 2}).cast(DType::Float64), {1, 1, 2, 2}, {}, attrs(ResizeMode::Linear));
    EXPECT_EQ(d.dtype(), DType::Float64);
}

TEST(Resize, TfCropAndResize)
{
    ResizeAttrs at = attrs(ResizeMode::Linear, CoordinateTransform::TfCropAndResize);
    const Tensor y = resize(iota({1, 1, 4, 4}), {}, {1, 1, 3, 3}, at, {0, 0, 0.4, 0.6, 1, 1, 0.6, 0.8});
    expectValues(y, {7.6000004, 7.9, 8.2, 8.8, 9.1, 9.400001, 10, 10.3, 10.6});
    // Extrapolation: roi beyond the image.
    at.extrapolationValue = 10;
    const Tensor e = resize(iota({1, 1, 4, 4}), {}, {1, 1, 3, 3}, at, {0, 0, 0.4, 0.6, 1, 1, 1.2, 1.7});
    expectValues(e, {7.6000004, 10, 10, 12.400001, 10, 10, 10, 10, 10});
    // With axes (opset 18): only H and W listed.
    at.axes = {2, 3};
    const Tensor a = resize(iota({1, 1, 4, 4}), {}, {3, 3}, at, {0.4, 0.6, 0.6, 0.8});
    expectValues(a, {7.6000004, 7.9, 8.2, 8.8, 9.1, 9.400001, 10, 10.3, 10.6});
}

TEST(Resize, Cubic)
{
    // resize_upsample_scales_cubic, first output row.
    const Tensor y = resize(iota({1, 1, 4, 4}), {1, 1, 2, 2}, {}, attrs(ResizeMode::Cubic));
    EXPECT_EQ(y.shape(), (Shape {1, 1, 8, 8}));
    const std::vector<double> first {
        0.47265625, 0.76953125, 1.24609375, 1.875, 2.28125, 2.91015625, 3.38671875, 3.68359375};
    for (std::size_t i = 0; i < first.size(); ++i)
        EXPECT_NEAR(y.at(static_cast<std::int64_t>(i)), first[i], 1e-5);
}

TEST(Resize, KeepAspectRatioAndErrors)
{
    ResizeAttrs at = attrs(ResizeMode::Nearest);
    at.keepAspectRatio = KeepAspectRatio::NotLarger;
    at.axes = {2, 3};
    EXPECT_EQ(resize(iota({1, 1, 2, 4}), {}, {4, 4}, at).shape(), (Shape {1, 1, 2, 4}));
    at.keepAspectRatio = KeepAspectRatio::NotSmaller;
    EXPECT_EQ(resize(iota({1, 1, 2, 4}), {}, {4, 4}, at).shape(), (Shape {1, 1, 4, 8}));
    const Tensor x = iota({1, 1, 2, 2});
    EXPECT_THROW(resize(x, {1, 1, 2}, {}, {}), Error);
    EXPECT_THROW(resize(x, {1, 1, 0, 2}, {}, {}), Error);
    EXPECT_THROW(resize(x, {}, {}, {}), Error);
    EXPECT_THROW(resize(x, {1, 1, 2, 2}, {1, 1, 4, 4}, {}), Error);
    EXPECT_THROW(resize(x, {}, {1, 1, -1, 4}, {}), Error);
    ResizeAttrs aa;
    aa.antialias = true;
    EXPECT_THROW(resize(x, {1, 1, 2, 2}, {}, aa), Error);
    EXPECT_THROW(parseCoordinateTransform("half"), Error);
    EXPECT_EQ(parseResizeMode("bilinear"), ResizeMode::Linear);
}
