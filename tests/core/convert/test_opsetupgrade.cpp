// Raising the default opset when QONNX -> QCDQ inserts a Clip: nodes whose signature changed are
// rewritten so the model computes the same, and nodes that cannot be upgraded safely block the upgrade
// (the quantizers needing it are then reported, not converted).
#include "convertsupport.h"
#include "core/convert/opsetupgrade.h"
#include "core/convert/qonnxtoqcdq.h"
#include "core/model/nodeattributes.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

Tensor ramp(Shape shape, double lo, double step)
{
    std::vector<float> v;
    for (std::int64_t i = 0; i < elementCount(shape); ++i)
        v.push_back(static_cast<float>(lo + step * static_cast<double>(i)));
    return Tensor::fromFloats(std::move(shape), v);
}

const onnx::NodeProto& nodeNamed(const ModelDocument& doc, const std::string& name)
{
    const auto id = doc.graph().findNode(name);
    EXPECT_TRUE(id) << name;
    return doc.nodeProto(id.value_or(0));
}

bool upgraded(const ConversionReport& report, const std::string& node)
{
    for (const auto& u : report.nodeUpgrades)
        if (u.node == node)
            return true;
    return false;
}

void expectSameOutputs(
    const ModelDocument& a, const ModelDocument& b, const std::map<std::string, Tensor>& inputs)
{
    EXPECT_EQ(test::maxAbsDifference(test::runOutputs(a, inputs), test::runOutputs(b, inputs)), 0.0);
}

} // namespace

TEST(OpsetUpgrade, Opset11ClipNeedsOpset13AndMovesSqueezeReduceSumSplitAxes)
{
    ModelBuilder b(11, 6);
    b.input("x", {1, 3, 4, 4});
    b.initializer("pads", Tensor::fromInt64s({8}, {0, 0, 1, 1, 0, 0, 1, 1}));
    b.node("Pad", {"x", "pads"}, {"p"}, {}, "", "pad"); // Pad-11 already takes pads as an input
    const std::string q = b.quant("p", 0.25, 0, 4, true, true); // narrow: needs Clip [-7, 7]
    b.node("Squeeze", {q}, {"s"}, {{"axes", std::vector<std::int64_t> {0}}}, "", "squeeze");
    b.node("ReduceSum", {"s"}, {"r"},
        {{"axes", std::vector<std::int64_t> {1}}, {"keepdims", std::int64_t(0)}}, "", "reducesum");
    b.node("Split", {"r"}, {"r0", "r1"},
        {{"axis", std::int64_t(1)}, {"split", std::vector<std::int64_t> {2, 4}}}, "", "split");
    b.node("Softmax", {"r1"}, {"y"}, {{"axis", std::int64_t(1)}}, "", "softmax"); // 2-D: same under opset 13
    b.output("r0", {3, 2}).output("y", {3, 4});
    const auto original = test::document(b);
    ASSERT_EQ(original->checkerResult(), "OK");
    auto doc = test::document(b);

    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u) << (report.skipped.empty() ? "" : report.skipped[0].reason);
    EXPECT_TRUE(report.skipped.empty());
    EXPECT_EQ(doc->opsetVersion(""), 13);
    EXPECT_EQ(doc->proto().ir_version(), 7);
    ASSERT_EQ(report.opsetChanges.size(), 2u);
    EXPECT_EQ(report.opsetChanges[0].from, 11);
    EXPECT_EQ(report.opsetChanges[0].to, 13);
    for (const char* name : {"squeeze", "reducesum", "split"}) {
        EXPECT_TRUE(upgraded(report, name)) << name;
        EXPECT_EQ(nodeNamed(*doc, name).input_size(), 2) << name;
        EXPECT_FALSE(findAttribute(nodeNamed(*doc, name), name == std::string("split") ? "split" : "axes"))
            << name;
    }
    EXPECT_EQ(test::initializer(*doc, nodeNamed(*doc, "split").input(1))->atInt(1), 4);
    EXPECT_FALSE(upgraded(report, "pad"));
    EXPECT_EQ(nodeNamed(*doc, "pad").input_size(), 2);
    EXPECT_EQ(intAttribute(nodeNamed(*doc, "softmax"), "axis"), 1);
    EXPECT_EQ(doc->checkerResult(), "OK");
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 3, 4, 4}, -2.5, 0.125)}});
}

TEST(OpsetUpgrade, Opset10PadAndUnsqueezeAttributesBecomeInputs)
{
    ModelBuilder b(10, 5);
    b.input("x", {1, 2, 3});
    b.node("Pad", {"x"}, {"p"},
        {{"pads", std::vector<std::int64_t> {0, 1, 2, 0, 0, 1}}, {"value", 0.75f},
            {"mode", std::string("constant")}},
        "", "pad");
    b.node("Clip", {"p"}, {"r"}, {{"min", -0.25f}, {"max", 2.5f}}, "", "relu6"); // Clip-6 attributes
    const std::string q = b.quant("r", 0.5, 0, 3, false, false); // unsigned 3-bit: Clip [0, 7]
    b.node("Unsqueeze", {q}, {"y"}, {{"axes", std::vector<std::int64_t> {0}}}, "", "unsqueeze");
    b.output("y", {1, 1, 3, 6});
    const auto original = test::document(b);
    auto doc = test::document(b);
    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(doc->opsetVersion(""), 13);
    const auto& pad = nodeNamed(*doc, "pad");
    ASSERT_EQ(pad.input_size(), 3);
    EXPECT_EQ(test::initializer(*doc, pad.input(1))->atInt(2), 2);
    EXPECT_EQ(test::initializer(*doc, pad.input(2))->at(0), 0.75);
    EXPECT_FALSE(findAttribute(pad, "pads"));
    EXPECT_EQ(stringAttribute(pad, "mode"), "constant");
    EXPECT_EQ(nodeNamed(*doc, "unsqueeze").input_size(), 2);
    const auto& clip = nodeNamed(*doc, "relu6");
    ASSERT_EQ(clip.input_size(), 3);
    EXPECT_EQ(test::initializer(*doc, clip.input(1))->at(0), -0.25);
    EXPECT_EQ(test::initializer(*doc, clip.input(2))->at(0), 2.5);
    EXPECT_EQ(clip.attribute_size(), 0);
    EXPECT_EQ(doc->checkerResult(), "OK");
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 2, 3}, -1, 0.5)}});
}

TEST(OpsetUpgrade, SoftmaxOverANonTrailingAxisBlocksItAndOnlyTheClipQuantizerIsSkipped)
{
    ModelBuilder b(11, 6);
    b.input("x", {1, 3, 4, 4});
    const std::string a = b.quant("x", 0.125, 0, 8, true, false); // int8 Q/DQ: opset 10 suffices
    const std::string c = b.quant(a, 0.25, 0, 4, true, true); // needs Clip: opset 13
    b.node("Softmax", {c}, {"y"}, {{"axis", std::int64_t(1)}}, "", "softmax");
    b.output("y", {1, 3, 4, 4});
    const auto original = test::document(b);
    auto doc = test::document(b);

    const OpsetUpgrade plan = planOpsetUpgrade(*doc, 13);
    ASSERT_EQ(plan.blockers.size(), 1u);
    EXPECT_NE(plan.blockers[0].find("'softmax' (Softmax)"), std::string::npos) << plan.blockers[0];

    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].toKind, "QDQ");
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].reason.find("opset 13"), std::string::npos) << report.skipped[0].reason;
    EXPECT_NE(report.skipped[0].reason.find("softmax"), std::string::npos) << report.skipped[0].reason;
    EXPECT_EQ(doc->opsetVersion(""), 11);
    EXPECT_TRUE(report.opsetChanges.empty());
    EXPECT_EQ(test::countOp(*doc, "Quant"), 1);
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 3, 4, 4}, -3, 0.0625)}});
}

TEST(OpsetUpgrade, SoftmaxFollowedOnlyByUnitDimsIsUpgraded)
{
    ModelBuilder b(11, 6);
    b.input("x", {1, 4, 1, 1});
    const std::string q = b.quant("x", 0.25, 0, 4, true, true);
    b.node("Softmax", {q}, {"y"}, {}, "", "softmax"); // default axis 1: flattening [1, 4*1*1] changes nothing
    b.output("y", {1, 4, 1, 1});
    const auto original = test::document(b);
    auto doc = test::document(b);
    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_TRUE(upgraded(report, "softmax"));
    EXPECT_EQ(intAttribute(nodeNamed(*doc, "softmax"), "axis"), 1);
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 4, 1, 1}, -1, 0.375)}});
}

TEST(OpsetUpgrade, UpsampleBecomesAsymmetricFloorResize)
{
    ModelBuilder b(9, 4);
    b.input("x", {1, 2, 3, 3});
    b.initializer("scales", Tensor::fromFloats({4}, {1, 1, 2, 2}));
    const std::string q = b.quant("x", 0.25, 0, 4, true, true);
    b.node("Upsample", {q, "scales"}, {"y"}, {{"mode", std::string("nearest")}}, "", "up");
    b.output("y", {1, 2, 6, 6});
    const auto original = test::document(b);
    auto doc = test::document(b);
    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(doc->opsetVersion(""), 13);
    EXPECT_EQ(doc->proto().ir_version(), 7);
    const auto& up = nodeNamed(*doc, "up");
    EXPECT_EQ(up.op_type(), "Resize");
    ASSERT_EQ(up.input_size(), 3);
    EXPECT_EQ(up.input(1), "");
    EXPECT_EQ(up.input(2), "scales");
    EXPECT_EQ(stringAttribute(up, "coordinate_transformation_mode"), "asymmetric");
    EXPECT_EQ(stringAttribute(up, "nearest_mode"), "floor");
    EXPECT_EQ(doc->checkerResult(), "OK");
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 2, 3, 3}, -2, 0.25)}});
}

TEST(OpsetUpgrade, Upsample7ScalesAttributeBecomesAResizeInput)
{
    ModelBuilder b(8, 3);
    b.input("x", {1, 1, 2, 3});
    const std::string q = b.quant("x", 0.25, 0, 4, true, true);
    b.node("Upsample", {q}, {"y"},
        {{"mode", std::string("nearest")}, {"scales", std::vector<float> {1, 1, 3, 2}}}, "", "up");
    b.output("y", {1, 1, 6, 6});
    const auto original = test::document(b);
    auto doc = test::document(b);
    ASSERT_EQ(convertToQcdq(*doc).converted.size(), 1u);
    const auto& up = nodeNamed(*doc, "up");
    EXPECT_EQ(up.op_type(), "Resize");
    ASSERT_EQ(up.input_size(), 3);
    EXPECT_EQ(test::initializer(*doc, up.input(2))->at(2), 3);
    EXPECT_FALSE(findAttribute(up, "scales"));
    expectSameOutputs(*original, *doc, {{"x", ramp({1, 1, 2, 3}, -2, 0.75)}});
}

TEST(OpsetUpgrade, AnOpWhoseChangeIsUnknownBlocks)
{
    ModelBuilder b(9, 4);
    b.input("x", {2, 3});
    b.initializer("i", Tensor::fromInt64s({1, 3}, {0, 1, 0}));
    b.initializer("u", Tensor::fromFloats({1, 3}, {1, 2, 3}));
    b.node("Scatter", {"x", "i", "u"}, {"y"}, {}, "", "scatter"); // deprecated at 11
    b.output("y", {2, 3});
    const auto doc = test::document(b);
    const OpsetUpgrade plan = planOpsetUpgrade(*doc, 13);
    ASSERT_EQ(plan.blockers.size(), 1u);
    EXPECT_NE(plan.blockers[0].find("'scatter' (Scatter)"), std::string::npos);
}

TEST(OpsetUpgrade, MinimumIrVersionFollowsTheOnnxTable)
{
    EXPECT_EQ(minimumIrVersion(8), 3);
    EXPECT_EQ(minimumIrVersion(10), 5);
    EXPECT_EQ(minimumIrVersion(11), 6);
    EXPECT_EQ(minimumIrVersion(13), 7);
    EXPECT_EQ(minimumIrVersion(17), 8);
    EXPECT_EQ(minimumIrVersion(21), 10);
}
