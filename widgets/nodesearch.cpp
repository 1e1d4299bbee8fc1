#include "widgets/nodesearch.h"

namespace qs::gui {

std::vector<qs::NodeId> findNodes(const qs::ModelDocument& doc, const QString& text)
{
    std::vector<qs::NodeId> hits;
    const QString needle = text.trimmed();
    if (needle.isEmpty())
        return hits;
    auto matches = [&](const std::string& s) {
        return QString::fromStdString(s).contains(needle, Qt::CaseInsensitive);
    };
    const qs::GraphIndex& graph = doc.graph();
    for (qs::NodeId id : graph.topologicalOrder()) {
        const qs::NodeInfo& node = graph.node(id);
        bool hit = matches(node.name) || matches(node.opType);
        for (std::size_t i = 0; !hit && i < node.inputs.size(); ++i)
            hit = node.inputs[i] >= 0 && matches(graph.tensor(node.inputs[i]).name);
        for (std::size_t i = 0; !hit && i < node.outputs.size(); ++i)
            hit = node.outputs[i] >= 0 && matches(graph.tensor(node.outputs[i]).name);
        if (hit)
            hits.push_back(id);
    }
    return hits;
}

} // namespace qs::gui
