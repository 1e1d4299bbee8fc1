// Range and histogram data for the profiling plot: log2 quantiles and histograms of known tensors,
// representable ranges of integer quantizers, and the per-layer report on a model built in code.
#include "core/analysis/ranges.h"
#include "core/model/modelbuilder.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace qs;

namespace {

// +-2^k for k = 0..20 (alternating sign) and three zeros: log2|x| is exactly 0..20.
Tensor powersOfTwo()
{
    std::vector<double> v {0, 0, 0};
    for (int k = 0; k <= 20; ++k)
        v.push_back((k % 2 ? -1 : 1) * std::ldexp(1.0, k));
    return Tensor::fromDoubles({static_cast<std::int64_t>(v.size())}, v);
}

Quantizer intQuantizer(
    double qmin, double qmax, std::vector<double> scales, std::vector<double> zeroPoints = {})
{
    Quantizer q;
    q.kind = QuantizerKind::IntQuant;
    q.qmin = qmin;
    q.qmax = qmax;
    q.scale.tensor = 0;
    q.scale.known = true;
    q.scale.values = std::move(scales);
    if (!zeroPoints.empty()) {
        q.zeroPoint.tensor = 1;
        q.zeroPoint.known = true;
        q.zeroPoint.values = std::move(zeroPoints);
    }
    return q;
}

} // namespace

TEST(Ranges, QuantilesOfLog2MagnitudesLeaveOutZeros)
{
    const Log2Stats s = log2Stats(powersOfTwo());
    EXPECT_EQ(s.count, 24);
    EXPECT_EQ(s.zeroCount, 3);
    EXPECT_EQ(s.nonzeroCount(), 21);
    // 21 sorted values 0..20: quantile q sits at index 20 q.
    EXPECT_DOUBLE_EQ(s.minLog2, 0);
    EXPECT_DOUBLE_EQ(s.p5Log2, 1);
    EXPECT_DOUBLE_EQ(s.p25Log2, 5);
    EXPECT_DOUBLE_EQ(s.medianLog2, 10);
    EXPECT_DOUBLE_EQ(s.p75Log2, 15);
    EXPECT_DOUBLE_EQ(s.p95Log2, 19);
    EXPECT_DOUBLE_EQ(s.maxLog2, 20);
}

TEST(Ranges, QuantilesInterpolateLinearlyLikeNumpy)
{
    // log2 = 0, 1, 2, 3: the q-quantile is at position 3q.
    const Log2Stats s = log2Stats(Tensor::fromFloats({4}, {1, -2, 4, 8}));
    EXPECT_DOUBLE_EQ(s.p5Log2, 0.15);
    EXPECT_DOUBLE_EQ(s.p25Log2, 0.75);
    EXPECT_DOUBLE_EQ(s.medianLog2, 1.5);
    EXPECT_DOUBLE_EQ(s.p95Log2, 2.85);
    const Log2Stats zeros = log2Stats(Tensor::fromFloats({2}, {0, 0}));
    EXPECT_EQ(zeros.zeroCount, 2);
    EXPECT_EQ(zeros.nonzeroCount(), 0);
}

TEST(Ranges, HistogramBinsSpanTheDataRange)
{
    const Log2Histogram h = log2Histogram(sortedLog2Magnitudes(powersOfTwo()), 4);
    EXPECT_DOUBLE_EQ(h.lowLog2, 0);
    EXPECT_DOUBLE_EQ(h.highLog2, 20);
    EXPECT_DOUBLE_EQ(h.binWidthLog2(), 5);
    // [0,5) [5,10) [10,15) [15,20]: the maximum falls in the last bin.
    EXPECT_EQ(h.counts, (std::vector<std::int64_t> {5, 5, 5, 6}));
    const Log2Histogram single = log2Histogram({3.0}, 2);
    EXPECT_DOUBLE_EQ(single.lowLog2, 2.5);
    EXPECT_DOUBLE_EQ(single.highLog2, 3.5);
    EXPECT_EQ(single.counts, (std::vector<std::int64_t> {0, 1}));
    EXPECT_TRUE(log2Histogram({}, 64).counts.empty());
}

TEST(Ranges, RepresentableRangeOfInt4WithScaleQuarter)
{
    // Codes -8..7 at scale 0.25: smallest step 0.25, largest magnitude 8 * 0.25 = 2.
    const RepresentableRange r = representableRange(intQuantizer(-8, 7, {0.25}));
    ASSERT_TRUE(r.known);
    EXPECT_DOUBLE_EQ(r.lowLog2, -2);
    EXPECT_DOUBLE_EQ(r.highLog2, 1);
}

TEST(Ranges, RepresentableRangeIsThePerChannelEnvelope)
{
    // Finest step from the 0.25 channel, largest magnitude from the 1.0 channel (8 * 1).
    const RepresentableRange perChannel = representableRange(intQuantizer(-8, 7, {0.25, 1.0}));
    EXPECT_DOUBLE_EQ(perChannel.lowLog2, -2);
    EXPECT_DOUBLE_EQ(perChannel.highLog2, 3);
    // UINT4 with zero point 3: codes 0..15 reach 12 steps away from zero; 0.5 * 12 = 6.
    const RepresentableRange shifted = representableRange(intQuantizer(0, 15, {0.5}, {3}));
    EXPECT_DOUBLE_EQ(shifted.lowLog2, -1);
    EXPECT_DOUBLE_EQ(shifted.highLog2, std::log2(6.0));
    Quantizer unknown = intQuantizer(-8, 7, {0.25});
    unknown.scale.known = false;
    EXPECT_FALSE(representableRange(unknown).known);
}

namespace {

// x[1,4] -> Quant(INT4, scale 0.25) -> MatMul(Quant(w, INT8, scale 0.125)) -> y; a second MatMul
// reads the graph input directly with an unquantized weight.
std::unique_ptr<ModelDocument> quantizedMatMulModel()
{
    ModelBuilder b;
    b.input("x", {1, 4});
    b.initializer("w", Tensor::fromFloats({4, 2}, {0.5f, -0.25f, 0, 2, 4, -1, 0, 0.125f}));
    b.initializer("v", Tensor::fromFloats({4, 1}, {1, 2, 3, 4}));
    const std::string xq = b.quant("x", 0.25, 0, 4, true, false);
    const std::string wq = b.quant("w", 0.125, 0, 8, true, false);
    b.node("MatMul", {xq, wq}, {"y"}, {}, "", "fc");
    b.node("MatMul", {"x", "v"}, {"z"}, {}, "", "side");
    b.output("y", {1, 2});
    b.output("z", {1, 1});
    return ModelDocument::fromProto(b.build());
}

const LayerRanges& layerNamed(const RangeReport& report, const std::string& name)
{
    for (const LayerRanges& l : report.layers)
        if (l.name == name)
            return l;
    throw std::runtime_error("no layer " + name);
}

} // namespace

TEST(Ranges, WeightsOnlyReportUsesTheFloatWeightsAndTheirQuantizer)
{
    const auto doc = quantizedMatMulModel();
    const RangeReport report = analyzeRanges(*doc, nullptr);
    ASSERT_EQ(report.layers.size(), 2u);
    const LayerRanges& fc = layerNamed(report, "fc");
    ASSERT_TRUE(fc.weight);
    EXPECT_EQ(fc.weight->name, "w"); // the initializer before quantization
    EXPECT_EQ(fc.weight->stats.count, 8);
    EXPECT_EQ(fc.weight->stats.zeroCount, 2);
    // |w| nonzero = 0.125, 0.25, 0.5, 1, 2, 4: log2 -3..2.
    EXPECT_DOUBLE_EQ(fc.weight->stats.minLog2, -3);
    EXPECT_DOUBLE_EQ(fc.weight->stats.maxLog2, 2);
    EXPECT_DOUBLE_EQ(fc.weight->stats.medianLog2, -0.5);
    ASSERT_TRUE(fc.weight->representable.known);
    EXPECT_DOUBLE_EQ(fc.weight->representable.lowLog2, -3); // 0.125
    EXPECT_DOUBLE_EQ(fc.weight->representable.highLog2, 4); // 128 * 0.125 = 16
    EXPECT_EQ(fc.weight->histogram.counts.size(), 64u);
    EXPECT_FALSE(fc.input); // no run
    const LayerRanges& side = layerNamed(report, "side");
    ASSERT_TRUE(side.weight);
    EXPECT_EQ(side.weight->quantizer, -1);
    EXPECT_FALSE(side.weight->representable.known);
}

TEST(Ranges, ActivationRangesComeFromTheRun)
{
    const auto doc = quantizedMatMulModel();
    const Executor executor(*doc);
    RunOptions options;
    options.captureAll = true;
    const RunResult run
        = executor.run({{"x", Tensor::fromFloats({1, 4}, {0.26f, -1.0f, 0.0f, 5.0f})}}, options);
    RangeOptions rangeOptions;
    rangeOptions.histogramBins = 8;
    const RangeReport report = analyzeRanges(*doc, &run, rangeOptions);
    const LayerRanges& fc = layerNamed(report, "fc");
    ASSERT_TRUE(fc.input);
    // Quantized input: 0.26 -> 0.25, -1 -> -1, 0 -> 0, 5 -> clamped to 7 * 0.25 = 1.75.
    EXPECT_EQ(fc.input->stats.zeroCount, 1);
    EXPECT_DOUBLE_EQ(fc.input->stats.minLog2, -2);
    EXPECT_DOUBLE_EQ(fc.input->stats.maxLog2, std::log2(1.75));
    ASSERT_TRUE(fc.input->representable.known);
    EXPECT_DOUBLE_EQ(fc.input->representable.lowLog2, -2);
    EXPECT_DOUBLE_EQ(fc.input->representable.highLog2, 1);
    EXPECT_EQ(fc.weight->histogram.counts.size(), 8u);
    // The graph input itself, unquantized.
    const LayerRanges& side = layerNamed(report, "side");
    ASSERT_TRUE(side.input);
    EXPECT_EQ(side.input->name, "x");
    EXPECT_DOUBLE_EQ(side.input->stats.maxLog2, std::log2(5.0));
    EXPECT_FALSE(side.input->representable.known);
}
