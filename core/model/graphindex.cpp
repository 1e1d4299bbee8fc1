#include "core/model/graphindex.h"

#include "core/util/error.h"

#include <algorithm>
#include <queue>
#include <unordered_set>

namespace qs {
namespace {

std::string describe(const NodeInfo& node) { return "node '" + node.name + "' (" + node.opType + ")"; }

// Ops with no inputs that still produce data, and ops whose output only depends on input shapes.
bool isSourceOp(const NodeInfo& node)
{
    return node.domain.empty() && (node.opType == "Constant" || node.opType == "ConstantOfShape");
}

} // namespace

std::optional<std::vector<std::int64_t>> TensorInfo::staticShape() const
{
    if (!dims)
        return std::nullopt;
    std::vector<std::int64_t> shape;
    shape.reserve(dims->size());
    for (const Dim& d : *dims) {
        if (!d.isKnown())
            return std::nullopt;
        shape.push_back(d.value);
    }
    return shape;
}

std::string TensorInfo::shapeString() const
{
    if (!dims)
        return "?";
    std::string s = "[";
    for (std::size_t i = 0; i < dims->size(); ++i) {
        if (i)
            s += ",";
        const Dim& d = (*dims)[i];
        s += d.isKnown() ? std::to_string(d.value) : (d.symbol.empty() ? "?" : d.symbol);
    }
    return s + "]";
}

TensorId GraphIndex::intern(const std::string& name)
{
    auto [it, inserted] = tensorByName_.try_emplace(name, static_cast<TensorId>(tensors_.size()));
    if (inserted) {
        TensorInfo info;
        info.name = name;
        tensors_.push_back(std::move(info));
    }
    return it->second;
}

GraphIndex GraphIndex::build(const onnx::GraphProto& graph, std::int64_t maxNodes)
{
    if (graph.node_size() > maxNodes)
        throw Error("the graph has " + std::to_string(graph.node_size()) + " nodes, above the limit of "
                    + std::to_string(maxNodes));
    GraphIndex index;
    index.tensors_.reserve(static_cast<std::size_t>(graph.node_size()) * 2 + graph.initializer_size());

    for (int i = 0; i < graph.initializer_size(); ++i) {
        const auto& init = graph.initializer(i);
        if (init.name().empty())
            throw Error("initializer #" + std::to_string(i) + " has no name");
        const TensorId id = index.intern(init.name());
        if (index.tensors_[static_cast<std::size_t>(id)].initializerIndex >= 0)
            throw Error("initializer '" + init.name() + "' is defined twice");
        index.tensors_[static_cast<std::size_t>(id)].initializerIndex = i;
    }
    for (int i = 0; i < graph.input_size(); ++i) {
        const TensorId id = index.intern(graph.input(i).name());
        index.tensors_[static_cast<std::size_t>(id)].graphInputIndex = i;
        if (index.tensors_[static_cast<std::size_t>(id)].initializerIndex < 0)
            index.inputs_.push_back(id);
    }

    // Display names: keep the file's name when it is unique and non-empty, else OpType_k.
    std::unordered_map<std::string, int> nameCount;
    for (const auto& node : graph.node())
        ++nameCount[node.name()];
    std::unordered_set<std::string> used;
    std::unordered_map<std::string, int> perTypeCounter;

    index.nodes_.resize(static_cast<std::size_t>(graph.node_size()));
    for (int n = 0; n < graph.node_size(); ++n) {
        const auto& proto = graph.node(n);
        NodeInfo& node = index.nodes_[static_cast<std::size_t>(n)];
        node.fileName = proto.name();
        node.opType = proto.op_type();
        node.domain = proto.domain() == "ai.onnx" ? "" : proto.domain();
        if (node.opType.empty())
            throw Error("node #" + std::to_string(n) + " has no op_type");
        if (!proto.name().empty() && nameCount[proto.name()] == 1)
            node.name = proto.name();
        used.insert(node.name);
    }
    for (int n = 0; n < graph.node_size(); ++n) {
        NodeInfo& node = index.nodes_[static_cast<std::size_t>(n)];
        if (!node.name.empty())
            continue;
        const std::string base = node.fileName.empty() ? node.opType : node.fileName;
        std::string candidate;
        do
            candidate = base + "_" + std::to_string(perTypeCounter[base]++);
        while (used.count(candidate));
        used.insert(candidate);
        node.name = candidate;
    }

    for (int n = 0; n < graph.node_size(); ++n) {
        const auto& proto = graph.node(n);
        NodeInfo& node = index.nodes_[static_cast<std::size_t>(n)];
        index.nodeByName_[node.name] = n;
        for (int o = 0; o < proto.output_size(); ++o) {
            if (proto.output(o).empty()) {
                node.outputs.push_back(-1);
                continue;
            }
            const TensorId id = index.intern(proto.output(o));
            TensorInfo& t = index.tensors_[static_cast<std::size_t>(id)];
            if (t.producer >= 0)
                throw Error("tensor '" + t.name + "' is produced twice, by " + describe(index.nodes_[t.producer])
                            + " and by " + describe(node));
            if (t.initializerIndex >= 0)
                throw Error(describe(node) + " writes tensor '" + t.name + "', which is also an initializer");
            if (t.graphInputIndex >= 0)
                throw Error(describe(node) + " writes tensor '" + t.name + "', which is also a graph input");
            t.producer = n;
            t.producerSlot = o;
            node.outputs.push_back(id);
        }
    }
    for (int n = 0; n < graph.node_size(); ++n) {
        const auto& proto = graph.node(n);
        NodeInfo& node = index.nodes_[static_cast<std::size_t>(n)];
        for (int i = 0; i < proto.input_size(); ++i) {
            if (proto.input(i).empty()) {
                node.inputs.push_back(-1);
                continue;
            }
            const auto found = index.tensorByName_.find(proto.input(i));
            if (found == index.tensorByName_.end())
                throw Error(describe(node) + " reads tensor '" + proto.input(i)
                            + "', which no node, initializer or graph input provides");
            node.inputs.push_back(found->second);
            index.tensors_[static_cast<std::size_t>(found->second)].consumers.push_back({n, i});
        }
    }
    for (int i = 0; i < graph.output_size(); ++i) {
        const auto found = index.tensorByName_.find(graph.output(i).name());
        if (found == index.tensorByName_.end())
            throw Error("graph output '" + graph.output(i).name() + "' is not produced by any node");
        index.tensors_[static_cast<std::size_t>(found->second)].graphOutputIndex = i;
        index.outputs_.push_back(found->second);
    }
    index.computeOrder();
    index.computeConstness();
    return index;
}

void GraphIndex::computeOrder()
{
    const std::size_t n = nodes_.size();
    std::vector<int> pending(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (TensorId t : nodes_[i].inputs)
            if (t >= 0 && tensors_[static_cast<std::size_t>(t)].producer >= 0)
                ++pending[i];
    // A min-heap on the file order keeps already-sorted files in their order (stable and deterministic).
    std::priority_queue<NodeId, std::vector<NodeId>, std::greater<>> ready;
    for (std::size_t i = 0; i < n; ++i)
        if (pending[i] == 0)
            ready.push(static_cast<NodeId>(i));
    order_.clear();
    order_.reserve(n);
    while (!ready.empty()) {
        const NodeId id = ready.top();
        ready.pop();
        order_.push_back(id);
        for (TensorId t : nodes_[static_cast<std::size_t>(id)].outputs) {
            if (t < 0)
                continue;
            for (const TensorUse& use : tensors_[static_cast<std::size_t>(t)].consumers)
                if (--pending[static_cast<std::size_t>(use.node)] == 0)
                    ready.push(use.node);
        }
    }
    if (order_.size() != n) {
        // Walk backwards through unfinished producers until a node repeats: that node is on a cycle.
        NodeId at = -1;
        for (std::size_t i = 0; i < n && at < 0; ++i)
            if (pending[i] > 0)
                at = static_cast<NodeId>(i);
        std::vector<char> seen(n, 0);
        while (!seen[static_cast<std::size_t>(at)]) {
            seen[static_cast<std::size_t>(at)] = 1;
            for (TensorId t : nodes_[static_cast<std::size_t>(at)].inputs) {
                const NodeId p = t >= 0 ? tensors_[static_cast<std::size_t>(t)].producer : -1;
                if (p >= 0 && pending[static_cast<std::size_t>(p)] > 0) {
                    at = p;
                    break;
                }
            }
        }
        throw Error("the graph has a cycle through " + describe(nodes_[static_cast<std::size_t>(at)]));
    }
    position_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        position_[static_cast<std::size_t>(order_[i])] = static_cast<int>(i);
}

void GraphIndex::computeConstness()
{
    for (TensorInfo& t : tensors_)
        t.isConstant = t.isInitializer();
    for (NodeId id : order_) {
        const NodeInfo& node = nodes_[static_cast<std::size_t>(id)];
        bool constant = isSourceOp(node) || !node.inputs.empty();
        for (TensorId t : node.inputs)
            if (t >= 0 && !tensors_[static_cast<std::size_t>(t)].isConstant)
                constant = false;
        for (TensorId t : node.outputs)
            if (t >= 0)
                tensors_[static_cast<std::size_t>(t)].isConstant = constant;
    }
}

std::optional<TensorId> GraphIndex::findTensor(const std::string& name) const
{
    const auto it = tensorByName_.find(name);
    if (it == tensorByName_.end())
        return std::nullopt;
    return it->second;
}

std::optional<NodeId> GraphIndex::findNode(const std::string& displayName) const
{
    const auto it = nodeByName_.find(displayName);
    if (it == nodeByName_.end())
        return std::nullopt;
    return it->second;
}

std::vector<NodeId> GraphIndex::predecessors(NodeId id) const
{
    std::vector<NodeId> out;
    for (TensorId t : node(id).inputs) {
        const NodeId p = t >= 0 ? tensor(t).producer : -1;
        if (p >= 0 && std::find(out.begin(), out.end(), p) == out.end())
            out.push_back(p);
    }
    return out;
}

std::vector<NodeId> GraphIndex::successors(NodeId id) const
{
    std::vector<NodeId> out;
    for (TensorId t : node(id).outputs) {
        if (t < 0)
            continue;
        for (const TensorUse& use : tensor(t).consumers)
            if (std::find(out.begin(), out.end(), use.node) == out.end())
                out.push_back(use.node);
    }
    return out;
}

} // namespace qs
