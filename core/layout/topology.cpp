#include "core/layout/topology.h"

#include "core/util/error.h"

#include <queue>

#include <functional>
#include <string>

namespace qs {
namespace {

std::string nodeName(const LayoutGraph& graph, int node)
{
    const std::string& label = graph.nodes[static_cast<size_t>(node)].label;
    return "'" + label + "' (index " + std::to_string(node) + ")";
}

// Walks predecessors among the nodes Kahn could not order until one repeats: that node is on a cycle.
int nodeOnCycle(const LayoutGraph& graph, const std::vector<int>& remainingInDegree)
{
    std::vector<int> someProducer(graph.nodes.size(), -1);
    for (const LayoutEdge& edge : graph.edges)
        if (remainingInDegree[static_cast<size_t>(edge.from)] > 0)
            someProducer[static_cast<size_t>(edge.to)] = edge.from;
    int node = 0;
    while (remainingInDegree[static_cast<size_t>(node)] == 0)
        ++node;
    std::vector<bool> seen(graph.nodes.size(), false);
    while (!seen[static_cast<size_t>(node)]) {
        seen[static_cast<size_t>(node)] = true;
        node = someProducer[static_cast<size_t>(node)];
    }
    return node;
}

} // namespace

Topology computeTopology(const LayoutGraph& graph)
{
    const int nodeCount = static_cast<int>(graph.nodes.size());
    Topology topo;
    topo.outEdges.resize(graph.nodes.size());
    std::vector<int> inDegree(graph.nodes.size(), 0);
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        const LayoutEdge& edge = graph.edges[e];
        if (edge.from < 0 || edge.from >= nodeCount || edge.to < 0 || edge.to >= nodeCount)
            throw Error("layout: edge " + std::to_string(e) + " (" + std::to_string(edge.from) + " -> "
                + std::to_string(edge.to) + ") refers to a node outside 0.." + std::to_string(nodeCount - 1));
        if (edge.from == edge.to)
            throw Error(
                "layout: the graph has a cycle: node " + nodeName(graph, edge.from) + " feeds itself");
        topo.outEdges[static_cast<size_t>(edge.from)].push_back(static_cast<int>(e));
        ++inDegree[static_cast<size_t>(edge.to)];
    }

    // Kahn with the smallest ready index first: deterministic, and keeps the caller's (usually already
    // topological) order, which keeps branches and components together.
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int v = 0; v < nodeCount; ++v)
        if (inDegree[static_cast<size_t>(v)] == 0)
            ready.push(v);
    topo.order.reserve(graph.nodes.size());
    while (!ready.empty()) {
        const int v = ready.top();
        ready.pop();
        topo.order.push_back(v);
        for (int e : topo.outEdges[static_cast<size_t>(v)]) {
            const int to = graph.edges[static_cast<size_t>(e)].to;
            if (--inDegree[static_cast<size_t>(to)] == 0)
                ready.push(to);
        }
    }
    if (static_cast<int>(topo.order.size()) != nodeCount)
        throw Error(
            "layout: the graph has a cycle through node " + nodeName(graph, nodeOnCycle(graph, inDegree)));

    topo.position.assign(graph.nodes.size(), 0);
    for (size_t i = 0; i < topo.order.size(); ++i)
        topo.position[static_cast<size_t>(topo.order[i])] = static_cast<int>(i);
    return topo;
}

} // namespace qs
