// quantscope-cli convert: writes the converted model, lists converted and skipped quantizers and the
// opset changes, --report-json, --allow-widen, --strict, and exit status 2 on bad input.
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace qs;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path temp(const std::string& name)
{
    return fs::temp_directory_path() / ("qs-cli-convert-" + std::to_string(::getpid()) + "-" + name);
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// A QCDQ chain whose Clip range [-2, 5] is none of the four QONNX ranges.
fs::path asymmetricClipModel()
{
    ModelBuilder b(13);
    b.input("x", {1, 8});
    b.initializer("s", Tensor::scalar(0.25f));
    b.initializer("zp", Tensor::fromInt64s({}, {0}).cast(DType::Int8));
    b.initializer("lo", Tensor::fromInt64s({}, {-2}).cast(DType::Int8));
    b.initializer("hi", Tensor::fromInt64s({}, {5}).cast(DType::Int8));
    b.node("QuantizeLinear", {"x", "s", "zp"}, {"q"}, {}, "", "ql");
    b.node("Clip", {"q", "lo", "hi"}, {"c"}, {}, "", "clip");
    b.node("DequantizeLinear", {"c", "s", "zp"}, {"y"}, {}, "", "dql");
    b.output("y", {1, 8});
    const fs::path path = temp("asym.onnx");
    ModelDocument::fromProto(b.build())->save(path);
    return path;
}

} // namespace

TEST(CliConvert, QcdqToQonnxWritesALoadableQonnxModelAndAJsonReport)
{
    const fs::path out = temp("vww.qonnx.onnx");
    const fs::path report = temp("vww.json");
    const auto r = test::runCli("convert " + test::model("vww_mobilenet128_qcdq.onnx").string()
        + " --to qonnx -o " + out.string() + " --report-json " + report.string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "converted 103 quantizer(s) to qonnx, skipped 0")) << r.out;
    EXPECT_TRUE(contains(r.out, "qonnx.custom_op.general: (none) -> 1")) << r.out;
    const auto doc = ModelDocument::load(out);
    EXPECT_EQ(doc->format(), ModelFormat::Qonnx);
    EXPECT_EQ(doc->quantizers().size(), 103u);

    const json j = test::readJson(report);
    EXPECT_EQ(j["target"], "qonnx");
    EXPECT_TRUE(j["written"].get<bool>());
    ASSERT_EQ(j["converted"].size(), 103u);
    EXPECT_EQ(j["converted"][0]["to"], "Quant");
    EXPECT_EQ(j["converted"][0]["from"], "QDQ");
    EXPECT_TRUE(j["skipped"].empty());
    fs::remove(out);
    fs::remove(report);
}

TEST(CliConvert, QonnxToQcdqPrintsTheOpsetChange)
{
    const fs::path out = temp("vww.qcdq.onnx");
    const auto r = test::runCli(
        "convert " + test::model("vww_mobilenet128_qonnx.onnx").string() + " --to qcdq -o " + out.string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "ai.onnx: 11 -> 13")) << r.out;
    EXPECT_TRUE(contains(r.out, "ir_version: 6 -> 7")) << r.out;
    EXPECT_EQ(ModelDocument::load(out)->format(), ModelFormat::Qcdq);
    fs::remove(out);
}

TEST(CliConvert, SkippedQuantizersAreListedWithReasonsAndTheFileIsStillWritten)
{
    const fs::path out = temp("tfc.qcdq.onnx");
    const fs::path report = temp("tfc.json");
    const auto r = test::runCli("convert " + test::model("tfc_w1a2.onnx").string() + " --to qcdq -o "
        + out.string() + " --report-json " + report.string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "Not converted")) << r.out;
    EXPECT_TRUE(contains(r.out, "BipolarQuant")) << r.out;
    const json j = test::readJson(report);
    EXPECT_EQ(j["converted"].size(), 4u);
    ASSERT_EQ(j["skipped"].size(), 4u);
    for (const auto& s : j["skipped"]) {
        EXPECT_EQ(s["kind"], "BipolarQuant");
        EXPECT_FALSE(s["reason"].get<std::string>().empty());
    }
    const auto doc = ModelDocument::load(out);
    EXPECT_EQ(doc->format(), ModelFormat::Mixed); // the BipolarQuants stay
    fs::remove(out);
    fs::remove(report);
}

TEST(CliConvert, StrictRefusesToWriteWhenAnythingIsSkipped)
{
    const fs::path out = temp("strict.onnx");
    const auto r = test::runCli(
        "convert " + test::model("tfc_w1a2.onnx").string() + " --to qcdq --strict -o " + out.string());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(contains(r.err, "--strict")) << r.err;

    // Nothing skipped: --strict writes as usual.
    const auto ok = test::runCli(
        "convert " + test::model("tfc_w2a2.onnx").string() + " --to qcdq --strict -o " + out.string());
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_TRUE(fs::exists(out));
    fs::remove(out);
}

TEST(CliConvert, AsymmetricClipNeedsAllowWidenAndTheWideningIsShown)
{
    const fs::path model = asymmetricClipModel();
    const fs::path out = temp("asym.qonnx.onnx");
    const auto plain = test::runCli("convert " + model.string() + " --to qonnx -o " + out.string());
    ASSERT_EQ(plain.exitCode, 0) << plain.err;
    EXPECT_TRUE(contains(plain.out, "skipped 1")) << plain.out;
    EXPECT_TRUE(contains(plain.out, "--allow-widen")) << plain.out;
    EXPECT_EQ(ModelDocument::load(out)->format(), ModelFormat::Qcdq);

    const auto widened
        = test::runCli("convert " + model.string() + " --to qonnx --allow-widen -o " + out.string());
    ASSERT_EQ(widened.exitCode, 0) << widened.err;
    EXPECT_TRUE(contains(widened.out, "converted 1 quantizer(s) to qonnx, skipped 0")) << widened.out;
    EXPECT_TRUE(contains(widened.out, "widened")) << widened.out;
    EXPECT_EQ(ModelDocument::load(out)->format(), ModelFormat::Qonnx);
    fs::remove(model);
    fs::remove(out);
}

TEST(CliConvert, BadInputExitsTwo)
{
    const fs::path out = temp("bad.onnx");
    EXPECT_EQ(test::runCli("convert /nonexistent/model.onnx --to qonnx -o " + out.string()).exitCode, 2);
    EXPECT_EQ(
        test::runCli("convert " + test::model("tfc_w2a2.onnx").string() + " --to onnx -o " + out.string())
            .exitCode,
        2);
    EXPECT_EQ(test::runCli("convert " + test::model("tfc_w2a2.onnx").string() + " --to qcdq").exitCode, 2);
    EXPECT_FALSE(fs::exists(out));
}
