// quantscope-cli run --input NAME=FILE.png|jpg: the tiny images in tests/data/images (pixels known by
// formula, see its README) must give the same outputs as the .npy this test writes from the documented
// preprocessing, computed here independently — layouts, resizing, scale/offset, mean/std, BGR, batches.
#include "core/tensorio/npy.h"
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>

using namespace qs;
namespace fs = std::filesystem;

namespace {

// pixel(x, y, c) of an image and its size.
struct Picture {
    std::string file;
    int width, height, channels;
    std::function<double(int, int, int)> pixel;
};

Picture gray28()
{
    return {"gray28.png", 28, 28, 1, [](int x, int y, int) { return (9 * x + 5 * y) % 256; }};
}
Picture rgb14()
{
    return {"rgb14.png", 14, 14, 3, [](int x, int y, int c) {
                return c == 0 ? 18 * x : c == 1 ? 18 * y : 9 * (x + y);
            }};
}
Picture blocks16()
{
    static const int v[2][2] = {{0, 85}, {170, 255}};
    return {"blocks16_gray.jpg", 16, 16, 1, [](int x, int y, int) { return v[y / 8][x / 8]; }};
}

std::string image(const Picture& p)
{
    return (test::dataDir() / "images" / p.file).string();
}

struct Preprocessing {
    bool nhwc = false;
    int channels = 1, height = 0, width = 0;
    double scale = 1.0 / 255.0, offset = 0;
    std::vector<double> mean = {0, 0, 0}, std = {1, 1, 1};
    bool bgr = false;
};

// The README's rules: luma or replicated gray, bilinear with half-pixel centres clamped at the edges,
// pixel * scale + offset, minus mean, over std.
double channelValue(const Picture& p, int x, int y, int c)
{
    if (p.channels == 1)
        return p.pixel(x, y, 0);
    return p.pixel(x, y, c);
}

double lumaOrChannel(const Picture& p, int x, int y, int c, int channels)
{
    if (channels == 1 && p.channels == 3)
        return 0.299 * p.pixel(x, y, 0) + 0.587 * p.pixel(x, y, 1) + 0.114 * p.pixel(x, y, 2);
    return channelValue(p, x, y, c);
}

double resampled(const Picture& p, double sx, double sy, int c, int channels)
{
    const auto clampSource = [](double s, int n, int& i0, int& i1, double& f) {
        s = std::max(s, 0.0);
        i0 = std::min(static_cast<int>(std::floor(s)), n - 1);
        i1 = std::min(i0 + 1, n - 1);
        f = i1 == i0 ? 0.0 : s - i0;
    };
    int x0, x1, y0, y1;
    double fx, fy;
    clampSource(sx, p.width, x0, x1, fx);
    clampSource(sy, p.height, y0, y1, fy);
    const auto at = [&](int x, int y) { return lumaOrChannel(p, x, y, c, channels); };
    return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0))
        + fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
}

Tensor expectedInput(const std::vector<Picture>& pictures, const Preprocessing& pre)
{
    const auto N = static_cast<std::int64_t>(pictures.size());
    const int C = pre.channels, H = pre.height, W = pre.width;
    Tensor t(DType::Float32, pre.nhwc ? Shape {N, H, W, C} : Shape {N, C, H, W});
    for (std::int64_t n = 0; n < N; ++n) {
        const Picture& p = pictures[static_cast<std::size_t>(n)];
        for (int c = 0; c < C; ++c)
            for (int y = 0; y < H; ++y)
                for (int x = 0; x < W; ++x) {
                    const double sx = (x + 0.5) * p.width / W - 0.5, sy = (y + 0.5) * p.height / H - 0.5;
                    const int source = pre.bgr && C == 3 ? 2 - c : c;
                    const double v = (resampled(p, sx, sy, source, C) * pre.scale + pre.offset - pre.mean[c])
                        / pre.std[c];
                    const std::int64_t i
                        = pre.nhwc ? ((n * H + y) * W + x) * C + c : ((n * C + c) * H + y) * W + x;
                    t.data<float>()[i] = static_cast<float>(v);
                }
    }
    return t;
}

class CliRunImages : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_ = fs::temp_directory_path() / ("qs-cli-images-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs `run MODEL ARGS -o DIR` and returns the single output file.
    Tensor runAndRead(
        const std::string& model, const std::string& args, const std::string& outName, const std::string& tag)
    {
        const fs::path out = dir_ / tag;
        const auto r
            = test::runCli("run " + test::model(model).string() + " " + args + " -o " + out.string());
        EXPECT_EQ(r.exitCode, 0) << r.err;
        lastStdout_ = r.out;
        return readNpy(out / (outName + ".npy"));
    }

    // The model run on the images equals the model run on the independently written tensor.
    void expectSameAsNpy(const std::string& model, const std::string& input, const std::string& output,
        const std::string& imageArgs, const Tensor& expected, const Shape& outputShape)
    {
        const fs::path npy = dir_ / "expected.npy";
        writeNpy(npy, expected);
        const Tensor fromImages = runAndRead(model, imageArgs, output, "images");
        const std::string summary = lastStdout_;
        const Tensor fromNpy = runAndRead(
            model, "--input " + input + "=" + npy.string() + " " + batchArg(expected), output, "npy");
        ASSERT_EQ(fromImages.shape(), outputShape) << summary;
        ASSERT_EQ(fromNpy.shape(), outputShape);
        EXPECT_NE(summary.find(shapeToString(outputShape)), std::string::npos) << summary;
        double scale = 0, error = 0;
        for (std::int64_t i = 0; i < fromNpy.size(); ++i) {
            scale = std::max(scale, std::abs(fromNpy.at(i)));
            error = std::max(error, std::abs(fromImages.at(i) - fromNpy.at(i)));
        }
        ASSERT_GT(scale, 0.0);
        // Both inputs are the same float32 values up to the last bit of the double -> float cast.
        EXPECT_LE(error, 1e-6 * scale);
    }

    static std::string batchArg(const Tensor& t)
    {
        return t.shape()[0] > 1 ? "--batch " + std::to_string(t.shape()[0]) : "";
    }

    fs::path dir_;
    std::string lastStdout_;
};

} // namespace

TEST_F(CliRunImages, GrayPngFeedsMnistConvNchw)
{
    Preprocessing pre;
    pre.height = pre.width = 28;
    expectSameAsNpy("mnist_conv_float.onnx", "Input3", "Plus214_Output_0",
        "--input Input3=" + image(gray28()), expectedInput({gray28()}, pre), {1, 10});
}

TEST_F(CliRunImages, JpegIsResizedAndScaledToMinusOneOne)
{
    Preprocessing pre;
    pre.height = pre.width = 28; // 16x16 upscaled
    pre.scale = 2.0 / 255.0;
    pre.offset = -1.0;
    expectSameAsNpy("mnist_conv_float.onnx", "Input3", "Plus214_Output_0",
        "--input " + image(blocks16()) + " --image-scale 0.00784313725490196 --image-offset -1",
        expectedInput({blocks16()}, pre), {1, 10});
}

TEST_F(CliRunImages, NhwcInputIsDetectedFromTheDeclaredShape)
{
    Preprocessing pre;
    pre.nhwc = true;
    pre.height = pre.width = 28;
    expectSameAsNpy("mnist_qkeras_cnn.onnx", "global_in", "global_out",
        "--input global_in=" + image(gray28()), expectedInput({gray28()}, pre), {1, 10});
    // Colour is turned into luma for a 1-channel input.
    expectSameAsNpy("mnist_qkeras_cnn.onnx", "global_in", "global_out", "--input global_in=" + image(rgb14()),
        expectedInput({rgb14()}, pre), {1, 10});
}

TEST_F(CliRunImages, SeveralImagesMakeABatchWithMeanStdAndBgr)
{
    Preprocessing pre;
    pre.channels = 3;
    pre.height = pre.width = 4; // espcn_bsd300_float takes [1,3,4,4]: both pictures are downscaled
    pre.mean = {0.5, 0.4, 0.3};
    pre.std = {0.25, 0.5, 1.0};
    pre.bgr = true;
    const std::string options = " --image-mean 0.5,0.4,0.3 --image-std 0.25,0.5,1 --image-bgr";
    // A comma list and a repeated --input add up to one batch, in command-line order.
    expectSameAsNpy("espcn_bsd300_float.onnx", "input", "output",
        "--input input=" + image(rgb14()) + "," + image(blocks16()) + " --input input=" + image(rgb14())
            + options,
        expectedInput({rgb14(), blocks16(), rgb14()}, pre), {3, 3, 12, 12});
}

TEST_F(CliRunImages, ErrorsNameTheInputOrTheFile)
{
    const auto notImage = test::runCli(
        "run " + test::model("radioml_cnn_2mods.onnx").string() + " --input " + image(gray28()));
    EXPECT_EQ(notImage.exitCode, 2);
    EXPECT_NE(notImage.err.find("'x.329'"), std::string::npos) << notImage.err;
    EXPECT_NE(notImage.err.find("not image-shaped"), std::string::npos) << notImage.err;

    const auto layout = test::runCli("run " + test::model("mnist_qkeras_cnn.onnx").string()
        + " --image-layout nchw --input " + image(gray28()));
    EXPECT_EQ(layout.exitCode, 2);
    EXPECT_NE(layout.err.find("'global_in'"), std::string::npos) << layout.err;

    const auto missing = test::runCli(
        "run " + test::model("mnist_conv_float.onnx").string() + " --input /nonexistent/digit.png");
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("/nonexistent/digit.png"), std::string::npos) << missing.err;

    const fs::path corrupt = dir_ / "corrupt.png";
    std::FILE* f = std::fopen(corrupt.c_str(), "wb");
    std::fputs("\x89PNG but not really", f);
    std::fclose(f);
    const auto bad = test::runCli(
        "run " + test::model("mnist_conv_float.onnx").string() + " --input " + corrupt.string());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("corrupt.png"), std::string::npos) << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

    const auto size = test::runCli("run " + test::model("mnist_conv_float.onnx").string()
        + " --image-size 28by28 --input " + image(gray28()));
    EXPECT_EQ(size.exitCode, 2);
    EXPECT_NE(size.err.find("--image-size"), std::string::npos) << size.err;
}
