// inference_cost against numbers derived by hand from the network architectures and from the worked
// examples of accumulator-and-bops.md (example 7a) and qonnx-ops.md §8.5 (TFC-W2A2).
#include "core/analysis/inferencecost.h"
#include "core/model/modelbuilder.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;

TEST(InferenceCost, TfcW2A2MatchesUpstreamTotals)
{
    // qonnx's own test: 59008 MACs (784*64 + 64*64*2 + 64*10), 202 outputs, 2-bit x 2-bit everywhere.
    const auto doc = ModelDocument::load(test::model("tfc_w2a2.onnx"));
    CostOptions options;
    options.discountSparsity = false;
    const CostReport r = computeInferenceCost(*doc, options);
    EXPECT_EQ(r.total.at("total_macs"), 59008);
    EXPECT_EQ(r.total.at("total_bops"), 236032);
    EXPECT_EQ(r.total.at("total_mem_w_elems"), 59008);
    EXPECT_EQ(r.total.at("total_mem_w_bits"), 118016);
    EXPECT_EQ(r.total.at("total_mem_o_elems"), 202);
    EXPECT_EQ(r.total.at("total_mem_o_bits"), 6464);
    // The dynamic flatten (Shape -> Gather -> Unsqueeze -> Concat) folds away, as in qonnx.
    EXPECT_TRUE(r.unsupported.empty()) << *r.unsupported.begin();
    ASSERT_EQ(r.layers.size(), 4u);
    EXPECT_EQ(r.layers[0].qonnxName, "MatMul_0");
    EXPECT_EQ(r.perNode.count("MatMul_3"), 1u);
    EXPECT_EQ(r.perOpType.at("MatMul").at("total_macs"), 59008);
}

TEST(InferenceCost, Resnet8MacsMatchTheArchitecture)
{
    // MLPerf Tiny ResNet-8 on 32x32x3: stem 3->16, three stacks (16, 32, 64 channels, two 3x3 convs
    // each, 1x1 shortcuts in stacks 2 and 3), a 64->10 1x1 classifier: 12 501 632 MACs.
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    CostOptions options;
    options.discountSparsity = false;
    const CostReport r = computeInferenceCost(*doc, options);
    EXPECT_EQ(r.total.at("total_macs"), 12501632);
    EXPECT_EQ(r.layers.size(), 10u);
    EXPECT_EQ(r.unsupported, std::set<std::string>());
    // With sparsity discount on, MACs can only go down, and the weight memory with them.
    const CostReport sparse = computeInferenceCost(*doc);
    EXPECT_LE(sparse.total.at("total_macs"), 12501632);
    EXPECT_LE(sparse.total.at("total_mem_w_elems"), r.total.at("total_mem_w_elems"));
}

TEST(InferenceCost, GlobalAveragePoolIsUnsupportedAsUpstream)
{
    const auto doc = ModelDocument::load(test::model("vww_mobilenet128_qonnx.onnx"));
    const CostReport r = computeInferenceCost(*doc);
    EXPECT_EQ(r.unsupported, std::set<std::string>({"GlobalAveragePool"}));
}

namespace {

// accumulator-and-bops.md example 7a: input 1x8x10x10 UINT4, weights 16x4x3x3 INT4, group 2, pad 1.
// `nonZeroOf4` of every 4 weights quantize to a non-zero integer.
std::unique_ptr<ModelDocument> groupedConv(int nonZeroOf4)
{
    ModelBuilder b(13);
    b.input("x", {1, 8, 10, 10});
    const std::string xq = b.quant("x", 1.0, 0, 4, false, false);
    std::vector<float> w(16 * 4 * 3 * 3);
    for (std::size_t i = 0; i < w.size(); ++i)
        w[i] = static_cast<int>(i % 4) < nonZeroOf4 ? 3.0f : 0.2f; // 0.2 rounds to 0
    b.initializer("w", Tensor::fromFloats({16, 4, 3, 3}, w));
    const std::string wq = b.quant("w", 1.0, 0, 4, true, false);
    b.node("Conv", {xq, wq}, {"y"},
           {{"group", std::int64_t(2)}, {"kernel_shape", std::vector<std::int64_t> {3, 3}},
            {"pads", std::vector<std::int64_t> {1, 1, 1, 1}}});
    b.output("y", {1, 16, 10, 10});
    return ModelDocument::fromProto(b.build());
}

} // namespace

TEST(InferenceCost, GroupedConvExample7a)
{
    const auto doc = groupedConv(4);
    CostOptions dense;
    dense.discountSparsity = false;
    const CostReport r = computeInferenceCost(*doc, dense);
    ASSERT_EQ(r.layers.size(), 1u);
    const LayerCost& l = r.layers[0];
    EXPECT_EQ(l.inputType, "UINT4");
    EXPECT_EQ(l.weightType, "INT4");
    EXPECT_EQ(l.outputType, "INT32");
    EXPECT_EQ(l.dotProductLength, 36);
    EXPECT_EQ(l.macs, 57600);
    EXPECT_EQ(l.bopsQonnx, 921600);
    EXPECT_NEAR(l.bopsUniq, 1680187.6800830772, 1e-6);
    EXPECT_EQ(r.total.at("op_mac_UINT4_INT4"), 57600);
    EXPECT_EQ(r.total.at("mem_w_INT4"), 576);
    EXPECT_EQ(r.total.at("mem_o_INT32"), 1600);
}

TEST(InferenceCost, SparsityDiscountUsesQuantizedWeights)
{
    // One weight in four survives quantization: density 0.25 (example 7a's sparse numbers).
    const auto doc = groupedConv(1);
    const CostReport r = computeInferenceCost(*doc);
    const LayerCost& l = r.layers.at(0);
    EXPECT_DOUBLE_EQ(l.weightDensity, 0.25);
    EXPECT_EQ(l.macs, 14400);
    EXPECT_EQ(l.bopsQonnx, 230400);
    EXPECT_NEAR(l.bopsUniqPruned, 988987.6800830772, 1e-6);
    EXPECT_EQ(r.total.at("mem_w_INT4"), 144);
}
