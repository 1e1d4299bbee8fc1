// The executor sees what an edit says: after setting a weight quantizer to b bits, every dequantized
// weight is an integer code of the new range times the scale (spec §2.2/§2.3, §7.1), and the network's
// output changes.
#include "core/edit/quantizeredit.h"
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "edittesthelpers.h"

#include <cmath>
#include <gtest/gtest.h>
#include <set>

using namespace qs;

namespace {

std::set<double> codes(const ModelDocument& doc, const Quantizer& q)
{
    const Executor executor(doc);
    RunOptions options;
    options.capture = {doc.tensor(q.output).name};
    const RunResult result = executor.run(randomInputs(doc, 7), options);
    const Tensor& w = *result.captured.at(doc.tensor(q.output).name);
    const double scale = q.scale.values.at(0);
    std::set<double> out;
    for (std::int64_t i = 0; i < w.size(); ++i) {
        const double code = w.at(i) / scale;
        EXPECT_EQ(code, std::round(code)) << "not on the grid: " << w.at(i);
        out.insert(code + 0.0); // folds -0 into +0
    }
    return out;
}

std::vector<double> outputValues(const ModelDocument& doc)
{
    const Executor executor(doc);
    const RunResult result = executor.run(randomInputs(doc, 11));
    const Tensor& y = *result.outputs.begin()->second;
    return y.toDoubles();
}

} // namespace

TEST(EditExecution, TwoBitWeightsAreCodesMinusTwoToOne)
{
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    const Quantizer q = test::quantizerNamed(*doc, "Quant_QuantizeLinear_2_param0");
    ASSERT_FALSE(q.scale.isPerChannel());
    const std::vector<double> before = outputValues(*doc);
    const std::set<double> original = codes(*doc, q);
    EXPECT_GT(*original.rbegin(), 1.0); // the 4-bit weights use codes beyond the 2-bit range

    QuantizerEdit e;
    e.bitWidth = 2;
    e.narrow = false;
    editQuantizer(*doc, q.id, e);
    // Signed, not narrow, 2 bits: codes -2..1.
    EXPECT_EQ(codes(*doc, test::quantizerNamed(*doc, q.name)), (std::set<double> {-2, -1, 0, 1}));
    EXPECT_NE(outputValues(*doc), before);

    setNarrow(*doc, q.id, true); // narrow drops -2
    EXPECT_EQ(codes(*doc, test::quantizerNamed(*doc, q.name)), (std::set<double> {-1, 0, 1}));
}

TEST(EditExecution, ThreeBitQcdqWeightsClipToMinusThreeToThree)
{
    auto doc = test::loadModel("vww_mobilenet128_qcdq.onnx");
    const int w = test::quantizersOf(*doc, QuantizerKind::QCDQ, QuantizerRole::Weight)[4];
    const Quantizer q = doc->quantizers()[static_cast<std::size_t>(w)];
    ASSERT_TRUE(q.narrow && q.isSigned);
    ASSERT_FALSE(q.scale.isPerChannel());
    setBitWidth(*doc, w, 3);
    const std::set<double> got = codes(*doc, doc->quantizers()[static_cast<std::size_t>(w)]);
    EXPECT_GE(*got.begin(), -3.0); // signed narrow 3-bit: -3..3
    EXPECT_LE(*got.rbegin(), 3.0);
    EXPECT_TRUE(got.count(-3.0) && got.count(3.0));
}
