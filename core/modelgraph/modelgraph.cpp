#include "core/modelgraph/modelgraph.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace qs {
namespace {

// Rough text metrics in points (the view draws with a ~9 pt UI font).
constexpr double kCharWidthPt = 6.2;
constexpr double kPaddingPt = 18.0;
constexpr double kLineHeightPt = 13.0;

void sizeBox(LayoutNode& box, const std::string& title, const std::string& subtitle)
{
    const std::size_t longest = std::max(title.size(), subtitle.size());
    box.label = title;
    box.widthPt = std::max(54.0, static_cast<double>(longest) * kCharWidthPt + kPaddingPt);
    box.heightPt = subtitle.empty() ? 26.0 : 26.0 + kLineHeightPt;
}

std::string shapeLabel(const TensorInfo& t)
{
    if (!t.dims)
        return {};
    std::string s;
    for (std::size_t i = 0; i < t.dims->size(); ++i) {
        const Dim& d = (*t.dims)[i];
        s += (i ? "\xC3\x97" : "") + (d.isKnown() ? std::to_string(d.value) : (d.symbol.empty() ? "?" : d.symbol));
    }
    return s;
}

} // namespace

std::string quantizerBadge(const Quantizer& q)
{
    std::string badge = q.dataType;
    if (q.kind == QuantizerKind::IntQuant || q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ) {
        // SCALEDINT<n> says little to a user; show the integer type the codes live in.
        if (q.bitWidth && badge.rfind("SCALEDINT", 0) == 0)
            badge = (q.isSigned ? "INT" : "UINT") + std::to_string(static_cast<int>(*q.bitWidth));
        if (q.narrow)
            badge += " narrow";
    }
    if (q.scale.isPerChannel())
        badge += " per-ch";
    return badge;
}

ModelGraph buildModelGraph(const ModelDocument& doc, const ModelGraphOptions& options)
{
    const GraphIndex& graph = doc.graph();
    ModelGraph out;
    out.itemOfNode.assign(static_cast<std::size_t>(graph.nodeCount()), -1);
    auto hidden = [&](NodeId id) { return options.collapseQuantizers && doc.quantizerOfNode(id) >= 0; };

    std::vector<int> itemOfInput(static_cast<std::size_t>(graph.tensorCount()), -1);
    auto addItem = [&](ModelGraphItem item) {
        LayoutNode box;
        sizeBox(box, item.title, item.subtitle);
        out.layout.nodes.push_back(std::move(box));
        out.items.push_back(std::move(item));
        return static_cast<int>(out.items.size()) - 1;
    };
    for (TensorId t : graph.graphInputs()) {
        ModelGraphItem item;
        item.kind = GraphItemKind::GraphInput;
        item.tensor = t;
        item.title = graph.tensor(t).name;
        item.subtitle = shapeLabel(graph.tensor(t));
        itemOfInput[static_cast<std::size_t>(t)] = addItem(std::move(item));
    }
    for (NodeId id : graph.topologicalOrder()) {
        if (hidden(id))
            continue;
        const NodeInfo& node = graph.node(id);
        ModelGraphItem item;
        item.node = id;
        item.title = node.opType;
        item.quantizer = doc.quantizerOfNode(id);
        if (item.quantizer >= 0)
            item.subtitle = quantizerBadge(doc.quantizers()[static_cast<std::size_t>(item.quantizer)]);
        if (options.collapseQuantizers) {
            for (TensorId t : node.inputs) {
                const NodeId producer = t >= 0 ? graph.tensor(t).producer : -1;
                const int q = producer >= 0 ? doc.quantizerOfNode(producer) : -1;
                if (q >= 0 && doc.quantizers()[static_cast<std::size_t>(q)].role != QuantizerRole::Activation
                    && doc.quantizers()[static_cast<std::size_t>(q)].role != QuantizerRole::GraphInput
                    && graph.tensor(doc.quantizers()[static_cast<std::size_t>(q)].input).isConstant) {
                    item.weightQuantizers.push_back(q);
                    const Quantizer& wq = doc.quantizers()[static_cast<std::size_t>(q)];
                    item.subtitle += (item.subtitle.empty() ? "" : " ")
                        + std::string(wq.role == QuantizerRole::Bias ? "B:" : "W:") + quantizerBadge(wq);
                }
            }
        }
        out.itemOfNode[static_cast<std::size_t>(id)] = addItem(std::move(item));
    }
    std::vector<int> itemOfOutput;
    for (TensorId t : graph.graphOutputs()) {
        ModelGraphItem item;
        item.kind = GraphItemKind::GraphOutput;
        item.tensor = t;
        item.title = graph.tensor(t).name;
        item.subtitle = shapeLabel(graph.tensor(t));
        itemOfOutput.push_back(addItem(std::move(item)));
    }

    // Where a tensor's value comes from in the drawing: its producer's box, the graph input box, or
    // (collapsed) the source of the quantizer that produced it.
    std::function<std::pair<int, int>(TensorId, int)> sourceOf = [&](TensorId t, int depth) -> std::pair<int, int> {
        if (t < 0 || depth > 8)
            return {-1, -1};
        if (itemOfInput[static_cast<std::size_t>(t)] >= 0)
            return {itemOfInput[static_cast<std::size_t>(t)], -1};
        const NodeId producer = graph.tensor(t).producer;
        if (producer < 0)
            return {-1, -1}; // initializer: not drawn
        if (!hidden(producer))
            return {out.itemOfNode[static_cast<std::size_t>(producer)], -1};
        const int q = doc.quantizerOfNode(producer);
        const Quantizer& quantizer = doc.quantizers()[static_cast<std::size_t>(q)];
        if (quantizer.output != t)
            return {-1, -1}; // an inner tensor of a QCDQ chain
        return {sourceOf(quantizer.input, depth + 1).first, q};
    };
    auto addEdge = [&](int from, int to, TensorId t, int quantizer) {
        if (from < 0 || to < 0)
            return;
        ModelGraphEdge edge;
        edge.tensor = t;
        edge.quantizer = quantizer;
        if (options.edgeLabels)
            edge.label = shapeLabel(graph.tensor(t));
        if (quantizer >= 0)
            edge.label = quantizerBadge(doc.quantizers()[static_cast<std::size_t>(quantizer)])
                + (edge.label.empty() ? "" : "  " + edge.label);
        out.layout.edges.push_back({from, to, edge.label});
        out.edges.push_back(std::move(edge));
    };
    for (NodeId id : graph.topologicalOrder()) {
        const int to = out.itemOfNode[static_cast<std::size_t>(id)];
        if (to < 0)
            continue;
        const NodeInfo& node = graph.node(id);
        for (TensorId t : node.inputs) {
            const auto [from, quantizer] = sourceOf(t, 0);
            addEdge(from, to, t, quantizer);
        }
    }
    for (std::size_t i = 0; i < graph.graphOutputs().size(); ++i) {
        const TensorId t = graph.graphOutputs()[i];
        const auto [from, quantizer] = sourceOf(t, 0);
        addEdge(from, itemOfOutput[i], t, quantizer);
    }
    return out;
}

} // namespace qs
