// The drawable graph: boxes for nodes and graph inputs/outputs, no boxes for initializers, and with
// collapsed quantizers no quantizer boxes but badges on edges (activations) or boxes (weights).
#include "core/modelgraph/modelgraph.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;

TEST(ModelGraph, OneBoxPerNodeAndInputOutputWithEdgesFollowingTensors)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const ModelGraph g = buildModelGraph(*doc);
    // 61 nodes + 1 graph input + 1 graph output.
    EXPECT_EQ(g.items.size(), 63u);
    EXPECT_EQ(g.layout.nodes.size(), g.items.size());
    EXPECT_EQ(g.layout.edges.size(), g.edges.size());
    for (const LayoutEdge& e : g.layout.edges) {
        ASSERT_GE(e.from, 0);
        ASSERT_LT(e.to, static_cast<int>(g.items.size()));
    }
    // Every node-to-node edge corresponds to a tensor produced by the source and read by the target.
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        const ModelGraphItem& from = g.items[static_cast<std::size_t>(g.layout.edges[i].from)];
        if (from.kind != GraphItemKind::Node)
            continue;
        EXPECT_EQ(doc->tensor(g.edges[i].tensor).producer, from.node);
    }
}

TEST(ModelGraph, CollapsingQuantizersLeavesOnlyComputeBoxesWithBadges)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    ModelGraphOptions options;
    options.collapseQuantizers = true;
    const ModelGraph g = buildModelGraph(*doc, options);
    // 61 nodes - 40 Quant nodes + input + output.
    EXPECT_EQ(g.items.size(), 23u);
    int convs = 0;
    for (const ModelGraphItem& item : g.items) {
        if (item.kind != GraphItemKind::Node)
            continue;
        EXPECT_LT(doc->quantizerOfNode(item.node), 0);
        if (doc->node(item.node).opType == "Conv") {
            ++convs;
            EXPECT_EQ(item.weightQuantizers.size(), 2u) << doc->node(item.node).name; // weight + bias
            EXPECT_NE(item.subtitle.find("W:INT"), std::string::npos) << item.subtitle;
        }
    }
    EXPECT_EQ(convs, 10);
    int badged = 0;
    for (const ModelGraphEdge& e : g.edges)
        if (e.quantizer >= 0) {
            ++badged;
            EXPECT_NE(e.label.find("INT"), std::string::npos) << e.label;
        }
    EXPECT_GT(badged, 10);
}

TEST(ModelGraph, QcdqTripletCollapsesIntoOneBadge)
{
    const auto doc = ModelDocument::load(test::model("vww_mobilenet128_qcdq.onnx"));
    ModelGraphOptions options;
    options.collapseQuantizers = true;
    const ModelGraph g = buildModelGraph(*doc, options);
    // 309 nodes - 26*3 (QCDQ) - 77*2 (Q/DQ) + input + output = 79.
    EXPECT_EQ(g.items.size(), 79u);
    EXPECT_EQ(quantizerBadge(doc->quantizers()[1]), "INT8 narrow");
}
