#include "core/layout/layoutexport.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace qs {
namespace {

constexpr double arrowHalfWidthPt = 3.5;

std::string escapeXml(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

std::string xy(PointF p)
{
    return number(p.x) + "," + number(p.y);
}

std::string edgePath(const EdgeRoute& route)
{
    std::string d = "M" + xy(route.points.front());
    for (size_t i = 1; i + 2 < route.points.size(); i += 3)
        d += " C" + xy(route.points[i]) + " " + xy(route.points[i + 1]) + " " + xy(route.points[i + 2]);
    return d;
}

// Filled triangle from the route's end (the arrow's base) to the tip.
std::string arrowHead(const EdgeRoute& route)
{
    const PointF base = route.points.back(), tip = route.arrowTip;
    const double dx = tip.x - base.x, dy = tip.y - base.y, length = std::hypot(dx, dy);
    if (length < 1e-6)
        return {};
    const double nx = -dy / length * arrowHalfWidthPt, ny = dx / length * arrowHalfWidthPt;
    return "<polygon points=\"" + xy({base.x + nx, base.y + ny}) + " " + xy(tip) + " "
        + xy({base.x - nx, base.y - ny}) + "\"/>\n";
}

double rounded(double value)
{
    return std::round(value * 100) / 100;
}

nlohmann::json point(PointF p)
{
    return nlohmann::json::array({rounded(p.x), rounded(p.y)});
}

} // namespace

std::string layoutToSvg(const LayoutGraph& graph, const GraphLayout& layout)
{
    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
        + number(layout.width) + "pt\" height=\"" + number(layout.height) + "pt\" viewBox=\"0 0 "
        + number(layout.width) + " " + number(layout.height) + "\">\n"
        + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
          "<g fill=\"none\" stroke=\"#444\" stroke-width=\"1\">\n";
    for (const EdgeRoute& route : layout.edges)
        if (!route.points.empty())
            svg += "<path d=\"" + edgePath(route) + "\"/>\n";
    svg += "</g>\n<g fill=\"#444\">\n";
    for (const EdgeRoute& route : layout.edges)
        if (!route.points.empty())
            svg += arrowHead(route);
    svg += "</g>\n<g font-family=\"Helvetica,Arial,sans-serif\" font-size=\"10\" fill=\"#666\" "
           "text-anchor=\"middle\" dominant-baseline=\"central\">\n";
    for (size_t e = 0; e < layout.edges.size(); ++e)
        if (layout.edges[e].hasLabel)
            svg += "<text x=\"" + number(layout.edges[e].labelPos.x) + "\" y=\""
                + number(layout.edges[e].labelPos.y) + "\">" + escapeXml(graph.edges[e].label) + "</text>\n";
    svg += "</g>\n<g font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\" text-anchor=\"middle\" "
           "dominant-baseline=\"central\">\n";
    for (size_t v = 0; v < layout.nodes.size(); ++v) {
        const NodeBox& box = layout.nodes[v];
        svg += "<rect x=\"" + number(box.x) + "\" y=\"" + number(box.y) + "\" width=\"" + number(box.width)
            + "\" height=\"" + number(box.height) + "\" rx=\"3\" fill=\"#eef3fb\" stroke=\"#345\"/>";
        svg += "<text x=\"" + number(box.x + box.width / 2) + "\" y=\"" + number(box.y + box.height / 2)
            + "\">" + escapeXml(graph.nodes[v].label) + "</text>\n";
    }
    svg += "</g>\n</svg>\n";
    return svg;
}

std::string layoutToJson(const LayoutGraph& graph, const GraphLayout& layout)
{
    nlohmann::json nodes = nlohmann::json::array();
    for (size_t v = 0; v < layout.nodes.size(); ++v) {
        const NodeBox& box = layout.nodes[v];
        nodes.push_back({{"label", graph.nodes[v].label}, {"x", rounded(box.x)}, {"y", rounded(box.y)},
            {"width", rounded(box.width)}, {"height", rounded(box.height)}});
    }
    nlohmann::json edges = nlohmann::json::array();
    for (size_t e = 0; e < layout.edges.size(); ++e) {
        const EdgeRoute& route = layout.edges[e];
        nlohmann::json points = nlohmann::json::array();
        for (const PointF& p : route.points)
            points.push_back(point(p));
        edges.push_back(
            {{"from", graph.edges[e].from}, {"to", graph.edges[e].to}, {"label", graph.edges[e].label},
                {"points", std::move(points)}, {"arrowTip", point(route.arrowTip)},
                {"labelPos", route.hasLabel ? point(route.labelPos) : nlohmann::json(nullptr)}});
    }
    const nlohmann::json doc {{"width", rounded(layout.width)}, {"height", rounded(layout.height)},
        {"segmentCount", layout.segmentCount}, {"layoutMs", rounded(layout.layoutMs)},
        {"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
    return doc.dump();
}

} // namespace qs
