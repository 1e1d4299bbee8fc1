#pragma once
// Validation and topological order of a LayoutGraph: the input to segmentation.
#include "core/layout/graphlayout.h"

#include <vector>

namespace qs {

struct Topology {
    std::vector<int> order; // node indices, producers before consumers
    std::vector<int> position; // position[node] = index into order
    std::vector<std::vector<int>> outEdges; // outEdges[node] = edge indices leaving it, in input order
};

// Throws Error for an edge index out of range or a cycle (naming a node on it).
Topology computeTopology(const LayoutGraph& graph);

} // namespace qs
