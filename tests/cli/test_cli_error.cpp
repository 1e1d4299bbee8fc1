// quantscope-cli error: the JSON contract (infinities as strings, so the output stays valid JSON),
// the readable tables, the options, and exit status 2 on bad input.
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace qs;
using nlohmann::json;

TEST(CliError, JsonForResnet8HasLayersQuantizersOutputsAndDivergence)
{
    const auto r = test::runCli("error --json " + test::model("resnet8_cifar10_w4a4.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    for (const char* key : {"model", "batch", "seed", "threshold_db", "layers", "quantizers", "outputs",
             "all_outputs", "first_divergence", "notes"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["batch"], 8); // default: 8 random samples
    EXPECT_EQ(j["threshold_db"], 20.0);
    const auto info
        = json::parse(test::runCli("info --json " + test::model("resnet8_cifar10_w4a4.onnx").string()).out);
    EXPECT_EQ(j["layers"].size(), info["layers"].size());
    EXPECT_EQ(j["quantizers"].size(), info["quantizers"].size());
    ASSERT_EQ(j["outputs"].size(), 1u);
    const json& out = j["outputs"][0];
    ASSERT_TRUE(out["sqnr_db"].is_number()) << out;
    EXPECT_GT(out["sqnr_db"].get<double>(), 0.0);
    EXPECT_TRUE(out["classifier"].get<bool>());
    EXPECT_EQ(out["samples"], 8);
    EXPECT_GE(out["top1_agreement"].get<double>(), 0.0);
    EXPECT_LE(out["top1_agreement"].get<double>(), 1.0);
    for (const json& q : j["quantizers"]) {
        ASSERT_TRUE(q.contains("clip_low_fraction")) << q;
        if (!q["clip_low_fraction"].is_null()) {
            EXPECT_LE(q["clip_low_fraction"].get<double>() + q["clip_high_fraction"].get<double>(), 1.0);
        }
    }
    // The first divergence is the first listed layer below the threshold.
    std::string expected;
    for (const json& l : j["layers"])
        if (l["sqnr_db"].is_number() && l["sqnr_db"].get<double>() < 20.0) {
            expected = l["name"];
            break;
        }
    if (expected.empty())
        EXPECT_TRUE(j["first_divergence"].is_null());
    else
        EXPECT_EQ(j["first_divergence"]["layer"], expected);
}

TEST(CliError, ThresholdAndBatchOptions)
{
    const std::string model = test::model("resnet8_cifar10_w4a4.onnx").string();
    const auto r = test::runCli("error --json --batch 2 --random 7 --threshold 1000 " + model);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["batch"], 2);
    EXPECT_EQ(j["seed"], 7);
    EXPECT_EQ(j["outputs"][0]["samples"], 2);
    // Every lossy layer is below 1000 dB, so the first layer is where the divergence starts.
    EXPECT_EQ(j["first_divergence"]["layer"], j["layers"][0]["name"]);
}

TEST(CliError, FloatModelIsExactAndInfinitiesStayValidJson)
{
    const auto r = test::runCli("error --json --input " + test::model("mnist_conv_float.input_0.pb").string()
        + " " + test::model("mnist_conv_float.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_TRUE(j["quantizers"].empty());
    EXPECT_TRUE(j["first_divergence"].is_null());
    EXPECT_EQ(j["batch"], 1); // the file's batch
    ASSERT_FALSE(j["layers"].empty());
    for (const json& l : j["layers"]) {
        EXPECT_EQ(l["sqnr_db"], "inf") << l;
        EXPECT_EQ(l["mse"], 0.0);
    }
    EXPECT_EQ(j["outputs"][0]["sqnr_db"], "inf");
    EXPECT_EQ(j["outputs"][0]["cosine_similarity"], 1.0);
}

TEST(CliError, TablesNameTheSections)
{
    const auto r = test::runCli("error --isolation --batch 1 " + test::model("tfc_w2a2.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* section : {"Outputs", "First divergence (layer output SQNR < 20 dB)",
             "Layers (topological order)", "Quantizers", "alone: output dB", "clip low", "top-1 agreement"})
        EXPECT_NE(r.out.find(section), std::string::npos) << section << "\n" << r.out;
}

TEST(CliError, BadInputExitsTwoWithOneLine)
{
    const auto missing = test::runCli("error /nonexistent/model.onnx");
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
    EXPECT_NE(missing.err.find("/nonexistent/model.onnx"), std::string::npos) << missing.err;
    const auto badInput = test::runCli(
        "error --input nosuch=/tmp/x.npy " + test::model("resnet8_cifar10_w4a4.onnx").string());
    EXPECT_EQ(badInput.exitCode, 2);
    EXPECT_NE(badInput.err.find("nosuch"), std::string::npos) << badInput.err;
    EXPECT_EQ(test::runCli("error").exitCode, 2);
}

TEST(CliError, DefaultBatchFallsBackToTheDeclaredBatchWithANote)
{
    // mnist_conv_float reshapes to a constant [1,256], so it cannot run 8 samples at once.
    const auto r = test::runCli("error --json " + test::model("mnist_conv_float.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["batch"], 1);
    ASSERT_FALSE(j["notes"].empty());
    EXPECT_NE(j["notes"][0].get<std::string>().find("batch of 8"), std::string::npos) << j["notes"];
    // An explicit --batch is not second-guessed.
    EXPECT_EQ(test::runCli("error --batch 8 " + test::model("mnist_conv_float.onnx").string()).exitCode, 2);
}
