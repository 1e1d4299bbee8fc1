// Change records on small built models: exact undo/redo, merging, un-sharing of shared parameters,
// replacement of computed parameters, and dtype/storage preservation of edited initializers.
#include "core/edit/changerecord.h"
#include "core/edit/quantizeredit.h"
#include "core/model/modelbuilder.h"
#include "core/model/tensordata.h"
#include "core/util/error.h"
#include "edittesthelpers.h"

#include <gtest/gtest.h>

using namespace qs;
using onnx::TensorProto;

namespace {

// Two Quant nodes reading one "shared_scale" initializer.
std::unique_ptr<ModelDocument> sharedScaleModel()
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y0", {1, 4}).output("y1", {1, 4});
    b.initializer("shared_scale", Tensor::scalar(0.5f));
    b.initializer("zp", Tensor::scalar(0.0f));
    b.initializer("bits4", Tensor::scalar(4.0f));
    b.initializer("bits8", Tensor::scalar(8.0f));
    const std::vector<Attribute> attrs
        = {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}, {"rounding_mode", std::string("ROUND")}};
    b.node("Quant", {"x", "shared_scale", "zp", "bits4"}, {"y0"}, attrs, "qonnx.custom_op.general", "qa");
    b.node("Quant", {"x", "shared_scale", "zp", "bits8"}, {"y1"}, attrs, "qonnx.custom_op.general", "qb");
    b.opset("qonnx.custom_op.general", 1);
    return ModelDocument::fromProto(b.build());
}

const onnx::TensorProto& initializerNamed(const ModelDocument& doc, const std::string& name)
{
    for (const auto& t : doc.proto().graph().initializer())
        if (t.name() == name)
            return t;
    throw std::runtime_error("no initializer " + name);
}

} // namespace

TEST(ChangeRecord, SharedScaleIsUnsharedAndTheOtherQuantizerKeepsItsValue)
{
    auto doc = sharedScaleModel();
    const std::string original = doc->serialize();
    const ChangeRecord r = setScale(*doc, test::quantizerNamed(*doc, "qa").id, {0.25});
    EXPECT_EQ(test::quantizerNamed(*doc, "qa").scale.values, std::vector<double> {0.25});
    EXPECT_EQ(test::quantizerNamed(*doc, "qb").scale.values, std::vector<double> {0.5});
    // The shared tensor is untouched; qa reads a new copy.
    EXPECT_EQ(tensorFromProto(initializerNamed(*doc, "shared_scale"), {}).at(0), 0.5);
    EXPECT_NE(doc->proto().graph().node(0).input(1), "shared_scale");
    EXPECT_EQ(doc->proto().graph().node(1).input(1), "shared_scale");
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("shared"), std::string::npos);
    EXPECT_TRUE(r.topologyChanged);
    ASSERT_EQ(r.fields.size(), 1u);
    EXPECT_EQ(r.fields[0].oldValue, "0.5");
    EXPECT_EQ(r.fields[0].newValue, "0.25");

    const std::string edited = doc->serialize();
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
    EXPECT_EQ(test::quantizerNamed(*doc, "qa").scale.values, std::vector<double> {0.5});
    redo(*doc, r);
    EXPECT_EQ(doc->serialize(), edited);
}

TEST(ChangeRecord, ConsecutiveEditsOfOneFieldMergeIntoOneExactStep)
{
    auto doc = sharedScaleModel();
    const std::string original = doc->serialize();
    const int qa = test::quantizerNamed(*doc, "qa").id;
    const ChangeRecord a = setBitWidth(*doc, qa, 3);
    const ChangeRecord b = setBitWidth(*doc, qa, 5);
    const std::string final = doc->serialize();
    ASSERT_TRUE(mergeable(a, b));
    const ChangeRecord m = merge(a, b);
    ASSERT_EQ(m.fields.size(), 1u);
    EXPECT_EQ(m.fields[0].oldValue, "4");
    EXPECT_EQ(m.fields[0].newValue, "5");
    undo(*doc, m);
    EXPECT_EQ(doc->serialize(), original);
    redo(*doc, m);
    EXPECT_EQ(doc->serialize(), final);
    EXPECT_EQ(test::quantizerNamed(*doc, "qa").bitWidth, 5.0);

    // Other field or other quantizer: not mergeable.
    const ChangeRecord c = setNarrow(*doc, qa, true);
    EXPECT_FALSE(mergeable(b, c));
    const ChangeRecord d = setBitWidth(*doc, test::quantizerNamed(*doc, "qb").id, 6);
    EXPECT_FALSE(mergeable(b, d));
}

TEST(ChangeRecord, MergingBackToTheStartLeavesNoEntries)
{
    auto doc = sharedScaleModel();
    const int qa = test::quantizerNamed(*doc, "qa").id;
    const ChangeRecord a = setBitWidth(*doc, qa, 3);
    const ChangeRecord b = setBitWidth(*doc, qa, 4);
    const ChangeRecord m = merge(a, b);
    EXPECT_TRUE(m.empty());
    EXPECT_TRUE(m.fields.empty());
}

TEST(ChangeRecord, RefusedEditLeavesTheDocumentByteIdentical)
{
    auto doc = sharedScaleModel();
    const std::string original = doc->serialize();
    const int qa = test::quantizerNamed(*doc, "qa").id;
    QuantizerEdit e;
    e.bitWidth = 3; // valid, would be written first...
    e.scale = {-1.0}; // ...but the scale is not, so nothing may be written
    EXPECT_THROW(editQuantizer(*doc, qa, e), Error);
    EXPECT_EQ(doc->serialize(), original);
}

TEST(ChangeRecord, NoOpEditReturnsAnEmptyRecord)
{
    auto doc = sharedScaleModel();
    const std::string original = doc->serialize();
    const ChangeRecord r = setBitWidth(*doc, test::quantizerNamed(*doc, "qa").id, 4);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(doc->serialize(), original);
}

TEST(ChangeRecord, ComputedBitWidthIsReplacedByAnInitializer)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.initializer("s", Tensor::scalar(0.5f)).initializer("z", Tensor::scalar(0.0f));
    b.initializer("raw_bits", Tensor::scalar(3.2f));
    b.node("Ceil", {"raw_bits"}, {"bits"});
    b.node("Quant", {"x", "s", "z", "bits"}, {"y"},
        {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}}, "qonnx.custom_op.general", "q");
    auto doc = ModelDocument::fromProto(b.build());
    ASSERT_EQ(test::quantizerNamed(*doc, "q").bitWidth, 4.0); // ceil(3.2)
    const std::string original = doc->serialize();
    const ChangeRecord r = setBitWidth(*doc, test::quantizerNamed(*doc, "q").id, 6);
    EXPECT_EQ(test::quantizerNamed(*doc, "q").bitWidth, 6.0);
    const std::string bitsInput = doc->proto().graph().node(1).input(3);
    EXPECT_NE(bitsInput, "bits");
    EXPECT_EQ(initializerNamed(*doc, bitsInput).data_type(), TensorProto::FLOAT);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("constant subgraph"), std::string::npos);
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
}

TEST(ChangeRecord, InitializerKeepsItsElementTypeAndStorageForm)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.initializer("s", Tensor::scalar(0.5f));
    b.initializer("z", Tensor::fromInt64s({}, {0}).cast(DType::Int8));
    b.initializer("bits", Tensor::fromInt64s({}, {8}));
    b.node("Quant", {"x", "s", "z", "bits"}, {"y"},
        {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}, {"rounding_mode", std::string("ROUND")}},
        "qonnx.custom_op.general", "q");
    onnx::ModelProto proto = b.build();
    // Store the scale in the typed float_data field instead of raw_data.
    auto* s = proto.mutable_graph()->mutable_initializer(0);
    s->clear_raw_data();
    s->add_float_data(0.5f);
    auto doc = ModelDocument::fromProto(proto);
    const int q = test::quantizerNamed(*doc, "q").id;

    setBitWidth(*doc, q, 5);
    EXPECT_EQ(initializerNamed(*doc, "bits").data_type(), TensorProto::INT64);
    EXPECT_EQ(tensorFromProto(initializerNamed(*doc, "bits"), {}).atInt(0), 5);
    setZeroPoint(*doc, q, -3);
    EXPECT_EQ(initializerNamed(*doc, "z").data_type(), TensorProto::INT8);
    EXPECT_EQ(test::quantizerNamed(*doc, "q").zeroPoint.values, std::vector<double> {-3});
    setScale(*doc, q, {0.125});
    EXPECT_EQ(initializerNamed(*doc, "s").float_data_size(), 1);
    EXPECT_FALSE(initializerNamed(*doc, "s").has_raw_data());
    EXPECT_EQ(initializerNamed(*doc, "s").float_data(0), 0.125f);

    // An int64 bit width cannot hold 3.5, an int8 zero point cannot hold 200.
    try {
        setBitWidth(*doc, q, 3.5);
        FAIL() << "3.5 bits into an INT64 tensor was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("'q'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("INT64"), std::string::npos) << e.what();
    }
    EXPECT_THROW(setZeroPoint(*doc, q, 200), Error);
}

TEST(ChangeRecord, MissingAttributesAreAdded)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.initializer("s", Tensor::scalar(1.0f))
        .initializer("z", Tensor::scalar(0.0f))
        .initializer("n", Tensor::scalar(4.0f));
    b.node("Quant", {"x", "s", "z", "n"}, {"y"}, {}, "", "q"); // default domain, no attributes at all
    auto doc = ModelDocument::fromProto(b.build());
    const int q = test::quantizerNamed(*doc, "q").id;
    ASSERT_TRUE(test::quantizerNamed(*doc, "q").attributesDefaulted);
    const std::string original = doc->serialize();
    const ChangeRecord r1 = setSigned(*doc, q, false);
    const ChangeRecord r2 = setNarrow(*doc, q, true);
    const ChangeRecord r3 = setRoundingMode(*doc, q, "half_up");
    const Quantizer& after = test::quantizerNamed(*doc, "q");
    EXPECT_FALSE(after.isSigned);
    EXPECT_TRUE(after.narrow);
    EXPECT_EQ(after.roundingMode, "HALF_UP");
    EXPECT_FALSE(after.attributesDefaulted);
    EXPECT_EQ(after.qmax, 14.0); // unsigned narrow 4-bit: 2^4 - 2 (spec §2.2)
    undo(*doc, r3);
    undo(*doc, r2);
    undo(*doc, r1);
    EXPECT_EQ(doc->serialize(), original);
}
