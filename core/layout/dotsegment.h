#pragma once
// One segment laid out by Graphviz dot, converted to plain data in the segment's own coordinates
// (top-left origin, y downwards, points).
#include "core/layout/graphlayout.h"
#include "core/layout/segmentation.h"
#include "core/layout/topology.h"

#include <vector>

namespace qs {

struct SegmentLayout {
    std::vector<NodeBox> nodes; // parallel to order[spec.begin, spec.end)
    std::vector<PointF> inPorts; // port centres, parallel to spec.inPorts
    std::vector<PointF> outPorts; // parallel to spec.outPorts
    std::vector<EdgeRoute> internalEdges; // parallel to spec.internalEdges
    std::vector<EdgeRoute> enteringEdges; // from the in-port to the consumer; parallel to spec.enteringEdges
    std::vector<EdgeRoute> outLegs; // producer (or its in-port) to the out-port, no arrow; per outPort
    double widthPt = 0, heightPt = 0;
};

// Takes graphvizMutex() for the Graphviz part; throws Error if dot fails.
SegmentLayout layoutSegmentWithDot(const LayoutGraph& graph, const Topology& topo, const Segmentation& seg,
    int segmentIndex, const LayoutOptions& options);

} // namespace qs
