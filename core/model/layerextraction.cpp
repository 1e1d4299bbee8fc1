// Finds the compute layers of a model and the quantizers around them (see layer.h).
#include "core/model/nodeattributes.h"
#include "core/model/qonnxschemas.h"
#include "core/model/quantizationview.h"

#include <set>

namespace qs {
namespace {

bool isDefault(const NodeInfo& node) { return node.domain.empty(); }

TensorId inputAt(const NodeInfo& node, std::size_t slot)
{
    return slot < node.inputs.size() ? node.inputs[slot] : -1;
}

bool isLayerOp(const NodeInfo& node)
{
    if (isChannelsLastDomain(node.domain))
        return node.opType == "Conv";
    return isDefault(node)
        && (node.opType == "Conv" || node.opType == "ConvTranspose" || node.opType == "Gemm" || node.opType == "MatMul");
}

// Walks upstream from `t` through ops that keep values on the quantization grid and returns the
// quantizer whose output is reached, recording the op types passed.
int quantizerUpstream(const GraphIndex& index, const QuantizationView& view, TensorId t, bool activationPath,
                      std::vector<std::string>* path)
{
    static const std::set<std::string> layoutOps = {"Reshape", "Transpose", "Identity", "Squeeze",
                                                    "Unsqueeze", "Flatten", "Cast"};
    static const std::set<std::string> gridOps = {"MaxPool", "GlobalMaxPool", "Pad", "Relu", "Slice", "Gather",
                                                  "Split", "DepthToSpace", "SpaceToDepth"};
    for (int depth = 0; t >= 0 && depth < 16; ++depth) {
        const NodeId producer = index.tensor(t).producer;
        if (producer < 0)
            return -1;
        const int q = view.quantizerOfNode[static_cast<std::size_t>(producer)];
        if (q >= 0 && view.quantizers[static_cast<std::size_t>(q)].output == t)
            return q;
        const NodeInfo& node = index.node(producer);
        const bool passes = (isDefault(node) && layoutOps.count(node.opType))
            || (activationPath && (isDefault(node) || isChannelsLastDomain(node.domain)) && gridOps.count(node.opType));
        if (!passes)
            return -1;
        if (path)
            path->insert(path->begin(), node.opType);
        t = inputAt(node, 0);
    }
    return -1;
}

int quantizerDownstream(const GraphIndex& index, const QuantizationView& view, TensorId t)
{
    static const std::set<std::string> passOps = {"Relu", "BatchNormalization", "Add", "Mul", "Div", "Sub",
                                                  "Reshape", "Transpose", "Flatten", "Identity", "MaxPool",
                                                  "Squeeze", "Unsqueeze", "LeakyRelu", "Clip"};
    for (int depth = 0; t >= 0 && depth < 8; ++depth) {
        const auto& uses = index.tensor(t).consumers;
        for (const TensorUse& use : uses) {
            const int q = view.quantizerOfNode[static_cast<std::size_t>(use.node)];
            if (q >= 0 && view.quantizers[static_cast<std::size_t>(q)].input == t)
                return q;
        }
        if (uses.size() != 1)
            return -1;
        const NodeInfo& next = index.node(uses[0].node);
        if (!(isDefault(next) || isChannelsLastDomain(next.domain)) || !passOps.count(next.opType)
            || next.outputs.empty())
            return -1;
        t = next.outputs[0];
    }
    return -1;
}

std::optional<std::vector<std::int64_t>> shapeOf(const GraphIndex& index, TensorId t)
{
    return t >= 0 ? index.tensor(t).staticShape() : std::nullopt;
}

std::optional<std::int64_t> dotProductLength(const Layer& layer, const onnx::NodeProto& proto)
{
    if (layer.opType == "Conv" && layer.weightShape && layer.weightShape->size() >= 2) {
        std::int64_t k = 1;
        for (std::size_t i = 1; i < layer.weightShape->size(); ++i)
            k *= (*layer.weightShape)[i];
        return k;
    }
    if (layer.opType == "ConvTranspose" && layer.weightShape && layer.weightShape->size() >= 2 && layer.group > 0) {
        std::int64_t k = (*layer.weightShape)[0] / layer.group;
        for (std::size_t i = 2; i < layer.weightShape->size(); ++i)
            k *= (*layer.weightShape)[i];
        return k;
    }
    // Gemm / MatMul: K is the reduced dimension of A (the first operand, whichever is constant).
    const auto& a = layer.weightOnLeft ? layer.weightShape : layer.inputShape;
    if (!a || a->empty())
        return std::nullopt;
    if (layer.opType == "Gemm") {
        if (a->size() != 2)
            return std::nullopt;
        return intAttribute(proto, "transA").value_or(0) ? (*a)[0] : (*a)[1];
    }
    return a->back();
}

} // namespace

std::vector<Layer> extractLayers(const onnx::ModelProto& model, const GraphIndex& index,
                                 const QuantizationView& view)
{
    std::vector<Layer> layers;
    for (NodeId id : index.topologicalOrder()) {
        const NodeInfo& node = index.node(id);
        if (!isLayerOp(node))
            continue;
        const onnx::NodeProto& proto = model.graph().node(id);
        Layer layer;
        layer.node = id;
        layer.name = node.name;
        layer.opType = node.opType;
        layer.channelsLast = isChannelsLastDomain(node.domain);
        layer.output = node.outputs.empty() ? -1 : node.outputs[0];
        const TensorId a = inputAt(node, 0);
        const TensorId b = inputAt(node, 1);
        const bool aConst = a >= 0 && index.tensor(a).isConstant;
        const bool bConst = b >= 0 && index.tensor(b).isConstant;
        if (aConst && !bConst && (node.opType == "MatMul" || node.opType == "Gemm")) {
            layer.weightOnLeft = true;
            layer.input = b;
            layer.weight = a;
        } else {
            layer.input = a;
            layer.weight = bConst ? b : -1;
        }
        if (node.opType != "MatMul")
            layer.bias = inputAt(node, 2);
        layer.group = intAttribute(proto, "group").value_or(1);
        layer.inputShape = shapeOf(index, layer.input);
        layer.weightShape = shapeOf(index, layer.weightOnLeft ? a : b);
        layer.outputShape = shapeOf(index, layer.output);
        layer.dotProductLength = dotProductLength(layer, proto);

        layer.inputQuantizer = quantizerUpstream(index, view, layer.input, true, &layer.inputPath);
        const TensorId weightOperand = layer.weightOnLeft ? a : b;
        layer.weightQuantizer = quantizerUpstream(index, view, weightOperand, false, nullptr);
        layer.biasQuantizer = quantizerUpstream(index, view, layer.bias, false, nullptr);
        layer.outputQuantizer = quantizerDownstream(index, view, layer.output);
        layers.push_back(std::move(layer));
    }
    return layers;
}

} // namespace qs
