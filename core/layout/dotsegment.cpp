#include "core/layout/dotsegment.h"

#include "core/layout/graphvizlock.h"
#include "core/util/error.h"

#include <cstdio>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <string>

namespace qs {
namespace {

constexpr double pointsPerInch = 72.0;
constexpr double portSizeIn = 0.02; // ports are invisible joints; tiny so edges meet nearly at the centre

std::string inches(double points)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", points / pointsPerInch);
    return buffer;
}

char* mutableString(std::string& s)
{
    return s.data();
}

// The attributes used, declared once per graph so that agxset can set them by symbol.
struct Attributes {
    Agsym_t* width;
    Agsym_t* height;
    Agsym_t* edgeLabel;
    Agsym_t* arrowhead;
    Agsym_t* style;
    Agsym_t* weight;
    Agsym_t* rank;

    explicit Attributes(Agraph_t* g, const LayoutOptions& options)
    {
        const auto set = [g](int kind, const char* name, const std::string& value) {
            std::string n = name, v = value;
            return agattr(g, kind, mutableString(n), mutableString(v));
        };
        set(AGRAPH, "rankdir", "TB");
        set(AGRAPH, "ranksep", inches(options.rankSepPt));
        set(AGRAPH, "nodesep", inches(options.nodeSepPt));
        set(AGRAPH, "splines", options.splines ? "spline" : "polyline");
        rank = set(AGRAPH, "rank", "");
        set(AGNODE, "shape", "box");
        set(AGNODE, "fixedsize", "true");
        set(AGNODE, "label", "");
        width = set(AGNODE, "width", "0.75");
        height = set(AGNODE, "height", "0.5");
        set(AGEDGE, "fontname", "Helvetica");
        set(AGEDGE, "fontsize", std::to_string(options.edgeLabelFontPt));
        edgeLabel = set(AGEDGE, "label", "");
        arrowhead = set(AGEDGE, "arrowhead", "normal");
        style = set(AGEDGE, "style", "");
        weight = set(AGEDGE, "weight", "1");
    }
};

void setAttribute(void* object, Agsym_t* symbol, std::string value)
{
    agxset(object, symbol, mutableString(value));
}

Agnode_t* addNode(
    Agraph_t* g, const std::string& name, double widthPt, double heightPt, const Attributes& attrs)
{
    std::string n = name;
    Agnode_t* node = agnode(g, mutableString(n), 1);
    setAttribute(node, attrs.width, inches(widthPt));
    setAttribute(node, attrs.height, inches(heightPt));
    return node;
}

// Ports in a rank of their own (source or sink), chained left to right by invisible flat edges so that
// both sides of a seam keep the same order.
std::vector<Agnode_t*> addPorts(Agraph_t* g, const std::vector<int>& producers, const char* prefix,
    const char* rankName, const Attributes& attrs)
{
    std::vector<Agnode_t*> ports;
    if (producers.empty())
        return ports;
    std::string subgraphName = std::string("qs_") + prefix;
    Agraph_t* sub = agsubg(g, mutableString(subgraphName), 1);
    setAttribute(sub, attrs.rank, rankName);
    for (int producer : producers) {
        Agnode_t* port = addNode(g, prefix + std::to_string(producer), portSizeIn * pointsPerInch,
            portSizeIn * pointsPerInch, attrs);
        agsubnode(sub, port, 1);
        if (!ports.empty()) {
            Agedge_t* chain = agedge(g, ports.back(), port, nullptr, 1);
            setAttribute(chain, attrs.style, "invis");
            setAttribute(chain, attrs.weight, "0");
        }
        ports.push_back(port);
    }
    return ports;
}

// Frees the graph (and its layout) on every exit; declared after the lock so it runs while it is held.
struct GraphGuard {
    GVC_t* gvc;
    Agraph_t* graph;
    bool laidOut = false;
    GraphGuard(GVC_t* context, Agraph_t* g) : gvc(context), graph(g) {}
    GraphGuard(const GraphGuard&) = delete;
    GraphGuard& operator=(const GraphGuard&) = delete;
    ~GraphGuard()
    {
        if (laidOut)
            gvFreeLayout(gvc, graph);
        agclose(graph);
    }
};

struct DotFrame {
    double left, top; // bb.LL.x and bb.UR.y: dot has y upwards
    PointF map(pointf p) const { return {p.x - left, top - p.y}; }
};

EdgeRoute extractRoute(Agedge_t* edge, const DotFrame& frame)
{
    EdgeRoute route;
    const splines* spl = ED_spl(edge);
    if (spl && spl->size > 0) {
        for (int b = 0; b < spl->size; ++b) {
            const bezier& bz = spl->list[b];
            for (int i = b == 0 ? 0 : 1; i < bz.size; ++i) // consecutive pieces share their joint
                route.points.push_back(frame.map(bz.list[i]));
        }
        const bezier& last = spl->list[spl->size - 1];
        route.arrowTip = last.eflag ? frame.map(last.ep) : route.points.back();
    } else { // dot always routes; keep a straight fallback rather than an empty route
        const PointF a = frame.map(ND_coord(agtail(edge))), b = frame.map(ND_coord(aghead(edge)));
        route.points = {a, a, b, b};
        route.arrowTip = b;
    }
    if (const textlabel_t* label = ED_label(edge); label && label->set) {
        route.hasLabel = true;
        route.labelPos = frame.map(label->pos);
        route.labelWidthPt = label->dimen.x;
        route.labelHeightPt = label->dimen.y;
    }
    return route;
}

} // namespace

SegmentLayout layoutSegmentWithDot(const LayoutGraph& graph, const Topology& topo, const Segmentation& seg,
    int segmentIndex, const LayoutOptions& options)
{
    const SegmentSpec& spec = seg.segments[static_cast<size_t>(segmentIndex)];
    const auto localIndex = [&](int node) { return topo.position[static_cast<size_t>(node)] - spec.begin; };
    SegmentLayout out;

    std::lock_guard lock(graphvizMutex());
    GVC_t* gvc = graphvizContext();
    std::string graphName = "segment" + std::to_string(segmentIndex);
    Agraph_t* g = agopen(mutableString(graphName), Agdirected, nullptr);
    GraphGuard guard {gvc, g};
    const Attributes attrs(g, options);

    // Nodes in topological order: dot's initial order then follows the graph's own order.
    std::vector<Agnode_t*> nodes;
    nodes.reserve(static_cast<size_t>(spec.end - spec.begin));
    for (int p = spec.begin; p < spec.end; ++p) {
        const int v = topo.order[static_cast<size_t>(p)];
        const LayoutNode& node = graph.nodes[static_cast<size_t>(v)];
        nodes.push_back(addNode(g, "n" + std::to_string(v), node.widthPt, node.heightPt, attrs));
    }
    const std::vector<Agnode_t*> inPorts = addPorts(g, spec.inPorts, "in", "source", attrs);
    const std::vector<Agnode_t*> outPorts = addPorts(g, spec.outPorts, "out", "sink", attrs);

    const auto addEdge = [&](Agnode_t* tail, Agnode_t* head, const std::string& label, bool arrow) {
        Agedge_t* edge = agedge(g, tail, head, nullptr, 1);
        if (!label.empty())
            setAttribute(edge, attrs.edgeLabel, label);
        if (!arrow)
            setAttribute(edge, attrs.arrowhead, "none");
        return edge;
    };
    std::vector<Agedge_t*> internal, entering, legs;
    for (int e : spec.internalEdges) {
        const LayoutEdge& edge = graph.edges[static_cast<size_t>(e)];
        internal.push_back(addEdge(nodes[static_cast<size_t>(localIndex(edge.from))],
            nodes[static_cast<size_t>(localIndex(edge.to))], edge.label, true));
    }
    for (int e : spec.enteringEdges) {
        const LayoutEdge& edge = graph.edges[static_cast<size_t>(e)];
        const int port = portIndex(spec.inPorts, edge.from, topo);
        entering.push_back(addEdge(inPorts[static_cast<size_t>(port)],
            nodes[static_cast<size_t>(localIndex(edge.to))], edge.label, true));
    }
    for (size_t i = 0; i < spec.outPorts.size(); ++i) {
        const int producer = spec.outPorts[i];
        Agnode_t* tail = seg.segmentOf[static_cast<size_t>(producer)] == segmentIndex
            ? nodes[static_cast<size_t>(localIndex(producer))]
            : inPorts[static_cast<size_t>(portIndex(spec.inPorts, producer, topo))];
        legs.push_back(addEdge(tail, outPorts[i], {}, false));
    }

    if (gvLayout(gvc, g, "dot") != 0)
        throw Error("layout: Graphviz dot failed on segment " + std::to_string(segmentIndex));
    guard.laidOut = true;
    const boxf bb = GD_bb(g);
    const DotFrame frame {bb.LL.x, bb.UR.y};
    out.widthPt = bb.UR.x - bb.LL.x;
    out.heightPt = bb.UR.y - bb.LL.y;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const LayoutNode& node
            = graph.nodes[static_cast<size_t>(topo.order[static_cast<size_t>(spec.begin) + i])];
        const PointF centre = frame.map(ND_coord(nodes[i]));
        out.nodes.push_back(
            {centre.x - node.widthPt / 2, centre.y - node.heightPt / 2, node.widthPt, node.heightPt});
    }
    for (Agnode_t* port : inPorts)
        out.inPorts.push_back(frame.map(ND_coord(port)));
    for (Agnode_t* port : outPorts)
        out.outPorts.push_back(frame.map(ND_coord(port)));
    for (Agedge_t* edge : internal)
        out.internalEdges.push_back(extractRoute(edge, frame));
    for (Agedge_t* edge : entering)
        out.enteringEdges.push_back(extractRoute(edge, frame));
    for (Agedge_t* edge : legs)
        out.outLegs.push_back(extractRoute(edge, frame));
    return out;
}

} // namespace qs
