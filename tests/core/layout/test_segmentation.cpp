#include "core/layout/segmentation.h"
#include "core/layout/syntheticgraphs.h"
#include "core/layout/topology.h"

#include <algorithm>
#include <gtest/gtest.h>

using namespace qs;

TEST(Segmentation, CoversTheTopologicalOrderWithBoundedSegments)
{
    const LayoutGraph graph = makeSyntheticResidual(1000);
    const Topology topo = computeTopology(graph);
    const Segmentation seg = segmentGraph(graph, topo, 100);
    ASSERT_GT(seg.segments.size(), 1u);
    int expectedBegin = 0;
    for (const SegmentSpec& spec : seg.segments) {
        EXPECT_EQ(spec.begin, expectedBegin);
        EXPECT_GT(spec.end, spec.begin);
        EXPECT_LE(spec.end - spec.begin, 100);
        expectedBegin = spec.end;
    }
    EXPECT_EQ(expectedBegin, 1000);
}

TEST(Segmentation, CutsResidualChainsAtTheAddOutputs)
{
    // Right after an Add only its output crosses (to the next Quant and the next Add): one port.
    const LayoutGraph graph = makeSyntheticResidual(1000);
    const Topology topo = computeTopology(graph);
    const Segmentation seg = segmentGraph(graph, topo, 100);
    for (size_t k = 1; k < seg.segments.size(); ++k) {
        const SegmentSpec& spec = seg.segments[k];
        ASSERT_EQ(spec.inPorts.size(), 1u) << "segment " << k;
        EXPECT_EQ(graph.nodes[static_cast<size_t>(spec.inPorts[0])].label.rfind("Add_", 0), 0u);
        EXPECT_EQ(seg.segments[k - 1].outPorts, spec.inPorts);
    }
}

TEST(Segmentation, LabelledEdgesCountTowardsTheSegmentSize)
{
    const LayoutGraph plain = makeSyntheticChain(400);
    const LayoutGraph labelled = makeSyntheticChain(400, true);
    const auto segments
        = [](const LayoutGraph& g) { return segmentGraph(g, computeTopology(g), 100).segments.size(); };
    EXPECT_GT(segments(labelled), segments(plain));
}

TEST(Segmentation, LongEdgesGetPortsInEverySegmentTheySkip)
{
    LayoutGraph graph;
    for (int v = 0; v < 40; ++v)
        graph.nodes.push_back({"n", 40, 20});
    for (int v = 1; v < 40; ++v)
        graph.edges.push_back({v - 1, v, ""});
    graph.edges.push_back({0, 39, ""}); // from the first segment to the last
    const Topology topo = computeTopology(graph);
    const Segmentation seg = segmentGraph(graph, topo, 10);
    ASSERT_GE(seg.segments.size(), 4u);
    for (size_t k = 0; k + 1 < seg.segments.size(); ++k) {
        EXPECT_GE(portIndex(seg.segments[k].outPorts, 0, topo), 0) << "segment " << k;
        EXPECT_GE(portIndex(seg.segments[k + 1].inPorts, 0, topo), 0) << "segment " << k + 1;
    }
    const std::vector<int>& entering = seg.segments.back().enteringEdges;
    EXPECT_NE(std::find(entering.begin(), entering.end(), 39), entering.end());
}

TEST(Topology, KeepsTheCallersOrderWhenItIsTopological)
{
    const LayoutGraph graph = makeAdderNetLike();
    const Topology topo = computeTopology(graph);
    for (const LayoutEdge& edge : graph.edges)
        EXPECT_LT(topo.position[static_cast<size_t>(edge.from)], topo.position[static_cast<size_t>(edge.to)]);
}
