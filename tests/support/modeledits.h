#pragma once
// Parameter edits for tests of incremental re-runs, made on the protobuf directly (so that tests of
// modules below core/edit can use them): a node's initializer input is replaced by a new initializer
// of its own, as the edit API does when it un-shares a shared parameter. Header-only.
#include "core/model/modeldocument.h"
#include "core/model/tensordata.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace qs::test {

// A snapshot copy of a document, as the GUI hands one to the analyses after each edit.
inline std::unique_ptr<ModelDocument> copyOf(const ModelDocument& doc)
{
    return ModelDocument::fromProto(doc.proto(), doc.folder(), doc.limits());
}

// Points input `slot` of `node` at a new initializer holding `value` (stored with the element type
// of the initializer it replaces) and refreshes the document.
inline void setNodeParameter(ModelDocument& doc, NodeId node, int slot, const Tensor& value)
{
    onnx::GraphProto& graph = *doc.mutableProto().mutable_graph();
    onnx::NodeProto& proto = *graph.mutable_node(node);
    const std::string old = proto.input(slot);
    int elemType = onnx::TensorProto::FLOAT;
    for (const onnx::TensorProto& t : graph.initializer())
        if (t.name() == old)
            elemType = t.data_type();
    const std::string name = old + "__test_edit_" + std::to_string(graph.initializer_size());
    onnx::TensorProto& added = *graph.add_initializer();
    added.set_name(name);
    tensorToProto(value, elemType, added);
    proto.set_input(slot, name);
    doc.refresh(true);
}

// `t` with every element mapped by f, in its own element type.
template <class F> Tensor mapped(const Tensor& t, F f)
{
    std::vector<double> values = t.toDoubles();
    for (double& v : values)
        v = f(v);
    return Tensor::fromDoubles(t.shape(), values).cast(t.dtype());
}

// The value of input `slot` of `node` when it is an initializer.
inline std::optional<Tensor> initializerInput(const ModelDocument& doc, NodeId node, int slot)
{
    const NodeInfo& info = doc.node(node);
    if (slot >= static_cast<int>(info.inputs.size()) || info.inputs[static_cast<std::size_t>(slot)] < 0)
        return std::nullopt;
    const TensorId id = info.inputs[static_cast<std::size_t>(slot)];
    if (!doc.tensor(id).isInitializer())
        return std::nullopt;
    return doc.initializerValue(id);
}

// Sets a QONNX Quant's bit width (input 3 of its node). False when the quantizer has no such input.
inline bool setQuantBits(ModelDocument& doc, int quantizer, double bits)
{
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(quantizer)];
    if (q.kind != QuantizerKind::IntQuant)
        return false;
    const auto old = initializerInput(doc, q.mainNode, 3);
    if (!old)
        return false;
    setNodeParameter(doc, q.mainNode, 3, mapped(*old, [&](double) { return bits; }));
    return true;
}

// Multiplies the scale its main node reads (Quant: input 1, DequantizeLinear: input 1) by `factor`.
inline bool scaleQuantizerScale(ModelDocument& doc, int quantizer, double factor)
{
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(quantizer)];
    const auto old = initializerInput(doc, q.mainNode, 1);
    if (!old)
        return false;
    setNodeParameter(doc, q.mainNode, 1, mapped(*old, [&](double v) { return v * factor; }));
    return true;
}

// Changes quantizer `quantizer`'s parameters: 4 bits for a Quant, else its scale times 2.
inline bool editQuantizerParameters(ModelDocument& doc, int quantizer)
{
    return setQuantBits(doc, quantizer, 4) || scaleQuantizerScale(doc, quantizer, 2.0);
}

// The layers with a quantized weight, in topological order.
inline std::vector<const Layer*> weightQuantizedLayers(const ModelDocument& doc)
{
    std::vector<const Layer*> layers;
    for (const Layer& layer : doc.layers())
        if (layer.weightQuantizer >= 0)
            layers.push_back(&layer);
    std::stable_sort(layers.begin(), layers.end(), [&](const Layer* a, const Layer* b) {
        return doc.graph().topologicalPosition(a->node) < doc.graph().topologicalPosition(b->node);
    });
    return layers;
}

// First, middle and last of `items` (fewer when there are fewer).
template <class T> std::vector<T> firstMiddleLast(const std::vector<T>& items)
{
    std::vector<T> out;
    for (std::size_t i : {std::size_t(0), items.size() / 2, items.size() - 1})
        if (i < items.size() && std::find(out.begin(), out.end(), items[i]) == out.end())
            out.push_back(items[i]);
    return out;
}

} // namespace qs::test
