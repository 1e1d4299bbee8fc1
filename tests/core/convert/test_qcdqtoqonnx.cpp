// QCDQ -> QONNX on small built models, one per case of qonnx-ops.md §7.3 / §11: ranges recovered
// exactly (or reported, or widened on request), omitted zero points, lone DequantizeLinear weights,
// per-channel axes; the reference executor computes the same before and after.
#include "convertsupport.h"
#include "core/convert/qcdqtoqonnx.h"
#include "core/model/nodeattributes.h"

#include <gtest/gtest.h>
#include <optional>
#include <ostream>
#include <string>

using namespace qs;
using onnx::TensorProto;

namespace {

Tensor ramp(Shape shape, double lo, double step)
{
    std::vector<float> v;
    for (std::int64_t i = 0; i < elementCount(shape); ++i)
        v.push_back(static_cast<float>(lo + step * static_cast<double>(i)));
    return Tensor::fromFloats(std::move(shape), v);
}

Tensor ints(int onnxType, Shape shape, const std::vector<std::int64_t>& values)
{
    const DType t = onnxType == TensorProto::INT8 ? DType::Int8
        : onnxType == TensorProto::UINT8          ? DType::UInt8
                                                  : DType::Int16;
    return Tensor::fromInt64s(std::move(shape), values).cast(t);
}

struct Chain {
    int type = TensorProto::INT8;
    std::optional<std::pair<std::int64_t, std::int64_t>> clip;
    float scale = 0.25f;
    std::int64_t zeroPoint = 0;
    bool omitZeroPoint = false;
};

// x [1, 1024] -> QuantizeLinear -> (Clip) -> DequantizeLinear -> y
ModelBuilder qcdq(const Chain& c)
{
    ModelBuilder b(13);
    b.input("x", {1, 1024});
    b.initializer("s", Tensor::scalar(c.scale));
    std::vector<std::string> params {"s"};
    if (!c.omitZeroPoint) {
        b.initializer("zp", ints(c.type, {}, {c.zeroPoint}));
        params.push_back("zp");
    }
    std::vector<std::string> qIn {"x"}, dqIn {c.clip ? "c" : "q"};
    qIn.insert(qIn.end(), params.begin(), params.end());
    dqIn.insert(dqIn.end(), params.begin(), params.end());
    b.node("QuantizeLinear", qIn, {"q"}, {}, "", "ql");
    if (c.clip) {
        b.initializer("lo", ints(c.type, {}, {c.clip->first}))
            .initializer("hi", ints(c.type, {}, {c.clip->second}));
        b.node("Clip", {"q", "lo", "hi"}, {"c"}, {}, "", "clip");
    }
    b.node("DequantizeLinear", dqIn, {"y"}, {}, "", "dql");
    b.output("y", {1, 1024});
    return b;
}

std::unique_ptr<ModelDocument> convertAndCompare(const ModelBuilder& b,
    const std::map<std::string, Tensor>& inputs, ConversionReport& report, ConversionOptions options = {})
{
    const auto original = test::document(b);
    auto converted = test::document(b);
    report = convertToQonnx(*converted, options);
    EXPECT_EQ(
        test::maxAbsDifference(test::runOutputs(*original, inputs), test::runOutputs(*converted, inputs)),
        0.0);
    return converted;
}

const onnx::NodeProto& quantNode(const ModelDocument& doc)
{
    const auto* q = test::findOp(doc, "Quant");
    EXPECT_NE(q, nullptr);
    return q ? *q : doc.nodeProto(0);
}

} // namespace

struct RangeCase {
    int type;
    std::optional<std::pair<std::int64_t, std::int64_t>> clip;
    int bits;
    bool isSigned;
    bool narrow;
};

// gtest (and ctest's test names) would otherwise show the struct's bytes, padding included.
void PrintTo(const RangeCase& r, std::ostream* os)
{
    *os << (r.type == TensorProto::INT8 ? "int8" : "uint8");
    if (r.clip)
        *os << " clip [" << r.clip->first << ", " << r.clip->second << "]";
    *os << " -> " << r.bits << "-bit" << (r.isSigned ? " signed" : " unsigned")
        << (r.narrow ? " narrow" : "");
}

class StandardRange : public ::testing::TestWithParam<RangeCase> { };

TEST_P(StandardRange, IsRecoveredExactly)
{
    const RangeCase& r = GetParam();
    ConversionReport report;
    const auto doc = convertAndCompare(qcdq({r.type, r.clip}), {{"x", ramp({1, 1024}, -70, 0.125)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_TRUE(report.skipped.empty());
    const auto& q = quantNode(*doc);
    EXPECT_EQ(q.domain(), "qonnx.custom_op.general");
    EXPECT_EQ(test::initializer(*doc, q.input(3))->at(0), r.bits);
    EXPECT_EQ(intAttribute(q, "signed"), r.isSigned ? 1 : 0);
    EXPECT_EQ(intAttribute(q, "narrow"), r.narrow ? 1 : 0);
    EXPECT_EQ(stringAttribute(q, "rounding_mode"), "ROUND");
    EXPECT_EQ(test::countOp(*doc, "QuantizeLinear") + test::countOp(*doc, "Clip")
            + test::countOp(*doc, "DequantizeLinear"),
        0);
}

INSTANTIATE_TEST_SUITE_P(QcdqToQonnx, StandardRange,
    ::testing::Values(RangeCase {TensorProto::INT8, std::nullopt, 8, true, false},
        RangeCase {TensorProto::UINT8, std::nullopt, 8, false, false},
        RangeCase {TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {-8, 7}, 4, true, false},
        RangeCase {TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {-7, 7}, 4, true, true},
        RangeCase {TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {-127, 127}, 8, true, true},
        RangeCase {TensorProto::UINT8, std::pair<std::int64_t, std::int64_t> {0, 15}, 4, false, false},
        RangeCase {TensorProto::UINT8, std::pair<std::int64_t, std::int64_t> {0, 254}, 8, false, true},
        RangeCase {TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {0, 3}, 2, false, false}),
    [](const ::testing::TestParamInfo<RangeCase>& info) {
        const RangeCase& r = info.param;
        std::string name = r.type == TensorProto::INT8 ? "Int8" : "Uint8";
        if (r.clip) {
            const auto bound
                = [](std::int64_t v) { return (v < 0 ? "Minus" : "") + std::to_string(v < 0 ? -v : v); };
            name += "Clip" + bound(r.clip->first) + "To" + bound(r.clip->second);
        }
        return name;
    });

TEST(QcdqToQonnx, AsymmetricSignedClipIsReportedNotWidened)
{
    auto doc = test::document(qcdq({TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {-2, 5}}));
    const ConversionReport report = convertToQonnx(*doc);
    EXPECT_TRUE(report.converted.empty());
    ASSERT_EQ(report.skipped.size(), 1u);
    const std::string& reason = report.skipped[0].reason;
    EXPECT_NE(reason.find("[-2, 5]"), std::string::npos) << reason;
    EXPECT_NE(reason.find("signed 4-bit [-8, 7]"), std::string::npos)
        << reason; // the enclosing range it names
    EXPECT_NE(reason.find("--allow-widen"), std::string::npos) << reason;
    EXPECT_EQ(report.skipped[0].nodes, (std::vector<std::string> {"ql", "clip", "dql"}));
    EXPECT_EQ(test::countOp(*doc, "Clip"), 1);
    EXPECT_EQ(test::countOp(*doc, "Quant"), 0);
    EXPECT_EQ(doc->opsetVersion("qonnx.custom_op.general"), -1); // nothing emitted, nothing declared
}

TEST(QcdqToQonnx, AsymmetricSignedClipIsWidenedOnlyWhenAllowedAndSaysSo)
{
    const ModelBuilder b = qcdq({TensorProto::INT8, std::pair<std::int64_t, std::int64_t> {-2, 5}});
    const auto original = test::document(b);
    auto doc = test::document(b);
    ConversionOptions options;
    options.allowWiden = true;
    const ConversionReport report = convertToQonnx(*doc, options);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_NE(report.converted[0].note.find("widened"), std::string::npos);
    EXPECT_EQ(report.converted[0].bits, 4);
    EXPECT_TRUE(report.converted[0].isSigned);
    // Inside [-2, 5] steps both agree; outside the widened range lets more codes through.
    const auto inside = std::map<std::string, Tensor> {{"x", ramp({1, 1024}, -0.5, 1.75 / 1023)}};
    EXPECT_EQ(
        test::maxAbsDifference(test::runOutputs(*original, inside), test::runOutputs(*doc, inside)), 0.0);
    const auto outside = std::map<std::string, Tensor> {
        {"x", Tensor::fromFloats({1, 1024}, std::vector<float>(1024, 1.75f))}};
    EXPECT_EQ(test::runOutputs(*original, outside)[0].at(0), 1.25); // clipped at code 5
    EXPECT_EQ(test::runOutputs(*doc, outside)[0].at(0), 1.75); // code 7 of signed 4-bit
}

TEST(QcdqToQonnx, OmittedZeroPointsMeanZeroAndUint8)
{
    ConversionReport report;
    const auto doc = convertAndCompare(qcdq({TensorProto::UINT8, std::nullopt, 0.5f, 0, true}),
        {{"x", ramp({1, 1024}, -100, 0.25)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    const auto& q = quantNode(*doc);
    EXPECT_EQ(intAttribute(q, "signed"), 0);
    EXPECT_EQ(test::initializer(*doc, q.input(3))->at(0), 8);
    EXPECT_EQ(test::initializer(*doc, q.input(2))->at(0), 0);
}

TEST(QcdqToQonnx, NonZeroIntegerZeroPointIsCarriedOver)
{
    ConversionReport report;
    const auto doc = convertAndCompare(qcdq({TensorProto::UINT8, std::nullopt, 0.125f, 128}),
        {{"x", ramp({1, 1024}, -20, 0.0390625)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_TRUE(report.converted[0].nonZeroZeroPoint);
    EXPECT_NE(report.converted[0].note.find("tie"), std::string::npos); // odd zero points move ties
    EXPECT_EQ(test::initializer(*doc, quantNode(*doc).input(2))->at(0), 128);
}

TEST(QcdqToQonnx, LoneDequantizeOnInt8WeightsWithoutZeroPoint)
{
    ModelBuilder b(13);
    b.input("x", {2, 4});
    b.initializer("W", ints(TensorProto::INT8, {4, 3}, {-128, -7, 0, 1, 2, 3, 50, 90, 127, -1, -2, -3}));
    b.initializer("s", Tensor::scalar(0.0625f));
    b.node("DequantizeLinear", {"W", "s"}, {"Wf"}, {}, "", "wdq");
    b.node("MatMul", {"x", "Wf"}, {"y"});
    b.output("y", {2, 3});
    ConversionReport report;
    const auto doc = convertAndCompare(b, {{"x", ramp({2, 4}, -1, 0.3)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].fromKind, "DequantizeLinear");
    const auto& q = quantNode(*doc);
    const auto w = test::initializer(*doc, q.input(0));
    ASSERT_TRUE(w);
    EXPECT_EQ(w->dtype(), DType::Float32);
    EXPECT_EQ(w->at(0), -128 * 0.0625);
    EXPECT_FALSE(doc->graph().findTensor("W")); // the int8 initializer is gone
    EXPECT_EQ(intAttribute(q, "signed"), 1);
}

TEST(QcdqToQonnx, PerChannelAxis0WeightsGetFullRankScale)
{
    ModelBuilder b(13);
    b.input("x", {2, 4});
    std::vector<float> w;
    for (int i = 0; i < 12; ++i)
        w.push_back(static_cast<float>(i - 6) * 0.45f);
    b.initializer("W", Tensor::fromFloats({4, 3}, w));
    b.initializer("s", Tensor::fromFloats({4}, {0.25f, 0.5f, 0.125f, 1.0f}));
    b.initializer("zp", ints(TensorProto::INT8, {4}, {0, 0, 0, 0}));
    b.initializer("lo", ints(TensorProto::INT8, {}, {-7}))
        .initializer("hi", ints(TensorProto::INT8, {}, {7}));
    b.node("QuantizeLinear", {"W", "s", "zp"}, {"q"}, {{"axis", std::int64_t(0)}});
    b.node("Clip", {"q", "lo", "hi"}, {"c"});
    b.node("DequantizeLinear", {"c", "s", "zp"}, {"Wq"}, {{"axis", std::int64_t(0)}});
    b.node("MatMul", {"x", "Wq"}, {"y"});
    b.output("y", {2, 3});
    ConversionReport report;
    const auto doc = convertAndCompare(b, {{"x", ramp({2, 4}, -1, 0.25)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].axis, 0);
    const auto scale = test::initializer(*doc, quantNode(*doc).input(1));
    EXPECT_EQ(scale->shape(), Shape({4, 1}));
    EXPECT_EQ(scale->at(3), 1.0);
    EXPECT_EQ(test::initializer(*doc, quantNode(*doc).input(2))->rank(), 0); // all-zero zero point: 0-D
}

TEST(QcdqToQonnx, PerChannelAxis1ActivationsGetFullRankScale)
{
    ModelBuilder b(13);
    b.input("x", {1, 3, 2, 2});
    b.initializer("s", Tensor::fromFloats({3}, {0.25f, 0.5f, 0.0625f}));
    b.initializer("zp", ints(TensorProto::UINT8, {3}, {0, 2, 10})); // even: exact on ties too
    b.node("QuantizeLinear", {"x", "s", "zp"}, {"q"}, {{"axis", std::int64_t(1)}});
    b.node("DequantizeLinear", {"q", "s", "zp"}, {"y"}, {{"axis", std::int64_t(1)}});
    b.output("y", {1, 3, 2, 2});
    ConversionReport report;
    const auto doc = convertAndCompare(b, {{"x", ramp({1, 3, 2, 2}, -1.5, 0.375)}}, report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].axis, 1);
    EXPECT_EQ(test::initializer(*doc, quantNode(*doc).input(1))->shape(), Shape({1, 3, 1, 1}));
    const auto zp = test::initializer(*doc, quantNode(*doc).input(2));
    EXPECT_EQ(zp->shape(), Shape({1, 3, 1, 1}));
    EXPECT_EQ(zp->at(2), 10);
}

TEST(QcdqToQonnx, DifferentScalesOnQuantizeAndDequantizeAreReported)
{
    ModelBuilder b(13);
    b.input("x", {1, 8});
    b.initializer("s1", Tensor::scalar(0.25f)).initializer("s2", Tensor::scalar(0.5f));
    b.initializer("zp", ints(TensorProto::INT8, {}, {0}));
    b.node("QuantizeLinear", {"x", "s1", "zp"}, {"q"});
    b.node("DequantizeLinear", {"q", "s2", "zp"}, {"y"});
    b.output("y", {1, 8});
    auto doc = test::document(b);
    const ConversionReport report = convertToQonnx(*doc);
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].reason.find("different scales"), std::string::npos);
    EXPECT_EQ(test::countOp(*doc, "QuantizeLinear"), 1);
}

TEST(QcdqToQonnx, DeclaresTheQonnxDomainAndKeepsUnrelatedNodesInOrder)
{
    ModelBuilder b(13);
    b.input("x", {1, 1024});
    b.node("Relu", {"x"}, {"r"}, {}, "", "first");
    b.initializer("s", Tensor::scalar(0.25f)).initializer("zp", ints(TensorProto::INT8, {}, {0}));
    b.node("QuantizeLinear", {"r", "s", "zp"}, {"q"}, {}, "", "ql");
    b.node("DequantizeLinear", {"q", "s", "zp"}, {"d"}, {}, "", "dql");
    b.node("Neg", {"d"}, {"y"}, {}, "", "last");
    b.output("y", {1, 1024});
    auto doc = test::document(b);
    const ConversionReport report = convertToQonnx(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(doc->opsetVersion("qonnx.custom_op.general"), 1);
    ASSERT_EQ(report.opsetChanges.size(), 1u);
    EXPECT_EQ(report.opsetChanges[0].what, "qonnx.custom_op.general");
    const auto& nodes = doc->proto().graph().node();
    ASSERT_EQ(nodes.size(), 3);
    EXPECT_EQ(nodes[0].name(), "first");
    EXPECT_EQ(nodes[1].name(), "ql_qonnx");
    EXPECT_EQ(nodes[2].name(), "last");
    EXPECT_FALSE(doc->graph().findTensor("s")); // Q/DQ parameters removed with their last consumer
    EXPECT_EQ(doc->checkerResult(), "OK");
}
