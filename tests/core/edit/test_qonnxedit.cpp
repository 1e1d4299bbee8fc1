// Edits of QONNX quantizers in real models: the new values read back through the quantization view
// after save and reload, nothing else in the model changes, and undo restores the original bytes.
#include "core/edit/changerecord.h"
#include "core/edit/quantizeredit.h"
#include "core/model/modelbuilder.h"
#include "core/util/error.h"
#include "edittesthelpers.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

std::filesystem::path tempFile(const std::string& name)
{
    return std::filesystem::temp_directory_path() / ("qs-edit-" + std::to_string(::getpid()) + "-" + name);
}

std::string refusal(ModelDocument& doc, int id, const QuantizerEdit& e)
{
    const std::string before = doc.serialize();
    try {
        editQuantizer(doc, id, e);
    } catch (const Error& error) {
        EXPECT_EQ(doc.serialize(), before) << "a refused edit changed the document";
        return error.what();
    }
    return "(accepted)";
}

} // namespace

TEST(QonnxEdit, Resnet8WeightToTwoBitsSavesReloadsAndTouchesOnlyTheBitWidth)
{
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    const onnx::ModelProto original = doc->proto();
    const Quantizer q = test::quantizerNamed(*doc, "Quant_QuantizeLinear_2_param0");
    ASSERT_EQ(q.bitWidth, 4.0);
    const std::string bitsTensor = doc->proto().graph().node(q.mainNode).input(3);

    QuantizerEdit e;
    e.bitWidth = 2;
    e.narrow = false;
    const ChangeRecord r = editQuantizer(*doc, q.id, e);
    const auto path = tempFile("r8.onnx");
    doc->save(path);
    const auto reloaded = ModelDocument::load(path);
    const Quantizer& after = test::quantizerNamed(*reloaded, q.name);
    EXPECT_EQ(after.bitWidth, 2.0);
    EXPECT_FALSE(after.narrow);
    EXPECT_EQ(after.qmin, -2.0); // signed 2-bit: -2^1 .. 2^1 - 1 (spec §2.2)
    EXPECT_EQ(after.qmax, 1.0);
    EXPECT_EQ(after.dataType, "SCALEDINT<2>");

    // Only the Quant node (narrow attribute) and its bit-width initializer (or a copy of it) differ.
    const test::ProtoDiff diff = test::diffModels(original, reloaded->proto());
    EXPECT_EQ(diff.nodes, std::vector<std::string> {doc->proto().graph().node(q.mainNode).name()});
    EXPECT_TRUE(diff.restEqual);
    // Either the bit-width initializer itself, or (when it was shared) the quantizer's new copy of it.
    EXPECT_EQ(diff.initializers.size(), 1u);
    if (!r.notes.empty()) {
        EXPECT_NE(diff.initializers[0], bitsTensor);
    }
    // Every other quantizer reads back exactly as before.
    const auto fresh = test::loadModel("resnet8_cifar10_w4a4.onnx");
    for (const Quantizer& other : fresh->quantizers()) {
        if (other.name == q.name)
            continue;
        const Quantizer& same = test::quantizerNamed(*reloaded, other.name);
        EXPECT_EQ(same.bitWidth, other.bitWidth) << other.name;
        EXPECT_EQ(same.narrow, other.narrow) << other.name;
        EXPECT_EQ(same.scale.values, other.scale.values) << other.name;
    }
    std::filesystem::remove(path);
}

TEST(QonnxEdit, EveryFieldEditThenUndoRestoresTheOriginalBytes)
{
    for (const char* file :
        {"resnet8_cifar10_w4a4.onnx", "kws_mlp_w3a3_mlperf.onnx", "espcn_bsd300_quant.onnx"}) {
        auto doc = test::loadModel(file);
        const std::string original = doc->serialize();
        for (const Quantizer& q : std::vector<Quantizer>(doc->quantizers())) {
            if (q.kind != QuantizerKind::IntQuant || !q.scale.known)
                continue;
            std::vector<QuantizerEdit> edits(6);
            edits[0].bitWidth = q.bitWidth == 3.0 ? 5 : 3;
            edits[1].isSigned = !q.isSigned;
            edits[2].narrow = !q.narrow;
            edits[3].roundingMode = "FLOOR";
            edits[4].scale = {q.scale.maxValue() * 2};
            edits[5].zeroPoint = 1;
            for (const QuantizerEdit& e : edits) {
                const ChangeRecord r = editQuantizer(*doc, q.id, e);
                EXPECT_FALSE(r.empty()) << file << " " << q.name;
                undo(*doc, r);
                ASSERT_EQ(doc->serialize(), original) << file << " " << q.name << " " << r.description;
            }
        }
    }
}

TEST(QonnxEdit, KwsDefaultDomainQuantGainsARoundingModeAttribute)
{
    auto doc = test::loadModel("kws_mlp_w3a3_mlperf.onnx");
    const Quantizer q = doc->quantizers()[1];
    ASSERT_EQ(q.domain, "");
    ASSERT_TRUE(q.attributesDefaulted);
    setRoundingMode(*doc, q.id, "FLOOR");
    const Quantizer& after = doc->quantizers()[1];
    EXPECT_EQ(after.roundingMode, "FLOOR");
    EXPECT_FALSE(after.attributesDefaulted); // kws has signed and narrow, only rounding_mode was missing
    int count = 0;
    for (const auto& a : doc->proto().graph().node(q.mainNode).attribute())
        count += a.name() == "rounding_mode" && a.s() == "FLOOR";
    EXPECT_EQ(count, 1);
}

TEST(QonnxEdit, PerChannelScaleKeepsItsShapeAndRefusesTheWrongLength)
{
    for (const char* file : {"kws_mlp_w3a3_mlperf.onnx", "espcn_bsd300_quant.onnx"}) {
        auto doc = test::loadModel(file);
        const Quantizer* perChannel = nullptr;
        for (const Quantizer& q : doc->quantizers())
            if (q.scale.isPerChannel() && !perChannel)
                perChannel = &q;
        ASSERT_NE(perChannel, nullptr) << file;
        const Quantizer q = *perChannel;
        const std::size_t channels = q.scale.values.size();
        std::vector<double> values(channels);
        for (std::size_t i = 0; i < channels; ++i)
            values[i] = 0.001 * static_cast<double>(i + 1);
        const std::string original = doc->serialize();
        const ChangeRecord r = setScale(*doc, q.id, values);
        const Quantizer& after = test::quantizerNamed(*doc, q.name);
        EXPECT_EQ(after.scale.shape, q.scale.shape) << file;
        EXPECT_EQ(after.scale.axis, q.scale.axis) << file;
        ASSERT_EQ(after.scale.values.size(), channels);
        for (std::size_t i = 0; i < channels; ++i)
            EXPECT_EQ(after.scale.values[i], static_cast<double>(static_cast<float>(values[i])));
        undo(*doc, r);
        EXPECT_EQ(doc->serialize(), original);

        // One value fills every channel.
        setScale(*doc, q.id, {0.5});
        EXPECT_TRUE(test::quantizerNamed(*doc, q.name).scale.allEqual(0.5));
        EXPECT_EQ(test::quantizerNamed(*doc, q.name).scale.shape, q.scale.shape);

        QuantizerEdit wrong;
        wrong.scale = std::vector<double>(channels + 1, 0.1);
        const std::string message = refusal(*doc, q.id, wrong);
        EXPECT_NE(message.find(q.name), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(channels)), std::string::npos) << message;
    }
}

TEST(QonnxEdit, PerTensorScaleBecomesPerChannelAlongTheWeightsOutputAxis)
{
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    const Quantizer q = test::quantizerNamed(*doc, "Quant_QuantizeLinear_2_param0");
    const auto dims = doc->tensor(q.input).staticShape();
    ASSERT_TRUE(dims && dims->size() == 4u);
    const std::vector<double> values(static_cast<std::size_t>((*dims)[0]), 0.0625);
    setScale(*doc, q.id, values);
    const Quantizer& after = test::quantizerNamed(*doc, q.name);
    EXPECT_EQ(after.scale.shape, (Shape {(*dims)[0], 1, 1, 1})); // QONNX keeps the data's rank
    EXPECT_EQ(after.scale.axis, 0);
}

TEST(QonnxEdit, InvalidValuesAreRefusedWithAMessageNamingTheQuantizer)
{
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    const Quantizer q = test::quantizerNamed(*doc, "Quant_QuantizeLinear_2_param0");
    auto expectRefused = [&](QuantizerEdit e, const std::string& fragment) {
        const std::string message = refusal(*doc, q.id, e);
        EXPECT_NE(message.find("'" + q.name + "'"), std::string::npos) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    };
    QuantizerEdit e;
    e.bitWidth = 0;
    expectRefused(e, "bit width 0");
    e = {};
    e.bitWidth = 64;
    expectRefused(e, "bit width 64");
    e = {};
    e.scale = {-0.5};
    expectRefused(e, "positive");
    e = {};
    e.scale = {std::nan("")};
    expectRefused(e, "positive");
    e = {};
    e.scale = {1e-60}; // underflows float32
    expectRefused(e, "underflows");
    e = {};
    e.roundingMode = "STOCHASTIC";
    expectRefused(e, "STOCHASTIC");
    e = {};
    e.zeroPoint = std::numeric_limits<double>::infinity();
    expectRefused(e, "zero point");
}

TEST(QonnxEdit, BipolarAndFloatQuantAcceptOnlyWhatTheyHave)
{
    auto tfc = test::loadModel("tfc_w1a2.onnx");
    const auto bipolar = test::quantizersOf(*tfc, QuantizerKind::BipolarQuant, QuantizerRole::Weight);
    ASSERT_FALSE(bipolar.empty());
    EXPECT_THROW(setBitWidth(*tfc, bipolar[0], 2), Error);
    EXPECT_THROW(setSigned(*tfc, bipolar[0], false), Error);
    EXPECT_THROW(setZeroPoint(*tfc, bipolar[0], 1), Error);
    const std::string original = tfc->serialize();
    const ChangeRecord r = setScale(*tfc, bipolar[0], {0.25});
    EXPECT_EQ(
        tfc->quantizers()[static_cast<std::size_t>(bipolar[0])].scale.values, std::vector<double> {0.25});
    undo(*tfc, r);
    EXPECT_EQ(tfc->serialize(), original);

    auto fp8 = test::loadModel("frag_floatquant_fp8.onnx");
    const int fq = fp8->quantizers()[0].id;
    ASSERT_EQ(fp8->quantizers()[0].kind, QuantizerKind::FloatQuant);
    try {
        setBitWidth(*fp8, fq, 6);
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("exponent and mantissa"), std::string::npos) << error.what();
    }
    const std::string fpOriginal = fp8->serialize();
    const ChangeRecord fr = setRoundingMode(*fp8, fq, "FLOOR");
    EXPECT_EQ(fp8->quantizers()[0].roundingMode, "FLOOR");
    undo(*fp8, fr);
    EXPECT_EQ(fp8->serialize(), fpOriginal);
}

TEST(QonnxEdit, TruncTakesItsOutputBitWidthAndRoundingOnly)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.initializer("s", Tensor::scalar(1.0f)).initializer("z", Tensor::scalar(0.0f));
    b.initializer("bi", Tensor::scalar(8.0f)).initializer("bo", Tensor::scalar(4.0f));
    b.node("Trunc", {"x", "s", "z", "bi", "bo"}, {"y"}, {{"rounding_mode", std::string("FLOOR")}},
        "qonnx.custom_op.general", "t");
    auto doc = ModelDocument::fromProto(b.build());
    const int t = test::quantizerNamed(*doc, "t").id;
    ASSERT_EQ(test::quantizerNamed(*doc, "t").truncVersion, 1);
    const std::string original = doc->serialize();
    const ChangeRecord r = setBitWidth(*doc, t, 6);
    EXPECT_EQ(test::quantizerNamed(*doc, "t").outBitWidth, 6.0);
    EXPECT_EQ(test::quantizerNamed(*doc, "t").bitWidth, 8.0); // the input bit width is not touched
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
    EXPECT_THROW(setBitWidth(*doc, t, 9), Error); // more bits out than in
    EXPECT_THROW(setScale(*doc, t, {0.5}), Error);
    EXPECT_THROW(setSigned(*doc, t, false), Error); // version 1 has no signed attribute
    setRoundingMode(*doc, t, "ROUND");
    EXPECT_EQ(test::quantizerNamed(*doc, "t").roundingMode, "ROUND");
}
