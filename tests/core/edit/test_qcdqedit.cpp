// Edits of QCDQ chains and Q/DQ pairs (vww_mobilenet128_qcdq: 8-bit narrow weight QCDQs sharing their
// Clip-bound initializers, 8-bit Q/DQ activations sharing zero points): Clip bounds, zero-point types,
// an inserted Clip, refusals, and byte-exact undo.
#include "core/edit/changerecord.h"
#include "core/edit/quantizeredit.h"
#include "core/model/tensordata.h"
#include "core/util/error.h"
#include "edittesthelpers.h"

#include <gtest/gtest.h>

using namespace qs;
using onnx::TensorProto;

namespace {

struct Vww : ::testing::Test {
    void SetUp() override
    {
        doc = test::loadModel("vww_mobilenet128_qcdq.onnx");
        original = doc->serialize();
        weights = test::quantizersOf(*doc, QuantizerKind::QCDQ, QuantizerRole::Weight);
        activations = test::quantizersOf(*doc, QuantizerKind::QDQ, QuantizerRole::Activation);
        ASSERT_EQ(weights.size(), 26u);
        ASSERT_FALSE(activations.empty());
    }
    const Quantizer& q(int id) const { return doc->quantizers()[static_cast<std::size_t>(id)]; }
    const onnx::TensorProto& init(const std::string& name) const
    {
        for (const auto& t : doc->proto().graph().initializer())
            if (t.name() == name)
                return t;
        throw std::runtime_error("no initializer " + name);
    }
    // The Clip node of a QCDQ quantizer.
    const onnx::NodeProto& clipOf(int id) const { return doc->proto().graph().node(q(id).nodes[1]); }

    std::unique_ptr<ModelDocument> doc;
    std::string original;
    std::vector<int> weights;
    std::vector<int> activations;
};

} // namespace

TEST_F(Vww, WeightBitsRewriteOnlyThisQuantizersClipBounds)
{
    const int w = weights[0];
    ASSERT_EQ(q(w).bitWidth, 8.0);
    ASSERT_TRUE(q(w).narrow);
    const std::string sharedMin = clipOf(w).input(1);
    const onnx::ModelProto before = doc->proto();
    const ChangeRecord r = setBitWidth(*doc, w, 4);
    // Signed narrow 4-bit: [-7, 7] (spec §2.2), stored as int8 like the zero point.
    EXPECT_EQ(q(w).bitWidth, 4.0);
    EXPECT_EQ(q(w).qmin, -7.0);
    EXPECT_EQ(q(w).qmax, 7.0);
    EXPECT_TRUE(q(w).narrow);
    const auto& lo = init(clipOf(w).input(1));
    EXPECT_EQ(lo.data_type(), TensorProto::INT8);
    EXPECT_EQ(tensorFromProto(lo, {}).at(0), -7.0);
    // The 25 other weight Clips still read the shared bounds, which are unchanged.
    EXPECT_NE(clipOf(w).input(1), sharedMin);
    for (std::size_t i = 1; i < weights.size(); ++i) {
        EXPECT_EQ(clipOf(weights[i]).input(1), sharedMin);
        EXPECT_EQ(q(weights[i]).bitWidth, 8.0);
    }
    const test::ProtoDiff diff = test::diffModels(before, doc->proto());
    EXPECT_EQ(diff.nodes, std::vector<std::string> {clipOf(w).name()});
    EXPECT_EQ(diff.initializers.size(), 2u); // the two new bound copies
    EXPECT_TRUE(diff.restEqual);
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
}

TEST_F(Vww, ActivationBelowEightBitsGainsAClip)
{
    const int a = activations[1];
    const bool isSigned = q(a).isSigned;
    const int nodes = doc->graph().nodeCount();
    const std::string qOut = doc->proto().graph().node(q(a).mainNode).output(0);
    const ChangeRecord r = setBitWidth(*doc, a, 5);
    EXPECT_TRUE(r.topologyChanged);
    EXPECT_EQ(doc->graph().nodeCount(), nodes + 1);
    const Quantizer& after = q(a);
    EXPECT_EQ(after.kind, QuantizerKind::QCDQ);
    EXPECT_EQ(after.bitWidth, 5.0);
    EXPECT_EQ(after.qmin, isSigned ? -16.0 : 0.0);
    EXPECT_EQ(after.qmax, isSigned ? 15.0 : 31.0);
    // The Clip produces the Q's old output name, so the DequantizeLinear is untouched.
    ASSERT_EQ(after.nodes.size(), 3u);
    EXPECT_EQ(doc->proto().graph().node(after.nodes[1]).output(0), qOut);
    EXPECT_EQ(doc->checkerResult(), "OK");
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
    EXPECT_EQ(q(a).kind, QuantizerKind::QDQ);
    // 8 bits without narrow needs no Clip: nothing to do.
    EXPECT_TRUE(setBitWidth(*doc, a, 8).empty());
}

TEST_F(Vww, SignednessIsTheZeroPointTypeAndFollowsIntoTheClip)
{
    const int w = weights[2];
    QuantizerEdit e;
    e.isSigned = false;
    e.narrow = false;
    const ChangeRecord r = editQuantizer(*doc, w, e);
    const Quantizer& after = q(w);
    EXPECT_FALSE(after.isSigned);
    EXPECT_EQ(after.qmin, 0.0);
    EXPECT_EQ(after.qmax, 255.0);
    const auto& qNode = doc->proto().graph().node(after.nodes[0]);
    const auto& dqNode = doc->proto().graph().node(after.nodes[2]);
    EXPECT_EQ(init(qNode.input(2)).data_type(), TensorProto::UINT8);
    EXPECT_EQ(qNode.input(2), dqNode.input(2));
    EXPECT_EQ(init(clipOf(w).input(1)).data_type(), TensorProto::UINT8);
    EXPECT_EQ(init(clipOf(w).input(2)).data_type(), TensorProto::UINT8);
    // The zero point was shared with other quantizers: they keep int8.
    EXPECT_TRUE(q(weights[0]).isSigned);
    EXPECT_EQ(doc->checkerResult(), "OK");
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
}

TEST_F(Vww, ScaleAndZeroPointEditsWriteBothQAndDq)
{
    const int a = activations[0];
    const ChangeRecord s = setScale(*doc, a, {0.0625});
    EXPECT_EQ(q(a).scale.values, std::vector<double> {0.0625});
    const auto& qNode = doc->proto().graph().node(q(a).nodes[0]);
    const auto& dqNode = doc->proto().graph().node(q(a).nodes.back());
    EXPECT_EQ(qNode.input(1), dqNode.input(1));
    const ChangeRecord z = setZeroPoint(*doc, a, q(a).isSigned ? -3 : 3);
    EXPECT_TRUE(q(a).zeroPoint.allEqual(q(a).isSigned ? -3 : 3));
    undo(*doc, z);
    undo(*doc, s);
    EXPECT_EQ(doc->serialize(), original);
}

TEST_F(Vww, RefusalsNameTheQuantizerAndLeaveNoTrace)
{
    auto refused = [&](int id, QuantizerEdit e, const std::string& fragment) {
        try {
            editQuantizer(*doc, id, e);
            ADD_FAILURE() << "accepted: " << fragment;
        } catch (const Error& error) {
            const std::string m = error.what();
            EXPECT_NE(m.find("'" + q(id).name + "'"), std::string::npos) << m;
            EXPECT_NE(m.find(fragment), std::string::npos) << m;
        }
        EXPECT_EQ(doc->serialize(), original);
    };
    QuantizerEdit e;
    e.bitWidth = 9;
    refused(weights[0], e, "2 to 8 bits");
    e.bitWidth = 1;
    refused(weights[0], e, "2 to 8 bits");
    e.bitWidth = 4.5;
    refused(weights[0], e, "2 to 8 bits");
    e = {};
    e.isSigned = false; // the weight is narrow: unsigned narrow is not allowed in QCDQ
    refused(weights[0], e, "narrow");
    e = {};
    e.roundingMode = "FLOOR";
    refused(weights[0], e, "half to even");
    e = {};
    e.zeroPoint = 300;
    refused(activations[0], e, "zero point 300");
    e = {};
    e.zeroPoint = 0.5;
    refused(activations[0], e, "zero point 0.5");
    e = {};
    e.scale = {0.0};
    refused(activations[0], e, "positive");
}

TEST(LoneDequantize, TakesScaleAndZeroPointOnly)
{
    auto doc = test::loadModel("frag_attention_quant.onnx");
    const auto ids = test::quantizersOf(*doc, QuantizerKind::DequantizeOnly, QuantizerRole::GraphInput);
    ASSERT_EQ(ids.size(), 1u);
    const int dq = ids[0];
    const std::string original = doc->serialize();
    EXPECT_THROW(setBitWidth(*doc, dq, 4), Error);
    EXPECT_THROW(setNarrow(*doc, dq, true), Error);
    const ChangeRecord r = setScale(*doc, dq, {0.5});
    EXPECT_EQ(doc->quantizers()[static_cast<std::size_t>(dq)].scale.values, std::vector<double> {0.5});
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
}
