// fitAccumulators on real graphs: accumulator-and-bops.md §5 example 1 (UINT4 x INT4, K = 4,
// w0 = [3, -2, 0, 7], w1 = [-8, -8, 1, 2]) in QONNX and QCDQ form, and resnet8 (w4a4).
#include "core/analysis/accumulatoranalysis.h"
#include "core/edit/changerecord.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modelbuilder.h"
#include "core/projection/accumulatorfit.h"
#include "core/util/error.h"
#include "support/testdata.h"

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace qs;

namespace {

struct ExampleOne {
    bool bias = false;
    bool sharedWeights = false; // an Identity also reads the weight initializer
    bool qcdq = false; // QuantizeLinear -> Clip -> DequantizeLinear weights
    std::string rounding = "ROUND";
    double scale = 0.25;
    double offset = 0; // stored weight = (code + offset) * scale
};

// y = x @ W, x UINT4 (scale 0.5), W [K = 4, N = 2] holding the channels as columns.
std::unique_ptr<ModelDocument> exampleOne(const ExampleOne& e = {})
{
    ModelBuilder b(13);
    b.input("x", {-1, 4});
    const std::string xq = b.quant("x", 0.5, 0, 4, false, false);
    std::vector<float> w;
    for (double code : {3, -8, -2, -8, 0, 1, 7, 2})
        w.push_back(static_cast<float>((code + e.offset) * e.scale));
    b.initializer("w", Tensor::fromFloats({4, 2}, w));
    std::string wq;
    if (e.qcdq) {
        b.initializer("ws", Tensor::scalar(static_cast<float>(e.scale)));
        b.initializer("wz", Tensor::fromInt64s({}, {0}).cast(DType::Int8));
        b.initializer("lo", Tensor::fromInt64s({}, {-8}).cast(DType::Int8));
        b.initializer("hi", Tensor::fromInt64s({}, {7}).cast(DType::Int8));
        b.node("QuantizeLinear", {"w", "ws", "wz"}, {"wq8"}, {}, "", "wql");
        b.node("Clip", {"wq8", "lo", "hi"}, {"wc8"}, {}, "", "wclip");
        b.node("DequantizeLinear", {"wc8", "ws", "wz"}, {"wdq"}, {}, "", "wdql");
        wq = "wdq";
    } else {
        wq = b.quant("w", e.scale, 0, 4, true, false, "qonnx.custom_op.general", e.rounding);
    }
    if (e.bias) {
        b.initializer("b", Tensor::fromFloats({2}, {120 * 0.125f, 0}));
        const std::string bq = b.quant("b", 0.125, 0, 16, true, false);
        b.node("Gemm", {xq, wq, bq}, {"y"}, {}, "", "fc");
    } else {
        b.node("MatMul", {xq, wq}, {"y"}, {}, "", "fc");
    }
    b.output("y", {-1, 2});
    if (e.sharedWeights) {
        b.node("Identity", {"w"}, {"w_copy"});
        b.output("w_copy", {4, 2});
    }
    return ModelDocument::fromProto(b.build());
}

std::vector<double> initializerValues(const ModelDocument& doc, const std::string& name)
{
    const auto id = doc.graph().findTensor(name);
    EXPECT_TRUE(id.has_value()) << name;
    return id ? doc.initializerValue(*id)->toDoubles() : std::vector<double> {};
}

std::vector<double> scaled(const std::vector<double>& codes, double scale)
{
    std::vector<double> out;
    for (double c : codes)
        out.push_back(static_cast<float>(c * scale));
    return out;
}

FitOptions fitTo(int bits, FitMethod method, std::vector<std::string> layers = {})
{
    FitOptions o;
    o.accBits = bits;
    o.method = method;
    o.layers = std::move(layers);
    return o;
}

AccumulatorReport analyzeAt(const ModelDocument& doc, int bits)
{
    AccumulatorOptions o;
    o.accBits = bits;
    return analyzeAccumulators(doc, o);
}

} // namespace

TEST(AccumulatorFit, ExampleOneA2QAtNineBitsShrinksOnlyChannelOne)
{
    const auto doc = exampleOne();
    const std::string original = doc->serialize();
    // The exact bound (9) already fits, so A2Q is asked for by name: budget floor(255 / 16) = 15.
    const FitReport r = fitAccumulators(*doc, fitTo(9, FitMethod::A2Q, {"fc"}));
    ASSERT_EQ(r.layers.size(), 1u);
    const LayerFit& l = r.layers[0];
    EXPECT_EQ(l.status, FitStatus::Projected);
    EXPECT_EQ(l.channels, 2);
    EXPECT_EQ(l.channelsChanged, 1);
    EXPECT_EQ(l.channelsZeroed, 0);
    EXPECT_EQ(l.codesChanged, 4); // [-8, -8, 1, 2] -> [-7, -7, 0, 1]
    EXPECT_EQ(l.maxL1Before, 19);
    EXPECT_EQ(l.maxL1After, 15);
    EXPECT_EQ(l.methodBitsBefore, 10); // 19 * 16 = 304
    EXPECT_EQ(l.methodBitsAfter, 9); // 15 * 16 = 240
    EXPECT_EQ(l.exactBitsBefore, 9);
    EXPECT_EQ(l.exactBitsAfter, 9);
    EXPECT_EQ(l.riskAfter, RiskClass::Safe);
    // Squared error 4 against sum of squares 9 + 4 + 49 + 64 + 64 + 1 + 4 = 195; one scale, so equal.
    EXPECT_DOUBLE_EQ(l.codeError, std::sqrt(4.0 / 195.0));
    EXPECT_DOUBLE_EQ(l.weightError, std::sqrt(4.0 / 195.0));
    EXPECT_FALSE(r.evaluated);
    ASSERT_EQ(r.record.entries.size(), 1u); // the weight initializer, replaced in place
    EXPECT_EQ(initializerValues(*doc, "w"), scaled({3, -7, -2, -7, 0, 0, 7, 1}, 0.25));

    const AccumulatorReport after = analyzeAt(*doc, 9);
    const LayerAccumulatorResult& a = after.layers.at(0);
    EXPECT_EQ(a.bounds.channels[0].bounds.exactLo, -30); // untouched
    EXPECT_EQ(a.bounds.channels[0].bounds.exactHi, 150);
    EXPECT_EQ(a.bounds.channels[1].bounds.exactLo, -210); // -14 * 15
    EXPECT_EQ(a.bounds.channels[1].bounds.exactHi, 15);
    EXPECT_EQ(a.bounds.layer.a2qBits, 9);
    EXPECT_EQ(a.risk.risk, RiskClass::Safe);

    const std::string edited = doc->serialize();
    undo(*doc, r.record);
    EXPECT_EQ(doc->serialize(), original);
    redo(*doc, r.record);
    EXPECT_EQ(doc->serialize(), edited);
}

TEST(AccumulatorFit, DefaultSelectionUsesTheExactBound)
{
    const auto doc = exampleOne();
    const std::string original = doc->serialize();
    // At 9 bits the exact range [-240, 150] fits: nothing is selected, nothing changes.
    const FitReport fits = fitAccumulators(*doc, fitTo(9, FitMethod::A2Q));
    EXPECT_EQ(fits.layers.at(0).status, FitStatus::Fits);
    EXPECT_TRUE(fits.record.empty());
    EXPECT_EQ(doc->serialize(), original);

    // At 8 bits: S+ <= floor(127 / 15) = 8, S- <= floor(128 / 15) = 8.
    // ch0 [3, -2, 0, 7] -> [2, -2, 0, 6] (error 2), ch1 [-8, -8, 1, 2] -> [-4, -4, 1, 2] (error 32).
    const FitReport r = fitAccumulators(*doc, fitTo(8, FitMethod::Exact));
    const LayerFit& l = r.layers.at(0);
    EXPECT_EQ(l.status, FitStatus::Projected);
    EXPECT_EQ(l.channelsChanged, 2);
    EXPECT_EQ(l.codesChanged, 4);
    EXPECT_EQ(l.exactBitsBefore, 9);
    EXPECT_EQ(l.exactBitsAfter, 8);
    EXPECT_EQ(l.methodBitsAfter, 8);
    EXPECT_EQ(l.riskBefore, RiskClass::Unverified);
    EXPECT_EQ(l.riskAfter, RiskClass::Safe);
    EXPECT_EQ(l.maxL1After, 11); // ch0 2 + 2 + 6 = 10, ch1 4 + 4 + 1 + 2 = 11
    EXPECT_DOUBLE_EQ(l.codeError, std::sqrt(34.0 / 195.0));
    EXPECT_EQ(initializerValues(*doc, "w"), scaled({2, -4, -2, -4, 0, 1, 6, 2}, 0.25));
    const AccumulatorReport after = analyzeAt(*doc, 8);
    EXPECT_EQ(after.layers[0].bounds.channels[0].bounds.exactHi, 120);
    EXPECT_EQ(after.layers[0].bounds.channels[1].bounds.exactLo, -120);
    EXPECT_EQ(after.layers[0].risk.risk, RiskClass::Safe);
}

TEST(AccumulatorFit, RefusalsLeaveTheModelAsItWas)
{
    const auto doc = exampleOne();
    const std::string original = doc->serialize();
    EXPECT_THROW(fitAccumulators(*doc, fitTo(9, FitMethod::A2Q, {"nope"})), Error);
    EXPECT_THROW(fitAccumulators(*doc, fitTo(1, FitMethod::A2Q)), Error);
    // A2Q at 4 bits: floor(7 / 16) = 0, every weight would have to go.
    EXPECT_THROW(fitAccumulators(*doc, fitTo(4, FitMethod::A2Q)), Error);
    EXPECT_EQ(doc->serialize(), original);

    // Example 11's preloaded bias 120 alone exceeds a 7-bit register (max 63).
    const auto biased = exampleOne({.bias = true});
    const std::string biasedOriginal = biased->serialize();
    try {
        fitAccumulators(*biased, fitTo(7, FitMethod::Exact));
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("bias 120"), std::string::npos) << e.what();
    }
    EXPECT_EQ(biased->serialize(), biasedOriginal);
}

TEST(AccumulatorFit, PreloadedBiasTakesItsShareOfTheBudget)
{
    // Example 11 (beta = [120, 0]), A2Q at 9 bits: ch0 budget floor((255 - 120) / 16) = 8, so
    // [3, -2, 0, 7] (L1 12) loses 4 units: splits (D+, D-) = (2, 2), (3, 1), (4, 0) cost 2 + 4, 5 + 1, 8;
    // the first cheapest wins: [2, 0, 0, 6]. ch1 (no bias) keeps budget 15: [-7, -7, 0, 1].
    // Bounds: 12 * 16 + 120 = 312 (10 bits) before, 8 * 16 + 120 = 248 (9 bits) after.
    const auto doc = exampleOne({.bias = true});
    const FitReport r = fitAccumulators(*doc, fitTo(9, FitMethod::A2Q, {"fc"}));
    const LayerFit& l = r.layers.at(0);
    EXPECT_EQ(l.status, FitStatus::Projected);
    EXPECT_EQ(l.methodBitsBefore, 10);
    EXPECT_EQ(l.methodBitsAfter, 9);
    const AccumulatorReport after = analyzeAt(*doc, 9);
    ASSERT_TRUE(after.layers[0].biasPreloaded);
    EXPECT_EQ(after.layers[0].boundsWithBias.channels[0].stats.l1, 8);
    EXPECT_EQ(after.layers[0].boundsWithBias.channels[1].stats.l1, 15);
    EXPECT_EQ(initializerValues(*doc, "w"), scaled({2, -7, 0, -7, 0, 0, 6, 1}, 0.25));
    EXPECT_EQ(after.layers[0].risk.risk, RiskClass::Safe);
}

TEST(AccumulatorFit, SharedWeightsAreCopiedBeforeTheyChange)
{
    const auto doc = exampleOne({.sharedWeights = true});
    const std::string original = doc->serialize();
    const std::vector<double> before = initializerValues(*doc, "w");
    const FitReport r = fitAccumulators(*doc, fitTo(8, FitMethod::Exact));
    EXPECT_EQ(r.layers.at(0).status, FitStatus::Projected);
    EXPECT_EQ(initializerValues(*doc, "w"), before); // the Identity still reads the original
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes[0].find("shared"), std::string::npos) << r.notes[0];
    EXPECT_EQ(analyzeAt(*doc, 8).layers[0].risk.risk, RiskClass::Safe);
    undo(*doc, r.record);
    EXPECT_EQ(doc->serialize(), original);
}

TEST(AccumulatorFit, QcdqWeightsAreWrittenIntoTheFloatInitializer)
{
    const auto doc = exampleOne({.qcdq = true});
    ASSERT_EQ(doc->layers().size(), 1u);
    const Quantizer& q = doc->quantizers().at(static_cast<std::size_t>(doc->layers()[0].weightQuantizer));
    ASSERT_EQ(q.kind, QuantizerKind::QCDQ);
    const FitReport r = fitAccumulators(*doc, fitTo(8, FitMethod::Exact));
    EXPECT_EQ(r.layers.at(0).status, FitStatus::Projected);
    EXPECT_EQ(initializerValues(*doc, "w"), scaled({2, -4, -2, -4, 0, 1, 6, 2}, 0.25));
    EXPECT_EQ(analyzeAt(*doc, 8).layers[0].risk.risk, RiskClass::Safe);
}

TEST(AccumulatorFit, FloorRoundingWithAnInexactScaleReadsBackTheProjectedCodes)
{
    // Stored as (code + 0.5) * 0.1 so FLOOR yields the codes; the new codes are written a quarter step
    // up, which FLOOR maps back exactly despite float32 noise (verified inside fitAccumulators).
    const auto doc = exampleOne({.rounding = "FLOOR", .scale = 0.1, .offset = 0.5});
    const FitReport r = fitAccumulators(*doc, fitTo(8, FitMethod::Exact));
    const LayerFit& l = r.layers.at(0);
    EXPECT_EQ(l.status, FitStatus::Projected);
    EXPECT_EQ(l.exactBitsAfter, 8);
    const std::vector<double> w = initializerValues(*doc, "w");
    EXPECT_FLOAT_EQ(static_cast<float>(w[0]), static_cast<float>(2.25 * 0.1)); // code 2
    EXPECT_FLOAT_EQ(static_cast<float>(w[2]), static_cast<float>(-1.5 * 0.1)); // untouched code -2
}

TEST(AccumulatorFit, ResNet8BelowTheExactBoundBecomesSafe)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const onnx::ModelProto original = doc->proto();
    const std::string originalBytes = doc->serialize();
    const int bits = 14;
    const AccumulatorReport before = analyzeAt(*doc, bits);
    int over = 0;
    for (const LayerAccumulatorResult& l : before.layers)
        over += l.applicable && l.boundsWithBias.layer.exactBits > bits ? 1 : 0;
    ASSERT_GT(over, 0);

    const std::map<std::string, Tensor> inputs = randomInputs(*doc, 3, 4);
    const FitReport r = fitAccumulators(*doc, fitTo(bits, FitMethod::Exact), &inputs);
    ASSERT_TRUE(r.evaluated);
    std::set<std::string> projectedWeights;
    int projected = 0;
    for (const LayerFit& l : r.layers) {
        SCOPED_TRACE(l.name);
        const LayerAccumulatorResult& b = before.layers.at(static_cast<std::size_t>(l.layer));
        if (!b.applicable) {
            EXPECT_EQ(l.status, FitStatus::NotApplicable);
            continue;
        }
        if (b.boundsWithBias.layer.exactBits <= bits) {
            EXPECT_EQ(l.status, FitStatus::Fits);
            EXPECT_EQ(l.codesChanged, 0);
            continue;
        }
        ++projected;
        EXPECT_EQ(l.status, FitStatus::Projected);
        EXPECT_LE(l.exactBitsAfter, bits);
        EXPECT_EQ(l.riskAfter, RiskClass::Safe);
        EXPECT_GT(l.codeError, 0.0);
        ASSERT_TRUE(l.outputBefore && l.outputAfter);
        const Layer& layer = doc->layers()[static_cast<std::size_t>(l.layer)];
        const Quantizer& q = doc->quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
        projectedWeights.insert(doc->tensor(q.input).name);
    }
    EXPECT_EQ(projected, over);
    EXPECT_TRUE(std::isfinite(r.outputsBefore.sqnrDb));
    EXPECT_NE(r.outputsAfter.sqnrDb, r.outputsBefore.sqnrDb);

    // Every layer is SAFE now, and every initializer but the projected weights is byte-identical.
    for (const LayerAccumulatorResult& l : analyzeAt(*doc, bits).layers) {
        if (l.applicable) {
            EXPECT_EQ(l.risk.risk, RiskClass::Safe) << doc->layers()[static_cast<std::size_t>(l.layer)].name;
        }
    }
    ASSERT_EQ(doc->proto().graph().initializer_size(), original.graph().initializer_size());
    for (int i = 0; i < original.graph().initializer_size(); ++i) {
        const auto& was = original.graph().initializer(i);
        const auto& now = doc->proto().graph().initializer(i);
        EXPECT_EQ(now.name(), was.name());
        if (projectedWeights.count(was.name()) == 0) {
            EXPECT_EQ(now.SerializeAsString(), was.SerializeAsString()) << was.name();
        } else {
            EXPECT_NE(now.SerializeAsString(), was.SerializeAsString()) << was.name();
        }
    }
    undo(*doc, r.record);
    EXPECT_EQ(doc->serialize(), originalBytes);
}
