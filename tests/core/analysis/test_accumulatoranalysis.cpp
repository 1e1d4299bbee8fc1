// The accumulator analysis on real ONNX graphs built from accumulator-and-bops.md §5: example 1
// (UINT4 x INT4, K = 4) and its calibration run, example 9; bias preloading, example 11.
#include "core/analysis/accumulatoranalysis.h"
#include "core/model/modelbuilder.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

// y = x @ W with x UINT4 (scale 0.5) and W INT4 (scale 0.25) whose columns are the channels
// w0 = [3, -2, 0, 7] and w1 = [-8, -8, 1, 2]; optionally a preloaded bias quantized at 0.5 * 0.25.
std::unique_ptr<ModelDocument> exampleOne(bool withBias = false)
{
    ModelBuilder b(13);
    b.input("x", {-1, 4});
    const std::string xq = b.quant("x", 0.5, 0, 4, false, false);
    const std::vector<float> w {3, -8, -2, -8, 0, 1, 7, 2}; // [K=4, N=2] row-major
    std::vector<float> scaled;
    for (float v : w)
        scaled.push_back(v * 0.25f);
    b.initializer("w", Tensor::fromFloats({4, 2}, scaled));
    const std::string wq = b.quant("w", 0.25, 0, 4, true, false);
    if (!withBias) {
        b.node("MatMul", {xq, wq}, {"y"});
    } else {
        b.initializer("b", Tensor::fromFloats({2}, {120 * 0.125f, 0}));
        const std::string bq = b.quant("b", 0.125, 0, 16, true, false);
        b.node("Gemm", {xq, wq, bq}, {"y"});
    }
    b.output("y", {-1, 2});
    return ModelDocument::fromProto(b.build());
}

const LayerAccumulatorResult& onlyLayer(const AccumulatorReport& r)
{
    EXPECT_EQ(r.layers.size(), 1u);
    return r.layers.at(0);
}

} // namespace

TEST(AccumulatorAnalysis, ExampleOneEveryMethod)
{
    const auto doc = exampleOne();
    AccumulatorOptions options;
    options.accBits = 9;
    const AccumulatorReport report = analyzeAccumulators(*doc, options);
    const LayerAccumulatorResult& l = onlyLayer(report);
    ASSERT_TRUE(l.applicable) << l.reason;
    EXPECT_EQ(l.input.lo, 0);
    EXPECT_EQ(l.input.hi, 15);
    EXPECT_EQ(l.bounds.k, 4);
    ASSERT_EQ(l.bounds.channels.size(), 2u);
    EXPECT_EQ(l.bounds.channels[0].bounds.exactLo, -30);
    EXPECT_EQ(l.bounds.channels[0].bounds.exactHi, 150);
    EXPECT_EQ(l.bounds.channels[1].bounds.exactLo, -240);
    EXPECT_EQ(l.bounds.channels[1].bounds.exactHi, 45);
    EXPECT_EQ(l.bounds.layer.exactBits, 9);
    EXPECT_EQ(l.bounds.layer.a2qBits, 10);          // A2Q L1
    EXPECT_EQ(l.bounds.layer.a2qPlusGenBits, 9);    // A2Q+ generalized
    EXPECT_EQ(l.bounds.layer.dataType.a2qBits, 11); // (a2)
    EXPECT_EQ(l.bounds.layer.dataType.exactBits, 10); // (a3)
    EXPECT_EQ(l.bounds.layer.dataType.classicBits, 10); // (a1)
    EXPECT_EQ(l.risk.risk, RiskClass::Safe);
    EXPECT_EQ(l.weightScales, (std::vector<double> {0.25, 0.25}));

    options.accBits = 8;
    const AccumulatorReport narrow = analyzeAccumulators(*doc, options);
    EXPECT_EQ(onlyLayer(narrow).risk.risk, RiskClass::Unverified); // no data to say more
}

TEST(AccumulatorAnalysis, ExampleNineObservedOverflowFromARun)
{
    const auto doc = exampleOne();
    const Executor executor(*doc);
    // x1 = [15, 0, 15, 15], x2 = [0, 15, 3, 1], x3 = [10, 10, 10, 10] in integer codes (scale 0.5).
    const Tensor x = Tensor::fromFloats({3, 4}, {7.5f, 0, 7.5f, 7.5f, 0, 7.5f, 1.5f, 0.5f, 5, 5, 5, 5});
    RunOptions runOptions;
    runOptions.capture = accumulatorCaptureNames(*doc);
    const RunResult run = executor.run({{"x", x}}, runOptions);
    AccumulatorOptions options;
    options.accBits = 8;
    const AccumulatorReport report = analyzeAccumulators(*doc, options, &run);
    const LayerAccumulatorResult& l = onlyLayer(report);
    ASSERT_TRUE(l.observed);
    EXPECT_EQ(l.observations[0].finalLo, -23);
    EXPECT_EQ(l.observations[0].finalHi, 150);
    EXPECT_EQ(l.observations[1].finalLo, -130);
    EXPECT_EQ(l.observations[1].finalHi, -75);
    EXPECT_EQ(l.observedSummary.overflowElements, 2);
    EXPECT_EQ(l.observedSummary.elements, 6);
    EXPECT_EQ(l.observedSummary.overflowChannels, 2);
    EXPECT_EQ(l.risk.risk, RiskClass::Observed);
}

TEST(AccumulatorAnalysis, ExampleElevenPreloadedBiasNeedsOneMoreBit)
{
    const auto doc = exampleOne(true);
    AccumulatorOptions options;
    options.accBits = 10;
    const AccumulatorReport report = analyzeAccumulators(*doc, options);
    const LayerAccumulatorResult& l = onlyLayer(report);
    ASSERT_TRUE(l.applicable) << l.reason;
    ASSERT_TRUE(l.biasPreloaded);
    EXPECT_EQ(l.bias, (std::vector<std::int64_t> {120, 0}));
    EXPECT_EQ(l.boundsWithBias.channels[0].bounds.exactLo, 90);
    EXPECT_EQ(l.boundsWithBias.channels[0].bounds.exactHi, 270);
    EXPECT_EQ(l.boundsWithBias.layer.exactBits, 10);
    EXPECT_EQ(l.bounds.layer.exactBits, 9);
}

TEST(AccumulatorAnalysis, FloatInputLayersAreNotApplicableWithAReason)
{
    const auto doc = ModelDocument::load(test::model("espcn_bsd300_quant.onnx"));
    const AccumulatorReport report = analyzeAccumulators(*doc, {});
    ASSERT_EQ(report.layers.size(), 4u);
    EXPECT_FALSE(report.layers[0].applicable);
    EXPECT_NE(report.layers[0].reason.find("float input"), std::string::npos);
    for (std::size_t i = 1; i < 4; ++i)
        EXPECT_TRUE(report.layers[i].applicable) << report.layers[i].reason;
}

TEST(AccumulatorAnalysis, RealModelsGetBoundsThatRespectTheOrdering)
{
    // §2.e: P_exact <= min(P_A2Q, P_dt(a3)); signed weights: P_A2Q <= P_dt(a2).
    for (const char* file : {"resnet8_cifar10_w4a4.onnx", "tfc_w2a2.onnx", "vww_mobilenet128_qcdq.onnx",
                             "kws_mlp_w3a3_mlperf.onnx"}) {
        SCOPED_TRACE(file);
        const auto doc = ModelDocument::load(test::model(file));
        const AccumulatorReport report = analyzeAccumulators(*doc, {});
        int applicable = 0;
        for (const LayerAccumulatorResult& l : report.layers) {
            if (!l.applicable)
                continue;
            ++applicable;
            const AccumulatorBounds& b = l.bounds.layer;
            EXPECT_LE(b.exactBits, b.dataType.exactBits);
            if (b.a2qValid) {
                EXPECT_LE(b.exactBits, b.a2qBits);
            }
            if (b.a2qValid && b.dataType.a2qValid && l.weight.isSigned) {
                EXPECT_LE(b.a2qBits, b.dataType.a2qBits);
            }
        }
        EXPECT_GT(applicable, 0);
    }
}
