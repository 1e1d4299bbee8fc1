// Images as input tensors (core/tensorio/imagetensor.h): synthetic pixel buffers against values worked
// out by hand — layout, channel order, gray/colour conversion, bilinear resizing, scaling and
// normalisation, integer inputs, batching, and the errors for inputs that are not image-shaped.
#include "core/tensorio/imagetensor.h"
#include "core/util/error.h"

#include <functional>
#include <gtest/gtest.h>

using namespace qs;

namespace {

// dims: -1 for a symbolic dim.
TensorInfo input(std::vector<std::int64_t> dims, int elemType = 1 /* FLOAT */, std::string name = "img")
{
    TensorInfo t;
    t.name = std::move(name);
    t.elemType = elemType;
    std::vector<Dim> d;
    for (std::int64_t v : dims)
        d.push_back(v >= 0 ? Dim {v, ""} : Dim {-1, "N"});
    t.dims = d;
    return t;
}

DecodedImage image(int width, int height, int channels, std::vector<std::uint8_t> pixels)
{
    return {"test.png", width, height, channels, std::move(pixels)};
}

std::vector<double> values(const Tensor& t)
{
    return t.toDoubles();
}

void expectValues(const Tensor& t, const std::vector<double>& expected, double tolerance = 1e-6)
{
    const std::vector<double> got = values(t);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        EXPECT_NEAR(got[i], expected[i], tolerance) << "element " << i;
}

std::string errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// 2x2 RGB: (10,20,30) (40,50,60) / (70,80,90) (100,110,120).
DecodedImage rgb2x2()
{
    return image(2, 2, 3, {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120});
}

} // namespace

TEST(ImageTensor, NchwFloatIsPixelsOver255InPlanes)
{
    ImageTensorOptions o;
    o.scale = 1.0; // keep the numbers readable
    const Tensor t = imageTensor({rgb2x2()}, input({1, 3, 2, 2}), o);
    EXPECT_EQ(t.dtype(), DType::Float32);
    EXPECT_EQ(t.shape(), (Shape {1, 3, 2, 2}));
    expectValues(t, {10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120});

    const Tensor scaled = imageTensor({rgb2x2()}, input({1, 3, 2, 2}));
    EXPECT_FLOAT_EQ(scaled.data<float>()[0], static_cast<float>(10.0 / 255.0));
}

TEST(ImageTensor, NhwcIsDetectedFromTheLastDimAndKeepsPixelsInterleaved)
{
    ImageTensorOptions o;
    o.scale = 1.0;
    const Tensor t = imageTensor({rgb2x2()}, input({1, 2, 2, 3}), o);
    EXPECT_EQ(t.shape(), (Shape {1, 2, 2, 3}));
    expectValues(t, {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120});
    EXPECT_EQ(imageInputShape(input({1, 28, 28, 1})).layout, ImageLayout::Nhwc);
    EXPECT_EQ(imageInputShape(input({1, 1, 28, 28})).layout, ImageLayout::Nchw);
    EXPECT_EQ(imageInputShape(input({1, 3, 3, 3})).layout, ImageLayout::Nchw); // ambiguous: ONNX's NCHW
}

TEST(ImageTensor, BgrMirrorsTheChannels)
{
    ImageTensorOptions o;
    o.scale = 1.0;
    o.order = ChannelOrder::Bgr;
    expectValues(
        imageTensor({rgb2x2()}, input({1, 3, 2, 2}), o), {30, 60, 90, 120, 20, 50, 80, 110, 10, 40, 70, 100});
    o.layout = ImageLayout::Nhwc;
    expectValues(imageTensor({image(1, 1, 3, {1, 2, 3})}, input({1, 1, 1, 3}), o), {3, 2, 1});
}

TEST(ImageTensor, ColourFeedsGrayInputsAsLumaAndGrayFeedsColourAsThreeEqualPlanes)
{
    ImageTensorOptions o;
    o.scale = 1.0;
    // 0.299*10 + 0.587*20 + 0.114*30 = 18.15; 0.299*100 + 0.587*110 + 0.114*120 = 108.15
    const Tensor gray = imageTensor({rgb2x2()}, input({1, 1, 2, 2}), o);
    expectValues(gray, {18.15, 48.15, 78.15, 108.15}, 1e-4);

    const Tensor colour = imageTensor({image(2, 1, 1, {7, 9})}, input({1, 3, 1, 2}), o);
    expectValues(colour, {7, 9, 7, 9, 7, 9});
}

TEST(ImageTensor, BilinearResizeUsesHalfPixelCentres)
{
    ImageTensorOptions o;
    o.scale = 1.0;
    // Upscaling a row of 2 to 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expectValues(imageTensor({image(2, 1, 1, {0, 100})}, input({1, 1, 1, 4}), o), {0, 25, 75, 100});
    // Downscaling 4 to 2: sources 0.5 and 2.5.
    expectValues(imageTensor({image(4, 1, 1, {0, 40, 80, 120})}, input({1, 1, 1, 2}), o), {20, 100});
    // Both axes, 2x2 to 3x3: sources -1/6 (0), 0.5, 7/6 (1) on each axis.
    expectValues(imageTensor({image(2, 2, 1, {0, 60, 120, 180})}, input({1, 1, 3, 3}), o),
        {0, 30, 60, 60, 90, 120, 120, 150, 180});
}

TEST(ImageTensor, ScaleOffsetMeanAndStdAreAppliedPerChannel)
{
    ImageTensorOptions o;
    o.scale = 0.5;
    o.offset = -1.0;
    o.mean = {1.0, 2.0, 3.0};
    o.std = {2.0};
    // (p * 0.5 - 1 - mean[c]) / 2 for p = 10, 20, 30 at the first pixel.
    const Tensor t = imageTensor({image(1, 1, 3, {10, 20, 30})}, input({1, 3, 1, 1}), o);
    expectValues(t, {(5.0 - 1 - 1) / 2, (10.0 - 1 - 2) / 2, (15.0 - 1 - 3) / 2});

    o.mean = {1.0, 2.0};
    EXPECT_NE(errorOf([&] {
        imageTensor({image(1, 1, 3, {1, 2, 3})}, input({1, 3, 1, 1}), o);
    }).find("mean has 2 values"),
        std::string::npos);
    o.mean.clear();
    o.std = {0.0};
    EXPECT_NE(errorOf([&] {
        imageTensor({image(1, 1, 3, {1, 2, 3})}, input({1, 3, 1, 1}), o);
    }).find("std"),
        std::string::npos);
}

TEST(ImageTensor, IntegerInputsTakeRawPixelsRoundedAndSaturated)
{
    const Tensor u8 = imageTensor({image(2, 1, 1, {3, 250})}, input({1, 1, 1, 2}, 2 /* UINT8 */));
    EXPECT_EQ(u8.dtype(), DType::UInt8);
    expectValues(u8, {3, 250});

    ImageTensorOptions o;
    o.offset = -128.5; // 3 - 128.5 = -125.5 -> -126 (to even); 250 - 128.5 = 121.5 -> 122
    const Tensor s8 = imageTensor({image(2, 1, 1, {3, 250})}, input({1, 1, 1, 2}, 3 /* INT8 */), o);
    EXPECT_EQ(s8.dtype(), DType::Int8);
    expectValues(s8, {-126, 122});
    o.offset = -300;
    expectValues(imageTensor({image(2, 1, 1, {3, 250})}, input({1, 1, 1, 2}, 3), o), {-128, -50});
}

TEST(ImageTensor, EachImageIsOneBatchEntryAndSymbolicDimsFollowTheFirstImage)
{
    ImageTensorOptions o;
    o.scale = 1.0;
    const Tensor t
        = imageTensor({image(2, 1, 1, {1, 2}), image(4, 1, 1, {0, 40, 80, 120})}, input({-1, 1, -1, -1}), o);
    EXPECT_EQ(t.shape(), (Shape {2, 1, 1, 2}));
    expectValues(t, {1, 2, 20, 100});

    // A symbolic channel dim is 3 when any image has colour.
    ImageTensorOptions nchw = o;
    nchw.layout = ImageLayout::Nchw;
    const Tensor mixed
        = imageTensor({image(1, 1, 1, {5}), image(1, 1, 3, {1, 2, 3})}, input({1, -1, 1, 1}), nchw);
    EXPECT_EQ(mixed.shape(), (Shape {2, 3, 1, 1}));
    expectValues(mixed, {5, 5, 5, 1, 2, 3});

    // An explicit size fills symbolic dims; a static dim must agree with it.
    o.height = 1;
    o.width = 4;
    EXPECT_EQ(
        imageTensor({image(2, 1, 1, {0, 100})}, input({1, 1, -1, -1}), o).shape(), (Shape {1, 1, 1, 4}));
    EXPECT_NE(errorOf([&] {
        imageTensor({image(2, 1, 1, {0, 100})}, input({1, 1, 1, 2}), o);
    }).find("does not match"),
        std::string::npos);
}

TEST(ImageTensor, InputsThatAreNotImageShapedAreNamed)
{
    const DecodedImage px = image(1, 1, 1, {0});
    const std::string rank3 = errorOf([&] { imageTensor({px}, input({1, 2, 128}, 1, "x.329")); });
    EXPECT_NE(rank3.find("'x.329'"), std::string::npos) << rank3;
    EXPECT_NE(rank3.find("not image-shaped"), std::string::npos) << rank3;
    EXPECT_NE(rank3.find("rank 3"), std::string::npos) << rank3;

    const std::string channels = errorOf([&] { imageTensor({px}, input({1, 2, 8, 8}, 1, "feat")); });
    EXPECT_NE(channels.find("'feat'"), std::string::npos) << channels;

    ImageTensorOptions o;
    o.layout = ImageLayout::Nhwc;
    const std::string layout = errorOf([&] { imageTensor({px}, input({1, 3, 28, 28}), o); });
    EXPECT_NE(layout.find("NHWC gives 28 channels"), std::string::npos) << layout;

    TensorInfo unknown;
    unknown.name = "u";
    EXPECT_NE(errorOf([&] { imageTensor({px}, unknown); }).find("'u'"), std::string::npos);
    EXPECT_NE(errorOf([&] { imageTensor({}, input({1, 1, 1, 1})); }).find("no image"), std::string::npos);
}

TEST(ImageTensor, MalformedPixelBuffersAreRefusedWithTheImageName)
{
    const std::string shortBuffer = errorOf([&] {
        imageTensor({image(2, 2, 3, {1, 2, 3})}, input({1, 3, 2, 2}));
    });
    EXPECT_NE(shortBuffer.find("test.png"), std::string::npos) << shortBuffer;
    const std::string twoChannels = errorOf([&] {
        imageTensor({image(1, 1, 2, {1, 2})}, input({1, 3, 1, 1}));
    });
    EXPECT_NE(twoChannels.find("test.png"), std::string::npos) << twoChannels;
}
