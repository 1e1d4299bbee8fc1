#include "core/layout/segmentation.h"

#include <algorithm>

namespace qs {
namespace {

// crossing[p] = number of producers before position p with a consumer at p or later, i.e. the number of
// ports a cut just before position p needs.
std::vector<int> crossingProducers(const LayoutGraph& graph, const Topology& topo)
{
    const size_t n = topo.order.size();
    std::vector<int> delta(n + 1, 0);
    for (size_t v = 0; v < n; ++v) {
        int lastConsumer = -1;
        for (int e : topo.outEdges[v])
            lastConsumer = std::max(
                lastConsumer, topo.position[static_cast<size_t>(graph.edges[static_cast<size_t>(e)].to)]);
        const int from = topo.position[v];
        if (lastConsumer > from) {
            ++delta[static_cast<size_t>(from + 1)];
            --delta[static_cast<size_t>(lastConsumer + 1)];
        }
    }
    std::vector<int> crossing(n + 1, 0);
    int running = 0;
    for (size_t p = 0; p <= n; ++p) {
        running += delta[p];
        crossing[p] = running;
    }
    return crossing;
}

// Dot's work per node: a labelled edge becomes a label node of its own (and doubles the ranks).
std::vector<int> cumulativeDotNodes(const LayoutGraph& graph, const Topology& topo)
{
    std::vector<int> labelledInputs(topo.order.size(), 0);
    for (const LayoutEdge& edge : graph.edges)
        if (!edge.label.empty())
            ++labelledInputs[static_cast<size_t>(edge.to)];
    std::vector<int> cumulative(topo.order.size() + 1, 0);
    for (size_t p = 0; p < topo.order.size(); ++p)
        cumulative[p + 1] = cumulative[p] + 1 + labelledInputs[static_cast<size_t>(topo.order[p])];
    return cumulative;
}

// Cut positions: each segment holds between half and all of maxDotNodes and ends where the fewest
// tensors cross (the latest such point, so segments stay large and few).
std::vector<int> chooseCuts(
    const std::vector<int>& crossing, const std::vector<int>& dotNodes, int maxDotNodes)
{
    const int nodeCount = static_cast<int>(dotNodes.size()) - 1;
    std::vector<int> cuts {0};
    int start = 0;
    while (dotNodes[static_cast<size_t>(nodeCount)] - dotNodes[static_cast<size_t>(start)] > maxDotNodes) {
        const auto within = [&](int p, int budget) {
            return dotNodes[static_cast<size_t>(p)] - dotNodes[static_cast<size_t>(start)] <= budget;
        };
        int hi = start + 1;
        while (hi < nodeCount && within(hi + 1, maxDotNodes))
            ++hi;
        int lo = start + 1;
        while (lo < hi && within(lo, maxDotNodes / 2))
            ++lo;
        int best = hi;
        for (int p = hi; p >= lo; --p)
            if (crossing[static_cast<size_t>(p)] < crossing[static_cast<size_t>(best)])
                best = p;
        cuts.push_back(best);
        start = best;
    }
    cuts.push_back(nodeCount);
    return cuts;
}

} // namespace

Segmentation segmentGraph(const LayoutGraph& graph, const Topology& topo, int maxSegmentNodes)
{
    const int nodeCount = static_cast<int>(topo.order.size());
    Segmentation seg;
    seg.segmentOf.assign(topo.order.size(), 0);
    if (nodeCount == 0)
        return seg;

    const std::vector<int> dotNodes = cumulativeDotNodes(graph, topo);
    const std::vector<int> cuts = maxSegmentNodes > 0 && dotNodes.back() > maxSegmentNodes
        ? chooseCuts(crossingProducers(graph, topo), dotNodes, maxSegmentNodes)
        : std::vector<int> {0, nodeCount};
    seg.segments.resize(cuts.size() - 1);
    for (size_t k = 0; k + 1 < cuts.size(); ++k) {
        seg.segments[k].begin = cuts[k];
        seg.segments[k].end = cuts[k + 1];
        for (int p = cuts[k]; p < cuts[k + 1]; ++p)
            seg.segmentOf[static_cast<size_t>(topo.order[static_cast<size_t>(p)])] = static_cast<int>(k);
    }

    // Walking producers in topological order appends ports already sorted by producer position.
    for (int p = 0; p < nodeCount; ++p) {
        const int producer = topo.order[static_cast<size_t>(p)];
        const int home = seg.segmentOf[static_cast<size_t>(producer)];
        int lastSegment = home;
        for (int e : topo.outEdges[static_cast<size_t>(producer)]) {
            const int consumerSegment
                = seg.segmentOf[static_cast<size_t>(graph.edges[static_cast<size_t>(e)].to)];
            lastSegment = std::max(lastSegment, consumerSegment);
            if (consumerSegment == home)
                seg.segments[static_cast<size_t>(home)].internalEdges.push_back(e);
            else
                seg.segments[static_cast<size_t>(consumerSegment)].enteringEdges.push_back(e);
        }
        for (int k = home; k < lastSegment; ++k) {
            seg.segments[static_cast<size_t>(k)].outPorts.push_back(producer);
            seg.segments[static_cast<size_t>(k + 1)].inPorts.push_back(producer);
        }
    }
    return seg;
}

int portIndex(const std::vector<int>& ports, int producer, const Topology& topo)
{
    const int target = topo.position[static_cast<size_t>(producer)];
    const auto it = std::lower_bound(ports.begin(), ports.end(), target,
        [&](int port, int position) { return topo.position[static_cast<size_t>(port)] < position; });
    return it != ports.end() && *it == producer ? static_cast<int>(it - ports.begin()) : -1;
}

} // namespace qs
