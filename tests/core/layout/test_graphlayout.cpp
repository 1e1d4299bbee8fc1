#include "core/layout/graphlayout.h"
#include "core/layout/syntheticgraphs.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <numeric>
#include <string>

using namespace qs;

namespace {

constexpr double tolerancePt = 1.5; // dot clips edges at the border, up to rounding

double distanceToBox(PointF p, const NodeBox& box)
{
    const double dx = std::max({box.x - p.x, 0.0, p.x - (box.x + box.width)});
    const double dy = std::max({box.y - p.y, 0.0, p.y - (box.y + box.height)});
    return std::hypot(dx, dy);
}

// The invariants every layout must satisfy, whatever the graph and options.
void expectValidLayout(const LayoutGraph& graph, const GraphLayout& layout)
{
    ASSERT_EQ(layout.nodes.size(), graph.nodes.size());
    ASSERT_EQ(layout.edges.size(), graph.edges.size());
    for (size_t v = 0; v < graph.nodes.size(); ++v) {
        const NodeBox& box = layout.nodes[v];
        EXPECT_NEAR(box.width, graph.nodes[v].widthPt, 1e-9);
        EXPECT_NEAR(box.height, graph.nodes[v].heightPt, 1e-9);
        EXPECT_GE(box.x, 0) << "node " << v;
        EXPECT_GE(box.y, 0) << "node " << v;
        EXPECT_LE(box.x + box.width, layout.width) << "node " << v;
        EXPECT_LE(box.y + box.height, layout.height) << "node " << v;
    }
    // No two boxes overlap: sweep over boxes sorted by left edge.
    std::vector<size_t> byX(layout.nodes.size());
    std::iota(byX.begin(), byX.end(), size_t {0});
    std::sort(
        byX.begin(), byX.end(), [&](size_t a, size_t b) { return layout.nodes[a].x < layout.nodes[b].x; });
    for (size_t i = 0; i < byX.size(); ++i) {
        const NodeBox& a = layout.nodes[byX[i]];
        for (size_t j = i + 1; j < byX.size() && layout.nodes[byX[j]].x < a.x + a.width; ++j) {
            const NodeBox& b = layout.nodes[byX[j]];
            const bool apart = b.y >= a.y + a.height || a.y >= b.y + b.height;
            EXPECT_TRUE(apart) << "nodes " << byX[i] << " and " << byX[j] << " overlap";
        }
    }
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        const EdgeRoute& route = layout.edges[e];
        const NodeBox& from = layout.nodes[static_cast<size_t>(graph.edges[e].from)];
        const NodeBox& to = layout.nodes[static_cast<size_t>(graph.edges[e].to)];
        ASSERT_GE(route.points.size(), 4u) << "edge " << e;
        EXPECT_EQ((route.points.size() - 1) % 3, 0u) << "edge " << e;
        EXPECT_LE(distanceToBox(route.points.front(), from), tolerancePt)
            << "edge " << e << " leaves its producer";
        EXPECT_LE(distanceToBox(route.arrowTip, to), tolerancePt) << "edge " << e << " misses its consumer";
        EXPECT_GE(to.y, from.y + from.height) << "edge " << e << " points upwards";
        for (const PointF& p : route.points) {
            EXPECT_GE(p.x, 0);
            EXPECT_GE(p.y, 0);
            EXPECT_LE(p.x, layout.width);
            EXPECT_LE(p.y, layout.height);
        }
        EXPECT_EQ(route.hasLabel, !graph.edges[e].label.empty()) << "edge " << e;
    }
}

void expectSameLayout(const GraphLayout& a, const GraphLayout& b)
{
    ASSERT_EQ(a.nodes.size(), b.nodes.size());
    ASSERT_EQ(a.edges.size(), b.edges.size());
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    for (size_t v = 0; v < a.nodes.size(); ++v) {
        EXPECT_EQ(a.nodes[v].x, b.nodes[v].x);
        EXPECT_EQ(a.nodes[v].y, b.nodes[v].y);
    }
    for (size_t e = 0; e < a.edges.size(); ++e) {
        ASSERT_EQ(a.edges[e].points.size(), b.edges[e].points.size());
        for (size_t i = 0; i < a.edges[e].points.size(); ++i) {
            EXPECT_EQ(a.edges[e].points[i].x, b.edges[e].points[i].x);
            EXPECT_EQ(a.edges[e].points[i].y, b.edges[e].points[i].y);
        }
    }
}

LayoutOptions segmentsOf(int maxSegmentNodes)
{
    LayoutOptions options;
    options.maxSegmentNodes = maxSegmentNodes;
    return options;
}

// A DAG with random long and short edges, fixed seed: exercises pass-through ports and wide seams.
LayoutGraph randomDag(int nodeCount, std::uint32_t seed)
{
    LayoutGraph graph;
    std::uint32_t state = seed;
    const auto next = [&] { return state = state * 1664525u + 1013904223u; };
    for (int v = 0; v < nodeCount; ++v)
        graph.nodes.push_back(
            {"n" + std::to_string(v), 40.0 + static_cast<double>(next() % 60), 20.0 + (next() % 3) * 10});
    for (int v = 1; v < nodeCount; ++v) {
        const int fanIn = 1 + static_cast<int>(next() % 3);
        for (int k = 0; k < fanIn; ++k) {
            const int span = next() % 5 == 0
                ? 1 + static_cast<int>(next() % static_cast<std::uint32_t>(v))
                : 1 + static_cast<int>(next() % std::min<std::uint32_t>(4u, static_cast<std::uint32_t>(v)));
            graph.edges.push_back({std::max(0, v - span), v, next() % 4 == 0 ? "1x8" : ""});
        }
    }
    return graph;
}

} // namespace

TEST(GraphLayout, SmallGraphGetsOneDotLayout)
{
    const LayoutGraph graph = makeAdderNetLike();
    ASSERT_GT(graph.nodes.size(), 500u);
    const GraphLayout layout = layoutGraph(graph);
    EXPECT_EQ(layout.segmentCount, 1);
    expectValidLayout(graph, layout);
}

TEST(GraphLayout, ResidualGraphIsSegmentedAndValid)
{
    const LayoutGraph graph = makeSyntheticResidual(2000);
    const GraphLayout layout = layoutGraph(graph);
    EXPECT_GT(layout.segmentCount, 1);
    expectValidLayout(graph, layout);
}

TEST(GraphLayout, ManySmallSegmentsWithLabelsStayValid)
{
    const LayoutGraph graph = makeSyntheticResidual(700, true);
    const GraphLayout layout = layoutGraph(graph, segmentsOf(60));
    EXPECT_GT(layout.segmentCount, 15);
    expectValidLayout(graph, layout);
}

TEST(GraphLayout, LongEdgesPassThroughSegments)
{
    for (std::uint32_t seed : {1u, 7u, 42u}) {
        const LayoutGraph graph = randomDag(400, seed);
        const GraphLayout layout = layoutGraph(graph, segmentsOf(50));
        EXPECT_GT(layout.segmentCount, 5);
        expectValidLayout(graph, layout);
    }
}

TEST(GraphLayout, ModelZooShapeCutIntoSegmentsStaysValid)
{
    const LayoutGraph graph = makeAdderNetLike(true);
    expectValidLayout(graph, layoutGraph(graph, segmentsOf(80)));
}

TEST(GraphLayout, IsDeterministicAcrossRunsAndThreadCounts)
{
    const LayoutGraph graph = randomDag(600, 3);
    LayoutOptions options = segmentsOf(100);
    const GraphLayout first = layoutGraph(graph, options);
    expectSameLayout(first, layoutGraph(graph, options));
    options.threads = 1;
    expectSameLayout(first, layoutGraph(graph, options));
    options.threads = 4;
    expectSameLayout(first, layoutGraph(graph, options));
}

TEST(GraphLayout, ComponentsIsolatedNodesAndMultiEdges)
{
    LayoutGraph graph;
    for (int v = 0; v < 9; ++v)
        graph.nodes.push_back({"v" + std::to_string(v), 50, 30});
    graph.edges = {{0, 1, ""}, {0, 1, "twice"}, {1, 2, ""}, {3, 4, ""}, {5, 4, ""}, {6, 8, ""}};
    expectValidLayout(graph, layoutGraph(graph));
    expectValidLayout(graph, layoutGraph(graph, segmentsOf(2)));
}

TEST(GraphLayout, EmptyAndSingleNodeGraphs)
{
    const GraphLayout empty = layoutGraph({});
    EXPECT_TRUE(empty.nodes.empty());
    EXPECT_EQ(empty.width, 0);
    LayoutGraph one;
    one.nodes.push_back({"only", 80, 40});
    const GraphLayout layout = layoutGraph(one);
    expectValidLayout(one, layout);
    EXPECT_EQ(layout.segmentCount, 1);
}

TEST(GraphLayout, RejectsCyclesAndBadIndices)
{
    LayoutGraph graph;
    for (const char* name : {"a", "b", "c"})
        graph.nodes.push_back({name, 40, 20});
    graph.edges = {{0, 1, ""}, {1, 2, ""}, {2, 1, ""}};
    try {
        layoutGraph(graph);
        FAIL() << "a cycle must be rejected";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("cycle"), std::string::npos) << error.what();
        EXPECT_TRUE(std::string(error.what()).find("'b'") != std::string::npos
            || std::string(error.what()).find("'c'") != std::string::npos)
            << error.what();
    }
    graph.edges = {{0, 0, ""}};
    EXPECT_THROW(layoutGraph(graph), Error);
    graph.edges = {{0, 3, ""}};
    EXPECT_THROW(layoutGraph(graph), Error);
    graph.edges = {{-1, 2, ""}};
    EXPECT_THROW(layoutGraph(graph), Error);
}

TEST(GraphLayout, ReportsSegmentsDoneAndCancels)
{
    const LayoutGraph graph = makeSyntheticResidual(600);
    std::vector<std::int64_t> done;
    std::int64_t reportedTotal = 0;
    Progress progress([&](std::int64_t d, std::int64_t total, std::string_view) {
        done.push_back(d);
        reportedTotal = total;
    });
    const GraphLayout layout = layoutGraph(graph, segmentsOf(100), &progress);
    EXPECT_EQ(reportedTotal, layout.segmentCount);
    ASSERT_FALSE(done.empty());
    EXPECT_EQ(done.back(), layout.segmentCount);
    EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));

    Progress* self = nullptr;
    Progress cancelAfterFirst([&](std::int64_t d, std::int64_t, std::string_view) {
        if (d >= 1)
            self->cancel();
    });
    self = &cancelAfterFirst;
    EXPECT_THROW(layoutGraph(graph, segmentsOf(100), &cancelAfterFirst), Cancelled);

    Progress cancelledBefore;
    cancelledBefore.cancel();
    EXPECT_THROW(layoutGraph(graph, {}, &cancelledBefore), Cancelled);
}
