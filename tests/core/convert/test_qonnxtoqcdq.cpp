// QONNX -> QCDQ on small built models, one per case of qonnx-ops.md §7.2 / §11: what is emitted, what
// is reported, and that the reference executor computes the same outputs before and after.
#include "convertsupport.h"
#include "core/convert/qonnxtoqcdq.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

// lo, lo + step, ...: with step = scale / 2 every code, every tie between codes and the clamped
// values on both sides are hit.
Tensor ramp(Shape shape, double lo, double step)
{
    const std::int64_t n = elementCount(shape);
    std::vector<float> v;
    for (std::int64_t i = 0; i < n; ++i)
        v.push_back(static_cast<float>(lo + step * static_cast<double>(i)));
    return Tensor::fromFloats(std::move(shape), v);
}

// Converts a copy and checks the outputs on `x` against the original.
std::unique_ptr<ModelDocument> convertAndCompare(
    const ModelBuilder& b, const Tensor& x, ConversionReport& report, const std::string& input = "x")
{
    const auto original = test::document(b);
    auto converted = test::document(b);
    report = convertToQcdq(*converted);
    const std::map<std::string, Tensor> inputs {{input, x}};
    EXPECT_EQ(
        test::maxAbsDifference(test::runOutputs(*original, inputs), test::runOutputs(*converted, inputs)),
        0.0);
    return converted;
}

ModelBuilder single(double scale, double zp, double bits, bool isSigned, bool narrow,
    const std::string& rounding = "ROUND", int opset = 13)
{
    ModelBuilder b(opset);
    b.input("x", {1, 1024});
    const std::string y
        = b.quant("x", scale, zp, bits, isSigned, narrow, "qonnx.custom_op.general", rounding);
    b.output(y, {1, 1024});
    return b;
}

double clipBound(const ModelDocument& doc, int slot)
{
    const auto* clip = test::findOp(doc, "Clip");
    return clip ? test::initializer(doc, clip->input(slot))->at(0) : NAN;
}

} // namespace

TEST(QonnxToQcdq, NarrowUnsigned8BitGetsAClipTo254)
{
    ConversionReport report;
    const auto doc = convertAndCompare(single(0.25, 0, 8, false, true), ramp({1, 1024}, -25, 0.125), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].toKind, "QCDQ");
    EXPECT_EQ(clipBound(*doc, 1), 0);
    EXPECT_EQ(clipBound(*doc, 2), 254); // 2^8 - 2 (§2.2); upstream drops this Clip (§11 quirk 8)
    const auto* q = test::findOp(*doc, "QuantizeLinear");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(doc->tensor(*doc->graph().findTensor(q->input(2))).elemType, onnx::TensorProto::UINT8);
    const auto out
        = test::runOutputs(*doc, {{"x", Tensor::fromFloats({1, 1024}, std::vector<float>(1024, 100.0f))}});
    EXPECT_EQ(out[0].at(0), 254 * 0.25);
}

TEST(QonnxToQcdq, FullRange8BitNeedsNoClip)
{
    for (bool isSigned : {true, false}) {
        ConversionReport report;
        const auto doc
            = convertAndCompare(single(0.5, 0, 8, isSigned, false), ramp({1, 1024}, -100, 0.25), report);
        ASSERT_EQ(report.converted.size(), 1u);
        EXPECT_EQ(report.converted[0].toKind, "QDQ");
        EXPECT_EQ(test::countOp(*doc, "Clip"), 0);
        EXPECT_EQ(test::countOp(*doc, "QuantizeLinear"), 1);
        EXPECT_EQ(test::countOp(*doc, "DequantizeLinear"), 1);
    }
}

TEST(QonnxToQcdq, LowBitRangesBecomeClipBounds)
{
    ConversionReport report;
    const auto doc = convertAndCompare(single(0.25, 0, 4, true, true), ramp({1, 1024}, -3, 0.125), report);
    EXPECT_EQ(clipBound(*doc, 1), -7);
    EXPECT_EQ(clipBound(*doc, 2), 7);
    const auto unsignedDoc
        = convertAndCompare(single(0.125, 0, 3, false, false), ramp({1, 1024}, -1, 0.0625), report);
    EXPECT_EQ(clipBound(*unsignedDoc, 1), 0);
    EXPECT_EQ(clipBound(*unsignedDoc, 2), 7);
}

TEST(QonnxToQcdq, IntQuantIsConvertedLikeQuant)
{
    ModelBuilder b(13);
    b.input("x", {1, 64});
    b.initializer("s", Tensor::scalar(0.25f))
        .initializer("z", Tensor::scalar(0.0f))
        .initializer("b", Tensor::scalar(4.0f));
    b.node("IntQuant", {"x", "s", "z", "b"}, {"y"},
        {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}}, "qonnx.custom_op.general", "iq");
    b.output("y", {1, 64});
    ConversionReport report;
    const auto doc = convertAndCompare(b, ramp({1, 64}, -3, 0.125), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].fromKind, "IntQuant");
    EXPECT_EQ(test::countOp(*doc, "IntQuant"), 0);
    EXPECT_EQ(clipBound(*doc, 1), -8);
    // Names are readable and derived from the old node; its parameters are gone.
    EXPECT_TRUE(doc->graph().findNode("iq_QuantizeLinear"));
    EXPECT_TRUE(doc->graph().findNode("iq_DequantizeLinear"));
    EXPECT_FALSE(doc->graph().findTensor("b"));
    EXPECT_TRUE(doc->graph().findTensor("y")); // consumers keep their input
}

TEST(QonnxToQcdq, PerChannelAxis0WeightsGetA1DScaleAndAxis)
{
    ModelBuilder b(13);
    b.input("x", {2, 4});
    std::vector<float> w;
    for (int i = 0; i < 12; ++i)
        w.push_back(static_cast<float>(i - 6) * 0.3f);
    b.initializer("W", Tensor::fromFloats({4, 3}, w));
    b.initializer("s", Tensor::fromFloats({4, 1}, {0.25f, 0.5f, 0.125f, 1.0f}));
    b.initializer("z", Tensor::scalar(0.0f)).initializer("b", Tensor::scalar(4.0f));
    b.node("Quant", {"W", "s", "z", "b"}, {"Wq"}, {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(1)}},
        "qonnx.custom_op.general", "wq");
    b.node("MatMul", {"x", "Wq"}, {"y"});
    b.output("y", {2, 3});
    ConversionReport report;
    const auto doc = convertAndCompare(b, ramp({2, 4}, -1, 0.25), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].axis, 0);
    const auto* q = test::findOp(*doc, "QuantizeLinear");
    ASSERT_NE(q, nullptr);
    ASSERT_EQ(q->attribute_size(), 1);
    EXPECT_EQ(q->attribute(0).name(), "axis");
    EXPECT_EQ(q->attribute(0).i(), 0);
    const auto scale = test::initializer(*doc, q->input(1));
    EXPECT_EQ(scale->shape(), Shape({4}));
    EXPECT_EQ(scale->at(2), 0.125);
}

TEST(QonnxToQcdq, PerChannelAxis1Activations)
{
    ModelBuilder b(13);
    b.input("x", {1, 3, 4, 4});
    b.initializer("s", Tensor::fromFloats({1, 3, 1, 1}, {0.25f, 0.5f, 0.0625f}));
    b.initializer("z", Tensor::scalar(0.0f)).initializer("b", Tensor::scalar(5.0f));
    b.node("Quant", {"x", "s", "z", "b"}, {"y"}, {{"signed", std::int64_t(0)}, {"narrow", std::int64_t(0)}},
        "qonnx.custom_op.general");
    b.output("y", {1, 3, 4, 4});
    ConversionReport report;
    const auto doc = convertAndCompare(b, ramp({1, 3, 4, 4}, -2, 0.5), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.converted[0].axis, 1);
    EXPECT_EQ(test::initializer(*doc, test::findOp(*doc, "DequantizeLinear")->input(1))->shape(), Shape({3}));
    EXPECT_EQ(clipBound(*doc, 2), 31);
}

TEST(QonnxToQcdq, RoundingOtherThanRoundIsReportedAndLeftAlone)
{
    auto doc = test::document(single(0.25, 0, 4, true, false, "FLOOR"));
    const ConversionReport report = convertToQcdq(*doc);
    EXPECT_TRUE(report.converted.empty());
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].reason.find("rounding_mode FLOOR"), std::string::npos)
        << report.skipped[0].reason;
    EXPECT_EQ(test::countOp(*doc, "Quant"), 1);
    EXPECT_EQ(test::countOp(*doc, "QuantizeLinear"), 0);

    // HALF_EVEN is ROUND under another name, whatever its case.
    auto halfEven = test::document(single(0.25, 0, 4, true, false, "half_even"));
    EXPECT_EQ(convertToQcdq(*halfEven).converted.size(), 1u);
}

TEST(QonnxToQcdq, EvenIntegerZeroPointIsExactEvenOnTies)
{
    ConversionReport report;
    const auto doc = convertAndCompare(single(0.25, 2, 4, false, false), ramp({1, 1024}, -2, 0.125), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_TRUE(report.converted[0].nonZeroZeroPoint);
    EXPECT_EQ(test::initializer(*doc, test::findOp(*doc, "QuantizeLinear")->input(2))->at(0), 2);
}

// Quant rounds x/s + z, QuantizeLinear rounds x/s and then adds z: with an odd z the half-to-even rule
// picks the other neighbour at exact ties, so those (and only those) codes move by one step.
TEST(QonnxToQcdq, OddIntegerZeroPointDiffersByOneStepOnlyAtTies)
{
    const ModelBuilder b = single(0.25, 3, 4, false, false);
    const auto original = test::document(b);
    auto doc = test::document(b);
    const ConversionReport report = convertToQcdq(*doc);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_FALSE(report.converted[0].note.empty());
    const Tensor x = ramp({1, 1024}, -2, 0.125);
    const auto before = test::runOutputs(*original, {{"x", x}})[0];
    const auto after = test::runOutputs(*doc, {{"x", x}})[0];
    int moved = 0;
    for (std::int64_t i = 0; i < x.size(); ++i) {
        const double v = x.at(i) / 0.25;
        if (before.at(i) == after.at(i))
            continue;
        ++moved;
        EXPECT_EQ(v - std::floor(v), 0.5) << "x = " << x.at(i);
        EXPECT_EQ(std::fabs(before.at(i) - after.at(i)), 0.25);
    }
    EXPECT_GT(moved, 0); // the ramp hits ties inside the range
}

TEST(QonnxToQcdq, NonIntegerZeroPointIsReported)
{
    auto fractional = test::document(single(0.25, 0.5, 4, false, false));
    const ConversionReport r = convertToQcdq(*fractional);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_NE(r.skipped[0].reason.find("non-integer zero point 0.5"), std::string::npos)
        << r.skipped[0].reason;
    EXPECT_EQ(test::countOp(*fractional, "Quant"), 1);
}

TEST(QonnxToQcdq, WideBitWidthsAreReportedBelowOpset21)
{
    for (double bits : {12.0, 16.0, 32.0}) {
        auto doc = test::document(single(0.25, 0, bits, true, false));
        const ConversionReport report = convertToQcdq(*doc);
        ASSERT_EQ(report.skipped.size(), 1u) << bits;
        EXPECT_NE(report.skipped[0].reason.find(std::to_string(int(bits)) + "-bit"), std::string::npos);
        EXPECT_EQ(doc->opsetVersion(""), 13);
    }
}

TEST(QonnxToQcdq, WideBitWidthsUseInt16AtOpset21)
{
    for (bool isSigned : {true, false}) {
        ConversionReport report;
        const auto doc = convertAndCompare(
            single(0.25, 0, 12, isSigned, false, "ROUND", 21), ramp({1, 1024}, -1200, 2.5), report);
        ASSERT_EQ(report.converted.size(), 1u);
        EXPECT_EQ(
            doc->tensor(*doc->graph().findTensor(test::findOp(*doc, "QuantizeLinear")->input(2))).elemType,
            onnx::TensorProto::INT16);
        EXPECT_EQ(clipBound(*doc, 1), isSigned ? -2048 : 0);
        EXPECT_EQ(clipBound(*doc, 2), isSigned ? 2047 : 4095);
        EXPECT_EQ(doc->opsetVersion(""), 21);
    }
}

TEST(QonnxToQcdq, SignedOneBitIsReportedUnsignedOneBitIsClipped)
{
    auto bipolar = test::document(single(0.5, 0, 1, true, false));
    const ConversionReport r = convertToQcdq(*bipolar);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_NE(r.skipped[0].reason.find("1-bit signed"), std::string::npos);

    ConversionReport report;
    const auto doc = convertAndCompare(single(0.5, 0, 1, false, false), ramp({1, 1024}, -1, 0.25), report);
    ASSERT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(clipBound(*doc, 1), 0);
    EXPECT_EQ(clipBound(*doc, 2), 1);
}

TEST(QonnxToQcdq, BipolarQuantAndTruncAreReported)
{
    ModelBuilder b(13);
    b.input("x", {1, 8});
    b.initializer("s", Tensor::scalar(1.0f)).initializer("z", Tensor::scalar(0.0f));
    b.initializer("bi", Tensor::scalar(8.0f)).initializer("bo", Tensor::scalar(4.0f));
    b.node("BipolarQuant", {"x", "s"}, {"a"}, {}, "qonnx.custom_op.general", "bq");
    b.node("Trunc", {"a", "s", "z", "bi", "bo"}, {"y"}, {{"rounding_mode", std::string("FLOOR")}},
        "qonnx.custom_op.general", "tr");
    b.output("y", {1, 8});
    auto doc = test::document(b);
    const ConversionReport report = convertToQcdq(*doc);
    EXPECT_TRUE(report.converted.empty());
    ASSERT_EQ(report.skipped.size(), 2u);
    EXPECT_EQ(report.skipped[0].kind, "BipolarQuant");
    EXPECT_EQ(report.skipped[1].kind, "Trunc");
    EXPECT_EQ(test::countOp(*doc, "BipolarQuant") + test::countOp(*doc, "Trunc"), 2);
}

TEST(QonnxToQcdq, ParametersSharedWithASkippedQuantizerAreKept)
{
    ModelBuilder b(13);
    b.input("x", {1, 8});
    b.initializer("s", Tensor::scalar(0.25f))
        .initializer("z", Tensor::scalar(0.0f))
        .initializer("b", Tensor::scalar(4.0f));
    b.node("Quant", {"x", "s", "z", "b"}, {"a"}, {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}},
        "qonnx.custom_op.general");
    b.node("Quant", {"a", "s", "z", "b"}, {"y"},
        {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}, {"rounding_mode", std::string("CEIL")}},
        "qonnx.custom_op.general");
    b.output("y", {1, 8});
    ConversionReport report;
    const auto doc = convertAndCompare(b, ramp({1, 8}, -3, 0.75), report);
    EXPECT_EQ(report.converted.size(), 1u);
    EXPECT_EQ(report.skipped.size(), 1u);
    EXPECT_TRUE(doc->graph().findTensor("s"));
    EXPECT_TRUE(doc->graph().findTensor("b"));
}
