#pragma once
// Layered (top-to-bottom) layout of a DAG of boxes, as plain data, with Graphviz `dot` doing the drawing.
//
// Why not one `dot` run: dot's ranking, crossing minimisation and x placement grow super-linearly on long
// graphs with skip edges (residual 10 000 nodes: ~165 s), while it is quick and good on a few hundred
// nodes (x placement's network simplex dominates; measured with perf). So the graph is cut along a
// topological order into segments of at most maxSegmentNodes (counting labelled edges, which dot turns
// into nodes), each segment is laid out by dot on its own, and the segments are stacked top to bottom:
//  - Cuts go where the fewest producers have consumers beyond the cut (chosen in a window of the second
//    half of each segment), so seams fall at narrow points such as the output of a residual Add.
//  - Every tensor that crosses a cut becomes a tiny port node: an out-port in the bottom rank of the upper
//    segment (rank=sink) and an in-port in the top rank of the lower one (rank=source); a tensor that
//    skips whole segments gets an in→out pass-through in each. So dot itself routes the crossing edges
//    around the boxes and counts them in its crossing minimisation; the stitcher only joins port to
//    port with a short vertical S-curve in the gap between segments. Ports on both sides of a seam are
//    chained in the same (topological) order, so seams add no crossings, and each segment is shifted
//    sideways so the latest producer's path runs straight through the seam.
//  - Since the upper segment is always above the lower one and dot ranks edges downwards, no edge ever
//    points upwards and no two boxes overlap, across seams as inside dot's own layouts.
//  - Segments do not depend on each other, which bounds the work per dot run (near-linear overall),
//    the memory, and the latency of cancellation, and gives progress as segments done / total.
// Graphviz 2.4x is not re-entrant: gvLayout writes process globals (graph_init's State/Ndim/..., the
// static network-simplex and mincross state in dotgen) and cgraph's dictionaries are not thread-safe,
// so every Graphviz call runs under one process-wide lock (graphvizlock.h). Running two gvLayout calls
// concurrently without it crashes (measured, see the bench). Worker threads therefore only overlap
// the plain-data work around dot; dot itself runs one segment at a time.
// Graphs with at most maxSegmentNodes nodes get exactly one dot layout. The result is deterministic:
// the same graph and options always give the same coordinates (dot is deterministic for a given
// input order, the cuts depend only on the graph, and text is measured with Graphviz's built-in font
// metrics rather than the fonts installed on the machine).
#include "core/util/progress.h"

#include <string>
#include <vector>

namespace qs {

struct LayoutNode {
    std::string label;
    double widthPt = 54; // chosen by the caller; points (72/inch)
    double heightPt = 36;
};

struct LayoutEdge {
    int from = 0; // indices into LayoutGraph::nodes
    int to = 0;
    std::string label; // e.g. a tensor shape; may be empty
};

struct LayoutGraph {
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
};

struct PointF {
    double x = 0, y = 0;
};

// Top-left origin, y grows downwards (screen coordinates), points.
struct NodeBox {
    double x = 0, y = 0, width = 0, height = 0;
};

struct EdgeRoute {
    std::vector<PointF>
        points; // cubic Bezier control points, Graphviz style: 1 + 3n; ends at the arrow's base
    PointF arrowTip; // on the consumer's border
    bool hasLabel = false;
    PointF labelPos; // centre of the label
    double labelWidthPt = 0, labelHeightPt = 0;
};

struct GraphLayout {
    std::vector<NodeBox> nodes; // parallel to LayoutGraph::nodes
    std::vector<EdgeRoute> edges; // parallel to LayoutGraph::edges
    double width = 0, height = 0; // bounding box, from (0, 0)
    int segmentCount = 0;
    double layoutMs = 0;
};

struct LayoutOptions {
    // Size of a segment, counted as dot counts work: nodes plus labelled edges (each becomes a label
    // node). Graphs up to this size get one dot run; <= 0: never cut.
    int maxSegmentNodes = 600;
    int threads = 2; // workers around the (serialised) dot runs
    double rankSepPt = 36; // vertical gap between ranks
    double nodeSepPt = 18; // horizontal gap between boxes
    double edgeLabelFontPt = 10;
    bool splines = true; // false: polyline edges
};

// Throws Error if an edge index is out of range or the graph has a cycle, Cancelled if progress asks.
GraphLayout layoutGraph(
    const LayoutGraph& graph, const LayoutOptions& options = {}, const Progress* progress = nullptr);

} // namespace qs
