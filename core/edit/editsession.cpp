#include "core/edit/editsession.h"

#include "core/edit/tensorwrite.h"
#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdio>

namespace qs {
namespace {

// References to `name` by nodes (any slot) of `graph` and of every nested subgraph.
int countReferences(const onnx::GraphProto& graph, const std::string& name)
{
    int n = 0;
    for (const auto& node : graph.node()) {
        for (const auto& input : node.input())
            n += input == name ? 1 : 0;
        for (const auto& a : node.attribute()) {
            if (a.has_g())
                n += countReferences(a.g(), name);
            for (const auto& g : a.graphs())
                n += countReferences(g, name);
        }
    }
    return n;
}

void collectGraphNames(
    const onnx::GraphProto& graph, std::set<std::string>& tensors, std::set<std::string>& nodes)
{
    for (const auto& i : graph.initializer())
        tensors.insert(i.name());
    for (const auto& v : graph.input())
        tensors.insert(v.name());
    for (const auto& v : graph.output())
        tensors.insert(v.name());
    for (const auto& v : graph.value_info())
        tensors.insert(v.name());
    for (const auto& node : graph.node()) {
        nodes.insert(node.name());
        tensors.insert(node.input().begin(), node.input().end());
        tensors.insert(node.output().begin(), node.output().end());
        for (const auto& a : node.attribute()) {
            if (a.has_g())
                collectGraphNames(a.g(), tensors, nodes);
            for (const auto& g : a.graphs())
                collectGraphNames(g, tensors, nodes);
        }
    }
}

} // namespace

std::string formatValues(const std::vector<double>& values)
{
    if (values.empty())
        return "-";
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (*lo == *hi)
        return values.size() == 1 ? formatValue(*lo)
                                  : formatValue(*lo) + " (x" + std::to_string(values.size()) + ")";
    return std::to_string(values.size()) + " values " + formatValue(*lo) + ".." + formatValue(*hi);
}

EditSession::EditSession(
    ModelDocument& doc, const Quantizer& quantizer, ChangeRecorder& recorder, ChangeRecord& record)
    : doc_(doc)
    , q_(quantizer)
    , rec_(recorder)
    , record_(record)
{
}

std::string EditSession::label() const
{
    return std::string(quantizerKindName(q_.kind)) + " '" + q_.name + "'";
}

void EditSession::refuse(const std::string& why) const
{
    throw Error(label() + ": " + why);
}

std::string EditSession::inputName(NodeId id, int slot) const
{
    const auto& n = node(id);
    return slot < n.input_size() ? n.input(slot) : std::string();
}

int EditSession::initializerIndex(const std::string& name) const
{
    const auto& inits = rec_.model().graph().initializer();
    for (int i = 0; i < inits.size(); ++i)
        if (inits.Get(i).name() == name)
            return i;
    return -1;
}

int EditSession::opset() const
{
    for (const auto& o : rec_.model().opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            return static_cast<int>(o.version());
    return -1;
}

std::optional<Tensor> EditSession::value(const std::string& tensorName) const
{
    if (const int i = initializerIndex(tensorName); i >= 0)
        return tensorFromProto(rec_.model().graph().initializer(i), doc_.folder());
    const auto id = doc_.graph().findTensor(tensorName);
    return id ? doc_.constantValue(*id) : std::nullopt;
}

int EditSession::elemTypeOf(const std::string& tensorName) const
{
    if (const int i = initializerIndex(tensorName); i >= 0)
        return rec_.model().graph().initializer(i).data_type();
    const auto id = doc_.graph().findTensor(tensorName);
    return id ? doc_.tensor(*id).elemType : 0;
}

void EditSession::collectNames()
{
    if (namesCollected_)
        return;
    collectGraphNames(rec_.model().graph(), tensorNames_, nodeNames_);
    namesCollected_ = true;
}

std::string EditSession::uniqueTensorName(const std::string& base)
{
    collectNames();
    std::string name = base;
    for (int k = 1; tensorNames_.count(name); ++k)
        name = base + "_" + std::to_string(k);
    tensorNames_.insert(name);
    return name;
}

std::string EditSession::uniqueNodeName(const std::string& base)
{
    collectNames();
    std::string name = base;
    for (int k = 1; nodeNames_.count(name); ++k)
        name = base + "_" + std::to_string(k);
    nodeNames_.insert(name);
    return name;
}

void EditSession::connect(const std::vector<ParameterUse>& uses, const std::string& tensorName)
{
    for (const ParameterUse& u : uses) {
        onnx::NodeProto& n = rec_.node(u.node);
        while (n.input_size() <= u.slot)
            n.add_input("");
        n.set_input(u.slot, tensorName);
    }
}

int EditSession::appendInitializer(const onnx::TensorProto& tensor)
{
    const int index = rec_.append(ProtoSection::Initializer, tensor);
    // IR < 4 requires every initializer to be declared as a graph input as well.
    if (rec_.model().ir_version() < 4) {
        onnx::ValueInfoProto info;
        info.set_name(tensor.name());
        auto* t = info.mutable_type()->mutable_tensor_type();
        t->set_elem_type(tensor.data_type());
        auto* shape = t->mutable_shape();
        for (auto d : tensor.dims())
            shape->add_dim()->set_dim_value(d);
        rec_.append(ProtoSection::GraphInput, info);
    }
    return index;
}

std::string EditSession::addInitializer(
    const std::vector<double>& values, const Shape& shape, int elemType, const std::string& role)
{
    onnx::TensorProto tensor;
    tensor.set_name(uniqueTensorName(q_.name + "_" + role));
    writeTensorValuesAs(tensor, elemType, values, shape, label() + ": " + role);
    appendInitializer(tensor);
    return tensor.name();
}

void EditSession::writeParameter(const std::vector<ParameterUse>& uses, const std::vector<double>& values,
    std::optional<Shape> shape, std::optional<int> elemType, const std::string& role)
{
    // Uses that read the same tensor are edited together (Q and DQ of one QCDQ share their scale).
    std::vector<std::pair<std::string, std::vector<ParameterUse>>> groups;
    for (const ParameterUse& u : uses) {
        const std::string name = inputName(u.node, u.slot);
        if (name.empty())
            refuse("its " + role + " input is missing");
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == name; });
        if (it == groups.end())
            groups.push_back({name, {u}});
        else
            it->second.push_back(u);
    }
    const std::string what = label() + ": " + role;
    for (const auto& [name, own] : groups) {
        const int index = initializerIndex(name);
        const auto current = value(name);
        if (!current)
            refuse("its " + role + " '" + name + "' is computed at run time and cannot be edited");
        const Shape targetShape = shape.value_or(current->shape());
        const int type
            = elemType.value_or(elemTypeOf(name) ? elemTypeOf(name) : onnxTypeFromDType(current->dtype()));
        std::vector<double> filled = values;
        if (filled.size() == 1 && elementCount(targetShape) != 1)
            filled.assign(static_cast<std::size_t>(elementCount(targetShape)), values[0]);

        if (index < 0) {
            onnx::TensorProto tensor;
            tensor.set_name(uniqueTensorName(q_.name + "_" + role));
            writeTensorValuesAs(tensor, type, filled, targetShape, what);
            connect(own, tensor.name());
            appendInitializer(tensor);
            record_.notes.push_back(label() + ": " + role + " '" + name
                + "' was computed by a constant subgraph; replaced by the new initializer '" + tensor.name()
                + "'");
            continue;
        }
        const onnx::GraphProto& graph = rec_.model().graph();
        int outside = countReferences(graph, name) - static_cast<int>(own.size());
        for (const auto& o : graph.output())
            outside += o.name() == name ? 1 : 0;
        if (outside > 0) {
            onnx::TensorProto copy = graph.initializer(index);
            copy.set_name(uniqueTensorName(q_.name + "_" + role));
            writeTensorValuesAs(copy, type, filled, targetShape, what);
            connect(own, copy.name());
            appendInitializer(copy);
            record_.notes.push_back(label() + ": initializer '" + name + "' is shared with "
                + std::to_string(outside) + " other use(s); the quantizer now has its own copy '"
                + copy.name() + "'");
            continue;
        }
        onnx::TensorProto& tensor = rec_.initializer(index);
        const bool retyped
            = tensor.data_type() != type || Shape(tensor.dims().begin(), tensor.dims().end()) != targetShape;
        writeTensorValuesAs(tensor, type, filled, targetShape, what);
        if (retyped)
            redeclare(name, type, targetShape);
    }
}

onnx::AttributeProto& EditSession::attribute(
    NodeId id, const std::string& name, onnx::AttributeProto::AttributeType type)
{
    onnx::NodeProto& n = rec_.node(id);
    for (auto& a : *n.mutable_attribute())
        if (a.name() == name) {
            a.set_type(type);
            return a;
        }
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(type);
    return *a;
}

void EditSession::setIntAttribute(NodeId id, const std::string& name, std::int64_t value)
{
    attribute(id, name, onnx::AttributeProto::INT).set_i(value);
}

void EditSession::setFloatAttribute(NodeId id, const std::string& name, float value)
{
    attribute(id, name, onnx::AttributeProto::FLOAT).set_f(value);
}

void EditSession::setStringAttribute(NodeId id, const std::string& name, const std::string& value)
{
    attribute(id, name, onnx::AttributeProto::STRING).set_s(value);
}

void EditSession::redeclare(const std::string& tensorName, int elemType, const std::optional<Shape>& dims)
{
    const onnx::GraphProto& graph = rec_.model().graph();
    auto fix = [&](ProtoSection section, int count, auto get) {
        for (int i = 0; i < count; ++i) {
            if (get(i).name() != tensorName || !get(i).type().has_tensor_type())
                continue;
            auto* t = rec_.valueInfo(section, i).mutable_type()->mutable_tensor_type();
            t->set_elem_type(elemType);
            if (dims) {
                t->mutable_shape()->clear_dim();
                for (auto d : *dims)
                    t->mutable_shape()->add_dim()->set_dim_value(d);
            }
        }
    };
    fix(
        ProtoSection::GraphInput, graph.input_size(), [&](int i) -> const auto& { return graph.input(i); });
    fix(
        ProtoSection::GraphOutput,
        graph.output_size(), [&](int i) -> const auto& { return graph.output(i); });
    fix(
        ProtoSection::ValueInfo,
        graph.value_info_size(), [&](int i) -> const auto& { return graph.value_info(i); });
}

} // namespace qs
