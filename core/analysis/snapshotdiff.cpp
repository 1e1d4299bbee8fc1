#include "core/analysis/snapshotdiff.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace qs {
namespace {

// Protobuf serialization of messages without maps is deterministic within one binary, so equal
// bytes mean equal messages (and the reverse holds for the messages compared here).
template <class Message> bool sameMessage(const Message& a, const Message& b)
{
    return a.ByteSizeLong() == b.ByteSizeLong() && a.SerializeAsString() == b.SerializeAsString();
}

template <class Field> bool sameMessages(const Field& a, const Field& b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i)
        if (!sameMessage(a.Get(i), b.Get(i)))
            return false;
    return true;
}

template <class Field> bool sameStrings(const Field& a, const Field& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

bool isInitializer(const ModelDocument& doc, const std::string& name)
{
    const auto id = doc.graph().findTensor(name);
    return id && doc.tensor(*id).isInitializer();
}

// The first structural difference, or "" when there is none. A node input may name another
// initializer (an edit un-sharing a parameter): that changes a constant, not the structure.
std::string structureChange(
    const ModelDocument& before, const ModelDocument& after, std::set<NodeId>& rewired)
{
    if (before.proto().ir_version() != after.proto().ir_version())
        return "IR version";
    if (!sameMessages(before.proto().opset_import(), after.proto().opset_import()))
        return "opset imports";
    const onnx::GraphProto& a = before.proto().graph();
    const onnx::GraphProto& b = after.proto().graph();
    if (!sameMessages(a.input(), b.input()))
        return "graph inputs";
    if (!sameMessages(a.output(), b.output()))
        return "graph outputs";
    if (a.node_size() != b.node_size())
        return "node count";
    for (int i = 0; i < a.node_size(); ++i) {
        const onnx::NodeProto& x = a.node(i);
        const onnx::NodeProto& y = b.node(i);
        const std::string where = "node " + std::to_string(i) + " ('" + y.name() + "')";
        if (x.name() != y.name() || x.op_type() != y.op_type() || x.domain() != y.domain()
            || !sameStrings(x.output(), y.output()) || x.input_size() != y.input_size())
            return where;
        for (int slot = 0; slot < x.input_size(); ++slot) {
            if (x.input(slot) == y.input(slot))
                continue;
            if (!isInitializer(before, x.input(slot)) || !isInitializer(after, y.input(slot)))
                return where + " input " + std::to_string(slot);
            rewired.insert(static_cast<NodeId>(i));
        }
    }
    return {};
}

bool hasSubgraph(const onnx::NodeProto& node)
{
    return std::any_of(node.attribute().begin(), node.attribute().end(),
        [](const onnx::AttributeProto& a) { return a.has_g() || a.graphs_size() > 0; });
}

} // namespace

SnapshotDiff diffSnapshots(const ModelDocument& before, const ModelDocument& after)
{
    SnapshotDiff diff;
    if (&before == &after) {
        diff.sameStructure = true;
        return diff;
    }
    diff.structureChange = structureChange(before, after, diff.changedNodes);
    diff.sameStructure = diff.structureChange.empty();
    if (!diff.sameStructure) {
        diff.changedNodes.clear();
        return diff;
    }
    const onnx::GraphProto& a = before.proto().graph();
    const onnx::GraphProto& b = after.proto().graph();
    for (int i = 0; i < b.node_size(); ++i)
        if (!sameMessages(a.node(i).attribute(), b.node(i).attribute()))
            diff.changedNodes.insert(static_cast<NodeId>(i));

    std::unordered_map<std::string, const onnx::TensorProto*> old;
    for (const onnx::TensorProto& t : a.initializer())
        old.emplace(t.name(), &t);
    bool anyInitializerChanged = false;
    const GraphIndex& graph = after.graph();
    for (const onnx::TensorProto& t : b.initializer()) {
        const auto it = old.find(t.name());
        if (it != old.end() && sameMessage(*it->second, t))
            continue;
        anyInitializerChanged = true;
        if (const auto id = graph.findTensor(t.name()))
            for (const TensorUse& use : graph.tensor(*id).consumers)
                diff.changedNodes.insert(use.node);
    }
    // Subgraphs may read outer initializers without naming them as node inputs.
    if (anyInitializerChanged)
        for (int i = 0; i < b.node_size(); ++i)
            if (hasSubgraph(b.node(i)))
                diff.changedNodes.insert(static_cast<NodeId>(i));
    return diff;
}

} // namespace qs
