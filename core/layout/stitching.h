#pragma once
// Stacking laid-out segments top to bottom and joining the routes of edges that cross seams.
#include "core/layout/dotsegment.h"
#include "core/layout/graphlayout.h"
#include "core/layout/segmentation.h"
#include "core/layout/topology.h"

#include <vector>

namespace qs {

// Fills nodes, edges, width and height; the caller sets segmentCount and layoutMs.
GraphLayout stitchSegments(const LayoutGraph& graph, const Topology& topo, const Segmentation& seg,
    const std::vector<SegmentLayout>& parts, const LayoutOptions& options);

} // namespace qs
