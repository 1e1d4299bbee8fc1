#pragma once
// Cutting a DAG along its topological order into bounded segments at narrow points, with the ports
// through which tensors cross the cuts. Plain data; no Graphviz.
#include "core/layout/graphlayout.h"
#include "core/layout/topology.h"

#include <vector>

namespace qs {

// One segment: the nodes order[begin, end) plus the ports of the tensors crossing its top and bottom.
struct SegmentSpec {
    int begin = 0, end = 0; // range in Topology::order
    std::vector<int> inPorts; // producers (global node index) above, whose tensor enters from the top
    std::vector<int> outPorts; // producers here or above whose tensor leaves through the bottom
    std::vector<int> internalEdges; // edge indices with both ends in this segment
    std::vector<int> enteringEdges; // edge indices from an in-port's producer to a node here
};

struct Segmentation {
    std::vector<SegmentSpec> segments;
    std::vector<int> segmentOf; // segmentOf[node]
};

// Ports are ordered by the producer's topological position on both sides of every cut, so that the
// lower side of a seam sees the tensors in the same left-to-right order as the upper side.
Segmentation segmentGraph(const LayoutGraph& graph, const Topology& topo, int maxSegmentNodes);

// Index of producer in a port list built by segmentGraph, or -1.
int portIndex(const std::vector<int>& ports, int producer, const Topology& topo);

} // namespace qs
