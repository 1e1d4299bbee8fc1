// Quantization error analysis: hand-computed SQNR / MSE / max|d| / cosine / clip fractions on tiny
// models built in code, the first-divergence and top-1 rules, and plausibility on real networks.
#include "core/analysis/quanterror.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modelbuilder.h"
#include "support/testdata.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace qs;

namespace {

std::unique_ptr<ModelDocument> documentOf(const ModelBuilder& b)
{
    return ModelDocument::fromProto(b.build());
}

QuantErrorReport analyze(const ModelDocument& doc, const std::map<std::string, Tensor>& inputs,
    QuantErrorOptions options = {}, Precision precision = Precision::Float32)
{
    ExecutorOptions exec;
    exec.precision = precision;
    const Executor executor(doc, exec);
    return runAndAnalyzeQuantizationError(executor, inputs, options);
}

const LayerError& layerNamed(const QuantErrorReport& report, const std::string& name)
{
    for (const LayerError& l : report.layers)
        if (l.name == name)
            return l;
    throw std::runtime_error("no layer " + name);
}

// x -> Quant(scale 0.5, zero point 0, 4 bits signed, not narrow: codes -8..7) -> y
ModelBuilder singleQuantModel()
{
    ModelBuilder b;
    b.input("x", {8});
    const std::string y = b.quant("x", 0.5, 0, 4, true, false);
    b.output(y, {8});
    return b;
}

const std::vector<float> kSingleInput {-5.0f, -4.25f, -1.25f, 0.0f, 0.25f, 0.75f, 3.625f, 10.0f};

void expectSingleQuantNumbers(const QuantErrorReport& report)
{
    // x / 0.5 = -10, -8.5, -2.5, 0, 0.5, 1.5, 7.25, 20; clamped to [-8, 7], rounded half to even:
    // codes -8, -8, -2, 0, 0, 2, 7, 7, so y = -4, -4, -1, 0, 0, 1, 3.5, 3.5.
    // y - x = 1, 0.25, 0.25, 0, -0.25, 0.25, -0.125, -6.5.
    const double noise = 1 + 4 * 0.0625 + 0.015625 + 42.25; // 43.515625
    const double signal = 25 + 18.0625 + 1.5625 + 0 + 0.0625 + 0.5625 + 13.140625 + 100; // 158.390625
    const double quantizedEnergy = 16 + 16 + 1 + 0 + 0 + 1 + 12.25 + 12.25; // 58.5
    const double dot = 20 + 17 + 1.25 + 0 + 0 + 0.75 + 12.6875 + 35; // 86.6875

    ASSERT_EQ(report.quantizers.size(), 1u);
    const QuantizerError& q = report.quantizers[0];
    ASSERT_TRUE(q.available);
    EXPECT_EQ(q.output.count, 8);
    EXPECT_DOUBLE_EQ(q.output.mse, noise / 8);
    EXPECT_DOUBLE_EQ(q.output.signalPower, signal / 8);
    EXPECT_DOUBLE_EQ(q.output.maxAbsError, 6.5);
    EXPECT_NEAR(q.output.sqnrDb, 10 * std::log10(signal / noise), 1e-12); // 5.5996 dB
    EXPECT_NEAR(q.output.cosineSimilarity, dot / std::sqrt(signal * quantizedEnergy), 1e-12);
    // Its own contribution equals the accumulated error: nothing precedes it.
    ASSERT_TRUE(q.localAvailable);
    EXPECT_DOUBLE_EQ(q.local.mse, noise / 8);
    // -10 and -8.5 lie below -8; 7.25 and 20 above 7.
    ASSERT_TRUE(q.clipKnown);
    EXPECT_EQ(q.clipChecked, 8);
    EXPECT_DOUBLE_EQ(q.clipLowFraction, 0.25);
    EXPECT_DOUBLE_EQ(q.clipHighFraction, 0.25);

    ASSERT_EQ(report.outputs.size(), 1u);
    EXPECT_DOUBLE_EQ(report.outputs[0].metrics.mse, noise / 8);
    EXPECT_FALSE(report.outputs[0].classifier); // rank 1: no batch axis
    EXPECT_DOUBLE_EQ(report.allOutputs.mse, noise / 8);
    EXPECT_TRUE(report.layers.empty());
    EXPECT_EQ(report.firstDivergence, -1);
}

} // namespace

TEST(QuantError, SingleQuantNodeMatchesHandComputedNumbers)
{
    const auto doc = documentOf(singleQuantModel());
    expectSingleQuantNumbers(analyze(*doc, {{"x", Tensor::fromFloats({8}, kSingleInput)}}));
}

TEST(QuantError, Float64ExecutionGivesTheSameNumbers)
{
    const auto doc = documentOf(singleQuantModel());
    std::vector<double> x(kSingleInput.begin(), kSingleInput.end());
    expectSingleQuantNumbers(analyze(*doc, {{"x", Tensor::fromDoubles({8}, x)}}, {}, Precision::Float64));
}

TEST(QuantError, MetricConventionsForZeroSignalAndZeroNoise)
{
    const Tensor zeros = Tensor::fromFloats({3}, {0, 0, 0});
    const Tensor some = Tensor::fromFloats({3}, {0, 2, 0});
    const ErrorMetrics same = compareTensors(zeros, zeros);
    EXPECT_EQ(same.sqnrDb, std::numeric_limits<double>::infinity());
    EXPECT_EQ(same.cosineSimilarity, 1.0);
    EXPECT_EQ(same.mse, 0.0);
    const ErrorMetrics onlyNoise = compareTensors(zeros, some);
    EXPECT_EQ(onlyNoise.sqnrDb, -std::numeric_limits<double>::infinity());
    EXPECT_EQ(onlyNoise.cosineSimilarity, 0.0);
    EXPECT_DOUBLE_EQ(onlyNoise.mse, 4.0 / 3);
    EXPECT_DOUBLE_EQ(onlyNoise.maxAbsError, 2.0);
    // A sign flip: cosine -1, noise 4x the signal (-6.02 dB).
    const ErrorMetrics flipped = compareTensors(some, Tensor::fromDoubles({3}, {0, -2, 0}));
    EXPECT_DOUBLE_EQ(flipped.cosineSimilarity, -1.0);
    EXPECT_NEAR(flipped.sqnrDb, -10 * std::log10(4.0), 1e-12);
}

TEST(QuantError, FloatModelHasNoErrorAndInfiniteSqnr)
{
    ModelBuilder b;
    b.input("x", {2, 3});
    b.initializer("w", Tensor::fromFloats({3, 4}, {1, -2, 3, 0.5f, -1, 0, 2, 1, 0.25f, 1, -1, 2}));
    b.node("MatMul", {"x", "w"}, {"h"}, {}, "", "fc");
    b.node("Relu", {"h"}, {"y"});
    b.output("y", {2, 4});
    const auto doc = documentOf(b);
    const auto report = analyze(*doc, {{"x", Tensor::fromFloats({2, 3}, {1, 2, 3, -1, 0.5f, 2})}});
    ASSERT_EQ(report.layers.size(), 1u);
    EXPECT_TRUE(report.layers[0].available);
    EXPECT_EQ(report.layers[0].output.mse, 0.0);
    EXPECT_EQ(report.layers[0].output.sqnrDb, std::numeric_limits<double>::infinity());
    EXPECT_EQ(report.firstDivergence, -1);
    ASSERT_EQ(report.outputs.size(), 1u);
    EXPECT_EQ(report.outputs[0].metrics.sqnrDb, std::numeric_limits<double>::infinity());
    EXPECT_EQ(report.outputs[0].metrics.cosineSimilarity, 1.0);
    EXPECT_TRUE(report.outputs[0].classifier);
    EXPECT_EQ(report.outputs[0].samples, 2);
    EXPECT_EQ(report.outputs[0].top1Agreement, 1.0);
    EXPECT_TRUE(report.quantizers.empty());
    EXPECT_TRUE(report.notes.empty());
}

namespace {

// x[1,4] -> fc1 (weights 8-bit, scale 1/128) -> fc2 (weights 1-bit sign, scale 1) -> y[1,4]
std::unique_ptr<ModelDocument> twoLayerModel()
{
    std::vector<float> w1(16), w2(16);
    for (int i = 0; i < 16; ++i) {
        w1[static_cast<std::size_t>(i)] = static_cast<float>(0.9 * std::sin(i + 1.0));
        w2[static_cast<std::size_t>(i)] = static_cast<float>(0.3 * std::cos(2.0 * i + 0.5));
    }
    ModelBuilder b;
    b.input("x", {1, 4});
    b.initializer("w1", Tensor::fromFloats({4, 4}, w1));
    b.initializer("w2", Tensor::fromFloats({4, 4}, w2));
    const std::string q1 = b.quant("w1", 1.0 / 128, 0, 8, true, true);
    const std::string q2 = b.quant("w2", 1.0, 0, 1, true, false);
    b.node("MatMul", {"x", q1}, {"h"}, {}, "", "fc1");
    b.node("MatMul", {"h", q2}, {"y"}, {}, "", "fc2");
    b.output("y", {1, 4});
    return ModelDocument::fromProto(b.build());
}

const std::map<std::string, Tensor> kTwoLayerInput {
    {"x", Tensor::fromFloats({1, 4}, {0.7f, -1.3f, 0.4f, 2.1f})}};

} // namespace

TEST(QuantError, FirstDivergenceIsTheLayerWithOneBitWeights)
{
    const auto doc = twoLayerModel();
    const auto report = analyze(*doc, kTwoLayerInput);
    ASSERT_EQ(report.layers.size(), 2u);
    EXPECT_EQ(report.layers[0].name, "fc1"); // topological order
    EXPECT_EQ(report.layers[1].name, "fc2");
    // 8-bit weights at scale 1/128 keep about 6 dB per bit; 1-bit weights of magnitude <= 0.3 become
    // +-1, far more noise than signal.
    EXPECT_GT(layerNamed(report, "fc1").output.sqnrDb, 30.0);
    EXPECT_LT(layerNamed(report, "fc2").output.sqnrDb, 0.0);
    EXPECT_EQ(report.firstDivergence, 1);
    EXPECT_EQ(report.outputs[0].metrics.sqnrDb, layerNamed(report, "fc2").output.sqnrDb);

    QuantErrorOptions strict;
    strict.divergenceThresholdDb = 1000;
    EXPECT_EQ(analyze(*doc, kTwoLayerInput, strict).firstDivergence, 0);
    QuantErrorOptions lax;
    lax.divergenceThresholdDb = -1000;
    EXPECT_EQ(analyze(*doc, kTwoLayerInput, lax).firstDivergence, -1);
}

TEST(QuantError, WeightQuantizersReportTheirOwnErrorAndIsolation)
{
    const auto doc = twoLayerModel();
    QuantErrorOptions options;
    options.isolation = true;
    const auto report = analyze(*doc, kTwoLayerInput, options);
    ASSERT_EQ(report.quantizers.size(), 2u);
    const QuantizerError& eight = report.quantizers[0];
    const QuantizerError& one = report.quantizers[1];
    // Weight quantizers have constant inputs; the local error is still measured (from the initializer).
    ASSERT_TRUE(eight.localAvailable);
    ASSERT_TRUE(one.localAvailable);
    // 8-bit, narrow, scale 1/128: rounding error at most half a step, and nothing clipped (|w| <= 0.9).
    EXPECT_LE(eight.local.maxAbsError, 0.5 / 128 + 1e-7);
    EXPECT_GT(eight.local.sqnrDb, 40.0);
    EXPECT_TRUE(eight.clipKnown);
    EXPECT_EQ(eight.clipLowFraction + eight.clipHighFraction, 0.0);
    // 1-bit sign quantization: every weight becomes +-1.
    EXPECT_NEAR(one.local.maxAbsError, 1.0, 0.3);
    EXPECT_LT(one.local.sqnrDb, 0.0);
    // Isolation: only the 1-bit quantizer active reproduces (almost) all of the output error.
    ASSERT_TRUE(eight.isolated && one.isolated);
    EXPECT_GT(eight.isolated->sqnrDb, 30.0);
    EXPECT_NEAR(one.isolated->sqnrDb, report.allOutputs.sqnrDb, 1.0);
}

TEST(QuantError, TopOneAgreementOnAClassifierOutput)
{
    ModelBuilder b;
    b.input("x", {4, 3});
    b.output(b.quant("x", 1.0, 0, 4, true, false), {4, 3});
    const auto doc = documentOf(b);
    // Rows (float argmax -> quantized codes, argmax with ties to the first):
    //   0.2 0.4 0.1     -> 1 | 0 0 0 -> 0  disagree
    //   3   1   0.2     -> 0 | 3 1 0 -> 0  agree
    //   0.3 2.625 2.375 -> 1 | 0 3 2 -> 1  agree
    //   2.25 2.375 0    -> 1 | 2 2 0 -> 0  disagree
    const auto report = analyze(*doc,
        {{"x",
            Tensor::fromFloats(
                {4, 3}, {0.2f, 0.4f, 0.1f, 3, 1, 0.2f, 0.3f, 2.625f, 2.375f, 2.25f, 2.375f, 0})}});
    ASSERT_EQ(report.outputs.size(), 1u);
    EXPECT_TRUE(report.outputs[0].classifier);
    EXPECT_EQ(report.outputs[0].samples, 4);
    EXPECT_EQ(report.outputs[0].top1Agreements, 2);
    EXPECT_DOUBLE_EQ(report.outputs[0].top1Agreement, 0.5);
}

TEST(QuantError, ClassifierShapes)
{
    EXPECT_TRUE(isClassifierShape({8, 10}));
    EXPECT_TRUE(isClassifierShape({8, 10, 1, 1}));
    EXPECT_FALSE(isClassifierShape({8, 10, 2}));
    EXPECT_FALSE(isClassifierShape({10}));
    EXPECT_FALSE(isClassifierShape({8, 1}));
}

namespace {

// Overwrites a scalar initializer in place, in whatever numeric storage it uses.
void setScalarInitializer(onnx::ModelProto& model, const std::string& name, double value)
{
    for (onnx::TensorProto& t : *model.mutable_graph()->mutable_initializer()) {
        if (t.name() != name)
            continue;
        t.clear_raw_data();
        t.clear_float_data();
        t.clear_double_data();
        t.clear_int64_data();
        t.clear_int32_data();
        switch (t.data_type()) {
        case onnx::TensorProto::DOUBLE:
            t.add_double_data(value);
            break;
        case onnx::TensorProto::INT64:
            t.add_int64_data(static_cast<std::int64_t>(value));
            break;
        case onnx::TensorProto::FLOAT:
            t.add_float_data(static_cast<float>(value));
            break;
        default:
            t.add_int32_data(static_cast<std::int32_t>(value));
            break;
        }
        return;
    }
    throw std::runtime_error("no initializer " + name);
}

} // namespace

TEST(QuantError, Resnet8W4A4FinalOutputErrorIsFiniteAndPlausible)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto report = analyze(*doc, randomInputs(*doc, 0, 8));
    EXPECT_TRUE(report.notes.empty()) << report.notes.front();
    ASSERT_EQ(report.outputs.size(), 1u);
    const OutputAgreement& out = report.outputs[0];
    // 4-bit weights and activations on random inputs (not CIFAR images: the 4-bit ReLU quantizers clip
    // a large share, which the float shadow does not): clearly lossy (about 3 dB), yet not noise.
    EXPECT_TRUE(std::isfinite(out.metrics.sqnrDb));
    EXPECT_GT(out.metrics.sqnrDb, 1.0);
    EXPECT_LT(out.metrics.sqnrDb, 40.0);
    EXPECT_GT(out.metrics.cosineSimilarity, 0.5);
    EXPECT_TRUE(out.classifier);
    EXPECT_EQ(out.samples, 8);
    EXPECT_GE(out.top1Agreement, 0.0);
    EXPECT_LE(out.top1Agreement, 1.0);
    ASSERT_EQ(report.layers.size(), doc->layers().size());
    for (std::size_t i = 1; i < report.layers.size(); ++i)
        EXPECT_LE(report.layers[i - 1].topologicalPosition, report.layers[i].topologicalPosition);
    for (const LayerError& l : report.layers) {
        EXPECT_TRUE(l.available) << l.name;
        EXPECT_TRUE(std::isfinite(l.output.sqnrDb)) << l.name;
    }
    int clipped = 0;
    for (const QuantizerError& q : report.quantizers) {
        EXPECT_TRUE(q.available) << q.name;
        EXPECT_GE(q.clipLowFraction, 0.0);
        EXPECT_LE(q.clipLowFraction + q.clipHighFraction, 1.0);
        clipped += q.clipKnown;
    }
    EXPECT_GT(clipped, 0);
    // The first conv sees only the 8-bit input and weight quantizers; the 4-bit ReLU quantizer after
    // it is where the error jumps, so the first divergence below 20 dB is the second conv.
    EXPECT_GT(report.layers[0].output.sqnrDb, 20.0);
    EXPECT_EQ(report.firstDivergence, 1);
}

TEST(QuantError, TfcW2A2FinalOutputErrorIsFiniteAndPlausible)
{
    const auto doc = ModelDocument::load(test::model("tfc_w2a2.onnx"));
    const auto report = analyze(*doc, randomInputs(*doc, 0, 1));
    ASSERT_EQ(report.outputs.size(), 1u);
    const OutputAgreement& out = report.outputs[0];
    // TFC has no ReLU: its 2-bit activation quantizers (clipping over half of their inputs here) are the
    // nonlinearity, so the float shadow is nearly linear and agrees poorly (about 0.3 dB), but finitely.
    EXPECT_TRUE(std::isfinite(out.metrics.sqnrDb));
    EXPECT_GT(out.metrics.sqnrDb, 0.0);
    EXPECT_LT(out.metrics.sqnrDb, 40.0);
    EXPECT_TRUE(out.classifier);
    EXPECT_EQ(out.samples, 1);
    ASSERT_EQ(report.layers.size(), 4u);
}

TEST(QuantError, LoweringAWeightQuantizerToTwoBitsLowersItsLayersSqnr)
{
    // resnet8's second conv: weights from 4 to 2 bits by editing the bit-width initializer.
    const auto resnet = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto resnetInputs = randomInputs(*resnet, 0, 2);
    const auto base = analyze(*resnet, resnetInputs);
    const Layer& layer = resnet->layers()[1];
    ASSERT_GE(layer.weightQuantizer, 0);
    const Quantizer& wq = resnet->quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
    ASSERT_EQ(wq.bitWidth, 4.0);
    const std::string layerName = layer.name;
    const TensorId bitsTensor = resnet->node(wq.mainNode).inputs.at(3);
    setScalarInitializer(resnet->mutableProto(), resnet->tensor(bitsTensor).name, 2.0);
    resnet->refresh(false);
    ASSERT_EQ(
        resnet->quantizers()[static_cast<std::size_t>(resnet->layers()[1].weightQuantizer)].bitWidth, 2.0);
    const auto lowered = analyze(*resnet, resnetInputs);
    EXPECT_LT(layerNamed(lowered, layerName).output.sqnrDb + 3.0, layerNamed(base, layerName).output.sqnrDb);
}

TEST(QuantError, LoneDequantizeLinearStaysActiveInTheFloatShadow)
{
    // int8 codes have no float original: bypassing the DequantizeLinear would feed integers to MatMul.
    ModelBuilder b;
    b.input("codes", {1, 2}, onnx::TensorProto::INT8);
    b.initializer("scale", Tensor::scalar(0.5f));
    b.initializer("w", Tensor::fromFloats({2, 2}, {1, 2, 3, 4}));
    b.node("DequantizeLinear", {"codes", "scale"}, {"x"});
    b.node("MatMul", {"x", "w"}, {"y"}, {}, "", "fc");
    b.output("y", {1, 2});
    const auto doc = documentOf(b);
    ASSERT_EQ(doc->quantizers().size(), 1u);
    ASSERT_EQ(doc->quantizers()[0].kind, QuantizerKind::DequantizeOnly);
    Tensor codes(DType::Int8, {1, 2});
    codes.data<std::int8_t>()[0] = 3;
    codes.data<std::int8_t>()[1] = -2;
    const auto report = analyze(*doc, {{"codes", codes}});
    ASSERT_EQ(report.layers.size(), 1u);
    EXPECT_EQ(report.layers[0].output.sqnrDb, std::numeric_limits<double>::infinity());
    EXPECT_FALSE(report.quantizers[0].localAvailable); // codes vs values: not an error
    EXPECT_FALSE(report.quantizers[0].clipKnown);
}

TEST(QuantError, ProgressSpansBothRunsAndCancels)
{
    const auto doc = twoLayerModel();
    const Executor executor(*doc);
    std::vector<std::int64_t> done;
    std::int64_t total = 0;
    const Progress progress([&](std::int64_t d, std::int64_t t, std::string_view) {
        done.push_back(d);
        total = t;
    });
    runAndAnalyzeQuantizationError(executor, kTwoLayerInput, {}, &progress);
    // 4 nodes (2 Quant, 2 MatMul) per run, two runs.
    EXPECT_EQ(total, 8);
    EXPECT_EQ(done, (std::vector<std::int64_t> {0, 1, 2, 3, 4, 5, 6, 7}));
    Progress cancelled;
    cancelled.cancel();
    EXPECT_THROW(runAndAnalyzeQuantizationError(executor, kTwoLayerInput, {}, &cancelled), Cancelled);
}
