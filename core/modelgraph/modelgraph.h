#pragma once
// The graph the user sees: one box per ONNX node (initializers are not boxes), plus boxes for graph
// inputs and outputs. With collapseQuantizers every quantizer (a QONNX node or a QCDQ chain)
// disappears into a badge on the edge it quantizes, or on the consuming box for weights — fewer
// boxes, faster layout. Box sizes are estimated from the text so the layout leaves room for it.
#include "core/layout/graphlayout.h"
#include "core/model/modeldocument.h"

#include <string>
#include <vector>

namespace qs {

struct ModelGraphOptions {
    bool collapseQuantizers = false;
    bool edgeLabels = true; // tensor shapes on edges
};

enum class GraphItemKind { Node, GraphInput, GraphOutput };

struct ModelGraphItem {
    GraphItemKind kind = GraphItemKind::Node;
    NodeId node = -1;     // for Node
    TensorId tensor = -1; // for GraphInput / GraphOutput
    int quantizer = -1;   // the quantizer this node belongs to (not collapsed), -1 otherwise
    std::vector<int> weightQuantizers; // collapsed quantizers on this box's constant inputs
    std::string title;    // op type, or the input/output name
    std::string subtitle; // datatype of a quantizer ("INT4", "UINT8 narrow"), weight badges, ...
};

struct ModelGraphEdge {
    TensorId tensor = -1;
    int quantizer = -1; // collapsed quantizer shown as a badge on this edge, -1 if none
    std::string label;  // shape, prefixed by the badge when collapsed
};

struct ModelGraph {
    LayoutGraph layout;                  // what core/layout lays out (indices match items/edges)
    std::vector<ModelGraphItem> items;
    std::vector<ModelGraphEdge> edges;
    std::vector<int> itemOfNode;         // NodeId -> item index, -1 when hidden (collapsed quantizer)
};

ModelGraph buildModelGraph(const ModelDocument& doc, const ModelGraphOptions& options = {});

// "INT4", "UINT8 narrow", "BIPOLAR", "SCALEDINT<8> per-ch" ... short enough for a badge.
std::string quantizerBadge(const Quantizer& q);

} // namespace qs
