// Hand-checked quantizer and layer facts of real models. Expected values come from the models'
// architectures and from the corpus manifest / python-onnx inspection, not from Quantscope's output.
#include "core/model/modeldocument.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <map>

using namespace qs;

namespace {

std::unique_ptr<ModelDocument> load(const std::string& file) { return ModelDocument::load(test::model(file)); }

std::map<double, int> bitWidthHistogram(const ModelDocument& doc)
{
    std::map<double, int> h;
    for (const Quantizer& q : doc.quantizers())
        ++h[q.bitWidth.value_or(-1)];
    return h;
}

int count(const ModelDocument& doc, auto predicate)
{
    int n = 0;
    for (const Quantizer& q : doc.quantizers())
        n += predicate(q) ? 1 : 0;
    return n;
}

std::vector<std::int64_t> dotProductLengths(const ModelDocument& doc)
{
    std::vector<std::int64_t> k;
    for (const Layer& layer : doc.layers())
        k.push_back(layer.dotProductLength.value_or(-1));
    return k;
}

} // namespace

TEST(QuantizationView, TfcW2A2IsTwoBitEverywhereWithMnistMlpShapes)
{
    const auto doc = load("tfc_w2a2.onnx");
    ASSERT_EQ(doc->quantizers().size(), 8u);
    for (const Quantizer& q : doc->quantizers()) {
        EXPECT_EQ(q.bitWidth, 2.0);
        EXPECT_TRUE(q.isSigned);
        EXPECT_TRUE(q.narrow);
        EXPECT_EQ(q.qmin, -1.0);
        EXPECT_EQ(q.qmax, 1.0);
        EXPECT_FALSE(q.scale.isPerChannel());
        EXPECT_TRUE(q.zeroPoint.allEqual(0.0));
        EXPECT_EQ(q.domain, "onnx.brevitas");
    }
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.role == QuantizerRole::Weight; }), 4);
    // 28x28 MNIST into a 4x64 MLP with 10 classes.
    EXPECT_EQ(dotProductLengths(*doc), (std::vector<std::int64_t> {784, 64, 64, 64}));
    for (const Layer& layer : doc->layers()) {
        EXPECT_EQ(layer.opType, "MatMul");
        EXPECT_GE(layer.inputQuantizer, 0) << layer.name;
        EXPECT_GE(layer.weightQuantizer, 0) << layer.name;
    }
    EXPECT_EQ(doc->layers().back().outputShape, (std::vector<std::int64_t> {1, 10}));
}

TEST(QuantizationView, KwsMlperfDefaultDomainQuantWithoutRoundingModeAndPerChannelScales)
{
    const auto doc = load("kws_mlp_w3a3_mlperf.onnx");
    ASSERT_EQ(doc->quantizers().size(), 8u);
    EXPECT_EQ(bitWidthHistogram(*doc), (std::map<double, int> {{3.0, 7}, {8.0, 1}}));
    for (const Quantizer& q : doc->quantizers()) {
        EXPECT_EQ(q.domain, "");
        EXPECT_TRUE(q.attributesDefaulted); // no rounding_mode in the file
        EXPECT_EQ(q.roundingMode, "ROUND");
    }
    // Three weight quantizers carry a [256,1] per-output-row scale.
    const int perChannel = count(*doc, [](const Quantizer& q) {
        return q.scale.isPerChannel() && q.scale.axis == 0 && q.scale.shape == Shape {256, 1};
    });
    EXPECT_EQ(perChannel, 3);
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.isSigned; }), 5);
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.narrow; }), 5);
    // MFCC 10x49 = 490 features, 256-wide hidden layers.
    EXPECT_EQ(dotProductLengths(*doc), (std::vector<std::int64_t> {490, 256, 256, 256}));
    EXPECT_EQ(doc->quantizers()[0].role, QuantizerRole::GraphInput);
    EXPECT_EQ(doc->quantizers()[0].dataType, "SCALEDINT<8>");
}

TEST(QuantizationView, EspcnPerChannelConvWeightsAndKernelSizes)
{
    const auto doc = load("espcn_bsd300_quant.onnx");
    EXPECT_EQ(bitWidthHistogram(*doc), (std::map<double, int> {{4.0, 5}, {8.0, 3}}));
    std::map<Shape, int> perChannelShapes;
    for (const Quantizer& q : doc->quantizers())
        if (q.scale.isPerChannel()) {
            ++perChannelShapes[q.scale.shape];
            EXPECT_EQ(q.scale.axis, 0);
            EXPECT_EQ(q.role, QuantizerRole::Weight);
        }
    EXPECT_EQ(perChannelShapes, (std::map<Shape, int> {{{64, 1, 1, 1}, 2}, {{32, 1, 1, 1}, 1}}));
    // Weights [64,3,5,5], [64,64,3,3], [32,64,3,3], [12,32,3,3].
    EXPECT_EQ(dotProductLengths(*doc), (std::vector<std::int64_t> {75, 576, 576, 288}));
    EXPECT_EQ(doc->layers()[0].inputQuantizer, -1); // the first conv sees the float image
    EXPECT_EQ(doc->layers()[3].weightShape, (std::vector<std::int64_t> {12, 32, 3, 3}));
}

TEST(QuantizationView, VwwQcdqTripletsPairsAndDepthwiseConvs)
{
    const auto doc = load("vww_mobilenet128_qcdq.onnx");
    EXPECT_EQ(doc->format(), ModelFormat::Qcdq);
    int triplets = 0;
    for (const Quantizer& q : doc->quantizers()) {
        if (q.kind == QuantizerKind::QCDQ) {
            ++triplets;
            EXPECT_EQ(q.nodes.size(), 3u);
            EXPECT_EQ(q.role, QuantizerRole::Weight);
            EXPECT_EQ(q.bitWidth, 8.0); // Clip int8 [-127,127] = 8-bit signed narrow
            EXPECT_TRUE(q.isSigned);
            EXPECT_TRUE(q.narrow);
            EXPECT_EQ(q.qmin, -127.0);
        } else {
            EXPECT_EQ(q.kind, QuantizerKind::QDQ);
            EXPECT_EQ(q.nodes.size(), 2u);
        }
    }
    EXPECT_EQ(triplets, 26);
    // uint8 zero points mark the 25 unsigned (post-ReLU) activation quantizers.
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return !q.isSigned; }), 25);
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.role == QuantizerRole::GraphInput; }), 1);
    ASSERT_EQ(doc->layers().size(), 26u);
    int depthwise = 0;
    for (const Layer& layer : doc->layers())
        if (layer.group > 1) {
            ++depthwise;
            EXPECT_EQ(layer.dotProductLength, 9) << layer.name; // 3x3 depthwise: K = kH*kW
        }
    EXPECT_EQ(depthwise, 12);
}

TEST(QuantizationView, Resnet8IntegerZeroPointsAndThirtyTwoBitBiases)
{
    const auto doc = load("resnet8_cifar10_w4a4.onnx");
    EXPECT_EQ(bitWidthHistogram(*doc), (std::map<double, int> {{4.0, 23}, {8.0, 7}, {32.0, 10}}));
    for (const Quantizer& q : doc->quantizers()) {
        EXPECT_TRUE(q.zeroPoint.known); // int8 / uint8 / int32 initializers
        EXPECT_TRUE(q.zeroPoint.allEqual(0.0));
        if (q.bitWidth == 32.0) {
            EXPECT_EQ(q.role, QuantizerRole::Bias) << q.name;
            EXPECT_EQ(q.dataType, "SCALEDINT<32>");
        }
    }
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.isSigned; }), 24);
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.narrow; }), 10);
    ASSERT_EQ(doc->layers().size(), 10u);
    for (const Layer& layer : doc->layers()) {
        EXPECT_GE(layer.weightQuantizer, 0) << layer.name;
        EXPECT_GE(layer.biasQuantizer, 0) << layer.name;
        EXPECT_GE(layer.inputQuantizer, 0) << layer.name;
    }
}

TEST(QuantizationView, BinarizedFullyConnectedFragment)
{
    const auto doc = load("frag_bnn_fc_1layer.onnx");
    ASSERT_EQ(doc->quantizers().size(), 4u);
    std::map<std::string, std::string> typeByRole;
    for (const Quantizer& q : doc->quantizers())
        typeByRole[quantizerRoleName(q.role)] = q.dataType;
    // Unit-scale BipolarQuant on input, weights and output; a 4-bit unit-scale bias Quant.
    EXPECT_EQ(typeByRole, (std::map<std::string, std::string> {
                              {"input", "BIPOLAR"}, {"weight", "BIPOLAR"}, {"activation", "BIPOLAR"}, {"bias", "INT4"}}));
    ASSERT_EQ(doc->layers().size(), 1u);
    const Layer& gemm = doc->layers()[0];
    EXPECT_EQ(gemm.dotProductLength, 3);
    EXPECT_GE(gemm.biasQuantizer, 0);
    EXPECT_EQ(gemm.weightShape, (std::vector<std::int64_t> {4, 3}));
}

TEST(QuantizationView, FloatQuantFp8Parameters)
{
    const auto doc = load("frag_floatquant_fp8.onnx");
    ASSERT_EQ(doc->quantizers().size(), 2u);
    for (const Quantizer& q : doc->quantizers()) {
        EXPECT_EQ(q.kind, QuantizerKind::FloatQuant);
        EXPECT_EQ(q.exponentBitWidth, 4.0);
        EXPECT_EQ(q.mantissaBitWidth, 3.0);
        EXPECT_EQ(q.bitWidth, 8.0);
        EXPECT_EQ(q.dataType, "FLOAT32"); // non-unit scale (qonnx-ops.md §6.3)
    }
}

TEST(QuantizationView, RadiomlMixedBitWidths)
{
    const auto doc = load("radioml_cnn_2mods.onnx");
    EXPECT_EQ(bitWidthHistogram(*doc), (std::map<double, int> {{2.0, 5}, {8.0, 5}, {16.0, 1}}));
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.isSigned; }), 7);
    EXPECT_EQ(count(*doc, [](const Quantizer& q) { return q.narrow; }), 5);
}

TEST(QuantizationView, FinnStreamlinedModelHasNoQuantizersButIsQonnx)
{
    const auto doc = load("tfc_w1a1_finn_streamlined.onnx");
    EXPECT_TRUE(doc->quantizers().empty());
    EXPECT_EQ(doc->format(), ModelFormat::Qonnx); // MultiThreshold
    EXPECT_EQ(dotProductLengths(*doc), (std::vector<std::int64_t> {784, 64, 64, 64}));
}

TEST(QuantizationView, FloatModelHasLayersButNoQuantizers)
{
    const auto doc = load("mnist_conv_float.onnx");
    EXPECT_EQ(doc->format(), ModelFormat::Float);
    // CNTK MNIST: 5x5 convs with 1 and 8 input channels, then a 256->10 dense layer.
    EXPECT_EQ(dotProductLengths(*doc), (std::vector<std::int64_t> {25, 200, 256}));
}
