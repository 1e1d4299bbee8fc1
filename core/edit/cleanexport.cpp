#include "core/edit/cleanexport.h"

#include "core/edit/tensorwrite.h"
#include "core/model/qonnxschemas.h"
#include "core/model/quantizationview.h"
#include "core/model/tensordata.h"
#include "core/util/atomicfile.h"
#include "core/util/error.h"

#include <queue>

#include <algorithm>
#include <map>
#include <onnx/checker.h>
#include <set>

namespace qs {
namespace {

void collectReferences(const onnx::GraphProto& graph, std::set<std::string>& used)
{
    for (const auto& node : graph.node()) {
        used.insert(node.input().begin(), node.input().end());
        for (const auto& a : node.attribute()) {
            if (a.has_g())
                collectReferences(a.g(), used);
            for (const auto& g : a.graphs())
                collectReferences(g, used);
        }
    }
}

std::set<std::string> usedNames(const onnx::GraphProto& graph)
{
    std::set<std::string> used;
    collectReferences(graph, used);
    for (const auto& o : graph.output())
        used.insert(o.name());
    used.erase("");
    return used;
}

// Inputs of the quantizer nodes that carry parameters (everything but the data input).
std::vector<std::pair<NodeId, int>> parameterSlots(const ModelDocument& doc)
{
    std::vector<std::pair<NodeId, int>> slots;
    for (const Quantizer& q : doc.quantizers())
        for (NodeId n : q.nodes)
            for (int slot = 1; slot < static_cast<int>(doc.node(n).inputs.size()); ++slot)
                slots.emplace_back(n, slot);
    return slots;
}

void declareInput(onnx::GraphProto& graph, const onnx::TensorProto& tensor)
{
    auto* info = graph.add_input();
    info->set_name(tensor.name());
    auto* t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(tensor.data_type());
    auto* shape = t->mutable_shape();
    for (auto d : tensor.dims())
        shape->add_dim()->set_dim_value(d);
}

void foldParameters(const ModelDocument& doc, onnx::ModelProto& model, std::vector<std::string>& actions)
{
    auto& graph = *model.mutable_graph();
    std::set<NodeId> producers;
    for (const auto& [node, slot] : parameterSlots(doc)) {
        const TensorId t = doc.node(node).inputs[static_cast<std::size_t>(slot)];
        if (t < 0 || doc.tensor(t).isInitializer() || doc.tensor(t).producer < 0 || !doc.tensor(t).isConstant)
            continue;
        const NodeId producer = doc.tensor(t).producer;
        if (producers.count(producer) || doc.node(producer).outputs.size() != 1)
            continue;
        const std::optional<Tensor> value = doc.constantValue(t);
        if (!value)
            continue;
        onnx::TensorProto init;
        init.set_name(doc.tensor(t).name);
        const int elemType
            = doc.tensor(t).elemType ? doc.tensor(t).elemType : onnxTypeFromDType(value->dtype());
        try {
            writeTensorValuesAs(
                init, elemType, value->toDoubles(), value->shape(), "tensor '" + init.name() + "'");
        } catch (const Error&) {
            continue; // not storable as its declared type: leave the subgraph
        }
        *graph.add_initializer() = init;
        if (model.ir_version() < 4)
            declareInput(graph, init);
        producers.insert(producer);
        actions.push_back("folded '" + init.name() + "' (computed by " + doc.node(producer).opType + " '"
            + doc.node(producer).name + "') into an initializer");
    }
    // The nodes are removed by index, so go from the back.
    for (auto it = producers.rbegin(); it != producers.rend(); ++it)
        graph.mutable_node()->DeleteSubrange(*it, 1);
}

// Removes nodes whose outputs nobody reads and that compute from constants only (left behind by
// folding or by an edit that replaced a computed parameter), then initializers nobody reads.
void removeDeadWeight(onnx::ModelProto& model, std::vector<std::string>& actions)
{
    auto& graph = *model.mutable_graph();
    for (bool changed = true; changed;) {
        changed = false;
        std::set<std::string> constants;
        for (const auto& i : graph.initializer())
            constants.insert(i.name());
        for (const auto& node : graph.node())
            if (std::all_of(node.input().begin(), node.input().end(),
                    [&](const std::string& i) { return i.empty() || constants.count(i); }))
                constants.insert(node.output().begin(), node.output().end());
        const std::set<std::string> used = usedNames(graph);
        for (int n = graph.node_size() - 1; n >= 0; --n) {
            const auto& node = graph.node(n);
            const bool dead = std::none_of(node.output().begin(), node.output().end(),
                [&](const std::string& o) { return used.count(o) > 0; });
            const bool constant = std::all_of(node.output().begin(), node.output().end(),
                [&](const std::string& o) { return constants.count(o) > 0; });
            if (dead && constant) {
                actions.push_back(
                    "removed unused constant node '" + node.name() + "' (" + node.op_type() + ")");
                graph.mutable_node()->DeleteSubrange(n, 1);
                changed = true;
            }
        }
    }
    const std::set<std::string> used = usedNames(graph);
    auto* inits = graph.mutable_initializer();
    std::set<std::string> removed;
    for (int i = inits->size() - 1; i >= 0; --i)
        if (!used.count(inits->Get(i).name())) {
            removed.insert(inits->Get(i).name());
            inits->DeleteSubrange(i, 1);
        }
    auto* inputs = graph.mutable_input();
    for (int i = inputs->size() - 1; i >= 0; --i)
        if (removed.count(inputs->Get(i).name()))
            inputs->DeleteSubrange(i, 1);
    if (!removed.empty())
        actions.push_back("removed " + std::to_string(removed.size()) + " unused initializer(s)");
}

void declareOpsets(onnx::ModelProto& model, std::vector<std::string>& actions)
{
    std::map<std::string, int> declared;
    for (const auto& o : model.opset_import())
        declared[o.domain() == "ai.onnx" ? "" : o.domain()] = static_cast<int>(o.version());
    std::map<std::string, int> needed;
    for (const auto& node : model.graph().node()) {
        const std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
        const int version = node.op_type() == "Trunc" && node.input_size() >= 6 ? 2 : 1;
        needed[domain] = std::max(needed[domain], version);
    }
    for (const auto& [domain, version] : needed) {
        const auto it = declared.find(domain);
        if (it == declared.end()) {
            if (domain.empty())
                continue; // a model without a default opset is not ours to guess
            auto* o = model.add_opset_import();
            o->set_domain(domain);
            o->set_version(version);
            actions.push_back("declared opset " + domain + " version " + std::to_string(version));
        } else if (it->second < version) {
            actions.push_back("note: domain " + domain + " is imported at version "
                + std::to_string(it->second) + " but has a 6-input (version 2) Trunc");
        }
    }
}

// Kahn's algorithm, always taking the earliest node in file order: an ordered graph stays as it is.
void sortNodes(onnx::ModelProto& model, std::vector<std::string>& actions)
{
    auto& graph = *model.mutable_graph();
    const int count = graph.node_size();
    std::map<std::string, int> producer;
    for (int n = 0; n < count; ++n)
        for (const auto& o : graph.node(n).output())
            if (!o.empty())
                producer[o] = n;
    std::vector<std::vector<int>> successors(static_cast<std::size_t>(count));
    std::vector<int> pending(static_cast<std::size_t>(count), 0);
    for (int n = 0; n < count; ++n) {
        std::set<int> preds;
        std::set<std::string> refs(graph.node(n).input().begin(), graph.node(n).input().end());
        for (const auto& a : graph.node(n).attribute()) { // outer names read by subgraphs
            if (a.has_g())
                collectReferences(a.g(), refs);
            for (const auto& g : a.graphs())
                collectReferences(g, refs);
        }
        for (const auto& i : refs)
            if (const auto it = producer.find(i); it != producer.end() && it->second != n)
                preds.insert(it->second);
        for (int p : preds)
            successors[static_cast<std::size_t>(p)].push_back(n);
        pending[static_cast<std::size_t>(n)] = static_cast<int>(preds.size());
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int n = 0; n < count; ++n)
        if (pending[static_cast<std::size_t>(n)] == 0)
            ready.push(n);
    std::vector<int> order;
    while (!ready.empty()) {
        const int n = ready.top();
        ready.pop();
        order.push_back(n);
        for (int s : successors[static_cast<std::size_t>(n)])
            if (--pending[static_cast<std::size_t>(s)] == 0)
                ready.push(s);
    }
    if (static_cast<int>(order.size()) != count)
        throw Error("the graph has a cycle; it cannot be sorted");
    bool identity = true;
    for (int i = 0; i < count; ++i)
        identity = identity && order[static_cast<std::size_t>(i)] == i;
    if (identity)
        return;
    google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
    for (int n : order)
        *sorted.Add() = graph.node(n);
    graph.mutable_node()->Swap(&sorted);
    actions.push_back("sorted the nodes topologically");
}

void setType(onnx::ValueInfoProto& info, const TensorInfo& t)
{
    auto* type = info.mutable_type()->mutable_tensor_type();
    type->set_elem_type(t.elemType);
    if (!t.dims)
        return;
    auto* shape = type->mutable_shape();
    shape->clear_dim();
    for (const Dim& d : *t.dims) {
        auto* dim = shape->add_dim();
        if (d.isKnown())
            dim->set_dim_value(d.value);
        else if (!d.symbol.empty())
            dim->set_dim_param(d.symbol);
    }
}

void refreshValueInfo(const ModelDocument& doc, onnx::ModelProto& model, const ExportOptions& options,
    std::vector<std::string>& actions)
{
    auto& graph = *model.mutable_graph();
    std::set<std::string> live;
    std::vector<std::string> intermediates;
    std::set<std::string> outputs;
    for (const auto& o : graph.output())
        outputs.insert(o.name());
    for (const auto& node : graph.node()) {
        live.insert(node.input().begin(), node.input().end());
        for (const auto& o : node.output()) {
            live.insert(o);
            if (!o.empty() && !outputs.count(o))
                intermediates.push_back(o);
        }
    }
    auto* infos = graph.mutable_value_info();
    int stale = 0;
    if (options.removeStaleValueInfo)
        for (int i = infos->size() - 1; i >= 0; --i)
            if (!live.count(infos->Get(i).name())) {
                infos->DeleteSubrange(i, 1);
                ++stale;
            }
    if (stale)
        actions.push_back(
            "removed " + std::to_string(stale) + " stale value_info entr" + (stale == 1 ? "y" : "ies"));
    if (!options.refreshShapes)
        return;
    std::map<std::string, int> existing;
    for (int i = 0; i < infos->size(); ++i)
        existing[infos->Get(i).name()] = i;
    int written = 0;
    for (const std::string& name : intermediates) {
        const auto id = doc.graph().findTensor(name);
        if (!id || doc.tensor(*id).elemType == 0)
            continue;
        const auto it = existing.find(name);
        onnx::ValueInfoProto& info = it != existing.end() ? *infos->Mutable(it->second) : *infos->Add();
        info.set_name(name);
        setType(info, doc.tensor(*id));
        ++written;
    }
    if (written)
        actions.push_back(
            "wrote the inferred type and shape of " + std::to_string(written) + " tensors to value_info");
}

} // namespace

std::string checkModel(const onnx::ModelProto& model)
{
    registerQonnxSchemas();
    try {
        onnx::checker::check_model(model);
        return "OK";
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (const auto nl = message.find('\n'); nl != std::string::npos)
            message.resize(nl);
        return message;
    }
}

onnx::ModelProto cleanModel(const ModelDocument& doc, const ExportOptions& options, ExportReport* report)
{
    ExportReport local;
    ExportReport& r = report ? *report : local;
    onnx::ModelProto model = doc.proto();
    if (options.foldParameterSubgraphs)
        foldParameters(doc, model, r.actions);
    if (options.removeUnusedInitializers)
        removeDeadWeight(model, r.actions);
    if (options.declareCustomOpsets)
        declareOpsets(model, r.actions);
    if (options.raiseDefaultOpsetTo > 0)
        raiseDefaultOpset(model, options.raiseDefaultOpsetTo, r.actions);
    if (options.sortTopologically)
        sortNodes(model, r.actions);
    if (options.refreshShapes || options.removeStaleValueInfo)
        refreshValueInfo(doc, model, options, r.actions);
    r.checkerResult = checkModel(model);
    return model;
}

ExportReport exportClean(
    const ModelDocument& doc, const std::filesystem::path& target, const ExportOptions& options)
{
    ExportReport report;
    onnx::ModelProto model = cleanModel(doc, options, &report);
    const std::filesystem::path targetFolder = target.has_parent_path() ? target.parent_path() : ".";
    std::error_code ec;
    if (!std::filesystem::equivalent(targetFolder, doc.folder(), ec))
        for (auto& init : *model.mutable_graph()->mutable_initializer())
            if (init.data_location() == onnx::TensorProto::EXTERNAL)
                tensorToProto(tensorFromProto(init, doc.folder()), init.data_type(), init);
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        throw Error("cannot serialize the model (is it larger than 2 GiB?)");
    writeFileAtomically(target, bytes);
    return report;
}

} // namespace qs
