// Bulk edits: every Conv weight / every activation quantizer in one compound record, atomic refusal,
// and restoring the values of a reference document.
#include "core/edit/bulkedit.h"
#include "core/util/error.h"
#include "edittesthelpers.h"

#include <gtest/gtest.h>

using namespace qs;

TEST(BulkEdit, ConvWeightsOfResnet8ToThreeBitsLeavesTheRestAlone)
{
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    const std::string original = doc->serialize();
    const std::vector<int> conv = convWeightQuantizers(*doc);
    // ResNet-8: the stem, 3 stages x 2, 2 shortcut 1x1 convolutions, and (in this NN2FPGA export) the
    // 10-class classifier written as a 1x1 Conv on the pooled [1,64,1,1] features.
    EXPECT_EQ(conv.size(), 10u);
    const std::vector<Quantizer> before = doc->quantizers();
    const ChangeRecord r = setConvWeightBits(*doc, 3);
    EXPECT_TRUE(r.quantizerKey.empty()); // compound: never merged
    for (const Quantizer& q : doc->quantizers()) {
        const bool isConvWeight = std::find(conv.begin(), conv.end(), q.id) != conv.end();
        EXPECT_EQ(q.bitWidth, isConvWeight ? 3.0 : before[static_cast<std::size_t>(q.id)].bitWidth) << q.name;
    }
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
}

TEST(BulkEdit, ActivationsOfVwwQcdqToSixBitsInOneStep)
{
    auto doc = test::loadModel("vww_mobilenet128_qcdq.onnx");
    const std::string original = doc->serialize();
    const std::size_t activations = activationQuantizers(*doc).size();
    ASSERT_EQ(activations, 77u); // 76 activation Q/DQ pairs and the input's
    const int nodes = doc->graph().nodeCount();
    const ChangeRecord r = setActivationBits(*doc, 6);
    EXPECT_EQ(doc->graph().nodeCount(), nodes + 77); // a Clip for every pair
    for (int id : activationQuantizers(*doc)) {
        const Quantizer& q = doc->quantizers()[static_cast<std::size_t>(id)];
        EXPECT_EQ(q.kind, QuantizerKind::QCDQ) << q.name;
        EXPECT_EQ(q.bitWidth, 6.0) << q.name;
    }
    EXPECT_EQ(r.fields.size(), 77u);
    undo(*doc, r);
    EXPECT_EQ(doc->serialize(), original);
    redo(*doc, r);
    EXPECT_EQ(doc->quantizers()[static_cast<std::size_t>(activationQuantizers(*doc)[5])].bitWidth, 6.0);
}

TEST(BulkEdit, OneInvalidQuantizerRefusesTheWholeEdit)
{
    auto doc = test::loadModel("vww_mobilenet128_qcdq.onnx");
    const std::string original = doc->serialize();
    EXPECT_THROW(setActivationBits(*doc, 12), Error); // QCDQ holds at most 8 bits
    EXPECT_EQ(doc->serialize(), original);
}

TEST(BulkEdit, KindsWithoutABitWidthAreSkippedAndReported)
{
    auto doc = test::loadModel("frag_bnn_fc_1layer.onnx"); // BipolarQuant activations and input
    const ChangeRecord r = setActivationBits(*doc, 4);
    EXPECT_TRUE(r.empty());
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("BipolarQuant"), std::string::npos);
}

TEST(BulkEdit, RestoreOriginalBringsBackEveryValue)
{
    const auto reference = test::loadModel("resnet8_cifar10_w4a4.onnx");
    auto doc = test::loadModel("resnet8_cifar10_w4a4.onnx");
    setConvWeightBits(*doc, 2);
    setActivationBits(*doc, 6);
    QuantizerEdit e;
    e.scale = {0.3};
    e.roundingMode = "CEIL";
    e.isSigned = false;
    editQuantizer(*doc, 3, e);
    const ChangeRecord r = restoreOriginal(*doc, *reference);
    EXPECT_FALSE(r.empty());
    ASSERT_EQ(doc->quantizers().size(), reference->quantizers().size());
    for (const Quantizer& ref : reference->quantizers()) {
        const Quantizer& q = test::quantizerNamed(*doc, ref.name);
        EXPECT_EQ(q.bitWidth, ref.bitWidth) << ref.name;
        EXPECT_EQ(q.isSigned, ref.isSigned) << ref.name;
        EXPECT_EQ(q.narrow, ref.narrow) << ref.name;
        EXPECT_EQ(q.roundingMode, ref.roundingMode) << ref.name;
        EXPECT_EQ(q.scale.values, ref.scale.values) << ref.name;
        EXPECT_EQ(q.zeroPoint.values, ref.zeroPoint.values) << ref.name;
    }
    // The restore itself is one undo step.
    const std::string restored = doc->serialize();
    undo(*doc, r);
    EXPECT_EQ(test::quantizerNamed(*doc, reference->quantizers()[3].name).scale.values,
        std::vector<double> {double(0.3f)});
    redo(*doc, r);
    EXPECT_EQ(doc->serialize(), restored);
}
