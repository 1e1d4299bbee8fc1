#include "core/convert/graphrewriter.h"

#include "core/model/tensordata.h"

#include <unordered_map>
#include <unordered_set>

namespace qs {

GraphRewriter::GraphRewriter(onnx::ModelProto& model)
    : model_(model)
{
    const auto& g = model_.graph();
    for (const auto& n : g.node()) {
        names_.insert(n.name());
        for (const auto& t : n.input())
            names_.insert(t);
        for (const auto& t : n.output())
            names_.insert(t);
    }
    for (const auto& i : g.initializer())
        names_.insert(i.name());
    for (const auto* list : {&g.input(), &g.output(), &g.value_info()})
        for (const auto& v : *list)
            names_.insert(v.name());
}

std::string GraphRewriter::uniqueName(const std::string& base)
{
    std::string name = base;
    for (int k = 1; names_.count(name); ++k)
        name = base + "_" + std::to_string(k);
    names_.insert(name);
    return name;
}

std::string GraphRewriter::addInitializer(const std::string& base, const Tensor& value, int elemType)
{
    auto* init = model_.mutable_graph()->add_initializer();
    init->set_name(uniqueName(base));
    tensorToProto(value, elemType, *init);
    return init->name();
}

onnx::NodeProto GraphRewriter::makeNode(const std::string& opType, const std::string& baseName,
    std::vector<std::string> inputs, std::vector<std::string> outputs, const std::string& domain)
{
    onnx::NodeProto n;
    n.set_op_type(opType);
    n.set_name(uniqueName(baseName));
    if (!domain.empty())
        n.set_domain(domain);
    for (auto& i : inputs)
        n.add_input(std::move(i));
    for (auto& o : outputs)
        n.add_output(std::move(o));
    return n;
}

void GraphRewriter::replace(
    NodeId first, const std::vector<NodeId>& removed, std::vector<onnx::NodeProto> nodes)
{
    for (NodeId id : removed)
        removed_.insert(id);
    auto& slot = insertions_[first];
    for (auto& n : nodes)
        slot.push_back(std::move(n));
}

void GraphRewriter::releaseTensor(const std::string& name)
{
    if (!name.empty())
        released_.push_back(name);
}

void GraphRewriter::commit()
{
    auto* graph = model_.mutable_graph();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    for (int id = 0; id < graph->node_size(); ++id) {
        if (auto it = insertions_.find(id); it != insertions_.end())
            for (auto& n : it->second)
                *nodes.Add() = std::move(n);
        if (!removed_.count(id))
            *nodes.Add() = std::move(*graph->mutable_node(id));
    }
    graph->mutable_node()->Swap(&nodes);
    insertions_.clear();
    removed_.clear();
    removeUnused();
}

void GraphRewriter::removeUnused()
{
    auto* graph = model_.mutable_graph();
    std::unordered_map<std::string, int> uses;
    std::unordered_map<std::string, int> producer;
    for (int i = 0; i < graph->node_size(); ++i) {
        for (const auto& t : graph->node(i).input())
            ++uses[t];
        for (const auto& t : graph->node(i).output())
            producer[t] = i;
    }
    for (const auto& o : graph->output())
        ++uses[o.name()];
    std::unordered_set<std::string> initializers;
    for (const auto& t : graph->initializer())
        initializers.insert(t.name());
    for (const auto& v : graph->input()) // a real graph input is never removed
        if (!initializers.count(v.name()))
            ++uses[v.name()];

    std::unordered_set<std::string> deadTensors;
    std::unordered_set<int> deadNodes;
    std::vector<std::string> work = released_;
    released_.clear();
    while (!work.empty()) {
        const std::string name = work.back();
        work.pop_back();
        if (uses[name] > 0 || deadTensors.count(name))
            continue;
        const auto p = producer.find(name);
        if (p == producer.end()) {
            deadTensors.insert(name);
            continue;
        }
        // A producer dies only when none of its outputs is used; its inputs may then die too.
        const auto& n = graph->node(p->second);
        bool allDead = !deadNodes.count(p->second);
        for (const auto& o : n.output())
            allDead = allDead && uses[o] == 0;
        if (!allDead)
            continue;
        deadNodes.insert(p->second);
        for (const auto& o : n.output())
            deadTensors.insert(o);
        for (const auto& in : n.input())
            if (!in.empty() && --uses[in] == 0)
                work.push_back(in);
    }
    if (deadTensors.empty())
        return;

    auto keepIf = [](auto* field, auto keep) {
        std::remove_reference_t<decltype(*field)> kept;
        for (auto& item : *field)
            if (keep(item))
                *kept.Add() = std::move(item);
        field->Swap(&kept);
    };
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    for (int i = 0; i < graph->node_size(); ++i)
        if (!deadNodes.count(i))
            *nodes.Add() = std::move(*graph->mutable_node(i));
    graph->mutable_node()->Swap(&nodes);
    keepIf(graph->mutable_initializer(),
        [&](const onnx::TensorProto& t) { return !deadTensors.count(t.name()); });
    keepIf(
        graph->mutable_input(), [&](const onnx::ValueInfoProto& v) { return !deadTensors.count(v.name()); });
    keepIf(graph->mutable_value_info(),
        [&](const onnx::ValueInfoProto& v) { return !deadTensors.count(v.name()); });
}

bool removeAttribute(onnx::NodeProto& node, const std::string& name)
{
    auto* attributes = node.mutable_attribute();
    for (int i = 0; i < attributes->size(); ++i)
        if (attributes->Get(i).name() == name) {
            attributes->DeleteSubrange(i, 1);
            return true;
        }
    return false;
}

void setIntAttribute(onnx::NodeProto& node, const std::string& name, std::int64_t value)
{
    removeAttribute(node, name);
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

void setStringAttribute(onnx::NodeProto& node, const std::string& name, const std::string& value)
{
    removeAttribute(node, name);
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(value);
}

int setOpsetImport(onnx::ModelProto& model, const std::string& domain, int version)
{
    for (auto& o : *model.mutable_opset_import()) {
        const bool same = o.domain() == domain || (domain.empty() && o.domain() == "ai.onnx");
        if (same) {
            const int previous = static_cast<int>(o.version());
            o.set_version(version);
            return previous;
        }
    }
    auto* o = model.add_opset_import();
    o->set_domain(domain);
    o->set_version(version);
    return -1;
}

} // namespace qs
