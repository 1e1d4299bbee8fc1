#include "core/layout/graphlayout.h"
#include "core/layout/layoutexport.h"
#include "core/layout/syntheticgraphs.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace qs;

TEST(LayoutExport, JsonCarriesEveryNodeAndEdge)
{
    const LayoutGraph graph = makeSyntheticResidual(60, true);
    const GraphLayout layout = layoutGraph(graph);
    const nlohmann::json doc = nlohmann::json::parse(layoutToJson(graph, layout));
    ASSERT_EQ(doc["nodes"].size(), graph.nodes.size());
    ASSERT_EQ(doc["edges"].size(), graph.edges.size());
    EXPECT_EQ(doc["nodes"][0]["label"], graph.nodes[0].label);
    EXPECT_NEAR(doc["nodes"][5]["x"].get<double>(), layout.nodes[5].x, 0.01);
    EXPECT_EQ(doc["edges"][3]["points"].size(), layout.edges[3].points.size());
    EXPECT_FALSE(doc["edges"][3]["labelPos"].is_null());
    EXPECT_EQ(doc["segmentCount"], layout.segmentCount);
}

TEST(LayoutExport, SvgHasOneBoxAndPathPerNodeAndEdgeAndEscapesText)
{
    LayoutGraph graph;
    graph.nodes = {{"a<b", 50, 30}, {"c&d", 50, 30}};
    graph.edges = {{0, 1, "\"x\""}};
    const std::string svg = layoutToSvg(graph, layoutGraph(graph));
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
    EXPECT_NE(svg.find("c&amp;d"), std::string::npos);
    EXPECT_NE(svg.find("&quot;x&quot;"), std::string::npos);
    EXPECT_EQ(svg.find("a<b"), std::string::npos);
    size_t paths = 0;
    for (size_t at = svg.find("<path"); at != std::string::npos; at = svg.find("<path", at + 1))
        ++paths;
    EXPECT_EQ(paths, 1u);
}
