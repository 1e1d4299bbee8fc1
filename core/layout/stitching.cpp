#include "core/layout/stitching.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {
namespace {

constexpr double marginPt = 4; // room for strokes and arrowheads at the border

struct Offset {
    double x = 0, y = 0;
};

EdgeRoute translated(EdgeRoute route, Offset d)
{
    for (PointF& p : route.points)
        p = {p.x + d.x, p.y + d.y};
    route.arrowTip = {route.arrowTip.x + d.x, route.arrowTip.y + d.y};
    route.labelPos = {route.labelPos.x + d.x, route.labelPos.y + d.y};
    return route;
}

// Appends next to route: an S-curve with vertical tangents bridges the seam between port and port.
void join(EdgeRoute& route, const EdgeRoute& next)
{
    const PointF a = route.points.back(), b = next.points.front();
    const double dy = b.y - a.y;
    if (std::abs(b.x - a.x) > 1e-6 || std::abs(dy) > 1e-6) {
        if (dy > 0)
            route.points.insert(route.points.end(), {{a.x, a.y + dy / 2}, {b.x, b.y - dy / 2}, b});
        else
            route.points.insert(route.points.end(),
                {{a.x + (b.x - a.x) / 3, a.y + dy / 3}, {a.x + 2 * (b.x - a.x) / 3, a.y + 2 * dy / 3}, b});
    }
    route.points.insert(route.points.end(), next.points.begin() + 1, next.points.end());
    route.arrowTip = next.arrowTip;
    route.hasLabel = next.hasLabel;
    route.labelPos = next.labelPos;
    route.labelWidthPt = next.labelWidthPt;
    route.labelHeightPt = next.labelHeightPt;
}

// Segment k's offset: below k-1, shifted sideways so the seam's latest producer runs straight; without
// ports the segments are centred on each other.
std::vector<Offset> placeSegments(const std::vector<SegmentLayout>& parts, double gapPt)
{
    std::vector<Offset> offsets(parts.size());
    for (size_t k = 1; k < parts.size(); ++k) {
        const SegmentLayout& above = parts[k - 1];
        const SegmentLayout& below = parts[k];
        offsets[k].y = offsets[k - 1].y + above.heightPt + gapPt;
        if (!below.inPorts.empty()) // inPorts(k) == outPorts(k-1), sorted by producer position
            offsets[k].x = offsets[k - 1].x + above.outPorts.back().x - below.inPorts.back().x;
        else
            offsets[k].x = offsets[k - 1].x + (above.widthPt - below.widthPt) / 2;
    }
    return offsets;
}

struct Bounds {
    double minX = std::numeric_limits<double>::max(), minY = minX;
    double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
    void add(double x, double y)
    {
        minX = std::min(minX, x);
        minY = std::min(minY, y);
        maxX = std::max(maxX, x);
        maxY = std::max(maxY, y);
    }
};

} // namespace

GraphLayout stitchSegments(const LayoutGraph& graph, const Topology& topo, const Segmentation& seg,
    const std::vector<SegmentLayout>& parts, const LayoutOptions& options)
{
    GraphLayout layout;
    const std::vector<Offset> offsets = placeSegments(parts, options.rankSepPt / 2);

    layout.nodes.resize(graph.nodes.size());
    for (size_t k = 0; k < parts.size(); ++k) {
        const SegmentSpec& spec = seg.segments[k];
        for (int p = spec.begin; p < spec.end; ++p) {
            NodeBox box = parts[k].nodes[static_cast<size_t>(p - spec.begin)];
            box.x += offsets[k].x;
            box.y += offsets[k].y;
            layout.nodes[static_cast<size_t>(topo.order[static_cast<size_t>(p)])] = box;
        }
    }

    // Where each edge's route lives in its consumer's segment.
    std::vector<int> slot(graph.edges.size(), -1);
    for (const SegmentSpec& spec : seg.segments) {
        for (size_t i = 0; i < spec.internalEdges.size(); ++i)
            slot[static_cast<size_t>(spec.internalEdges[i])] = static_cast<int>(i);
        for (size_t i = 0; i < spec.enteringEdges.size(); ++i)
            slot[static_cast<size_t>(spec.enteringEdges[i])] = static_cast<int>(i);
    }
    layout.edges.resize(graph.edges.size());
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        const LayoutEdge& edge = graph.edges[e];
        const auto from = static_cast<size_t>(seg.segmentOf[static_cast<size_t>(edge.from)]);
        const auto to = static_cast<size_t>(seg.segmentOf[static_cast<size_t>(edge.to)]);
        const auto s = static_cast<size_t>(slot[e]);
        if (from == to) {
            layout.edges[e] = translated(parts[to].internalEdges[s], offsets[to]);
            continue;
        }
        // Producer → out-port, then in-port → out-port through every skipped segment, then in-port →
        // consumer.
        EdgeRoute route;
        for (size_t k = from; k < to; ++k) {
            const auto leg = static_cast<size_t>(portIndex(seg.segments[k].outPorts, edge.from, topo));
            EdgeRoute piece = translated(parts[k].outLegs[leg], offsets[k]);
            if (k == from)
                route = std::move(piece);
            else
                join(route, piece);
        }
        join(route, translated(parts[to].enteringEdges[s], offsets[to]));
        layout.edges[e] = std::move(route);
    }

    Bounds bounds;
    for (const NodeBox& box : layout.nodes) {
        bounds.add(box.x, box.y);
        bounds.add(box.x + box.width, box.y + box.height);
    }
    for (const EdgeRoute& route : layout.edges) {
        for (const PointF& p : route.points)
            bounds.add(p.x, p.y);
        bounds.add(route.arrowTip.x, route.arrowTip.y);
        if (route.hasLabel) {
            bounds.add(route.labelPos.x - route.labelWidthPt / 2, route.labelPos.y - route.labelHeightPt / 2);
            bounds.add(route.labelPos.x + route.labelWidthPt / 2, route.labelPos.y + route.labelHeightPt / 2);
        }
    }
    if (layout.nodes.empty())
        return layout;
    const Offset shift {marginPt - bounds.minX, marginPt - bounds.minY};
    for (NodeBox& box : layout.nodes) {
        box.x += shift.x;
        box.y += shift.y;
    }
    for (EdgeRoute& route : layout.edges)
        route = translated(std::move(route), shift);
    layout.width = bounds.maxX - bounds.minX + 2 * marginPt;
    layout.height = bounds.maxY - bounds.minY + 2 * marginPt;
    return layout;
}

} // namespace qs
