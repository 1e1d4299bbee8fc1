#include "core/analysis/qonnxdatatypes.h"

#include "core/model/nodeattributes.h"
#include "core/model/qonnxschemas.h"

#include <cmath>

namespace qs {
namespace {

bool isQonnxCustom(const NodeInfo& node)
{
    return (isQonnxDomain(node.domain) && !node.domain.empty()) || (node.domain.empty() && node.opType == "Quant");
}

int integerBits(int elemType, bool& isSigned)
{
    using onnx::TensorProto;
    isSigned = elemType == TensorProto::INT8 || elemType == TensorProto::INT16 || elemType == TensorProto::INT32
        || elemType == TensorProto::INT64;
    switch (elemType) {
    case TensorProto::INT8:
    case TensorProto::UINT8: return 8;
    case TensorProto::INT16:
    case TensorProto::UINT16: return 16;
    case TensorProto::INT32:
    case TensorProto::UINT32: return 32;
    case TensorProto::INT64:
    case TensorProto::UINT64: return 64;
    default: return 0;
    }
}

class Inference {
public:
    Inference(const ModelDocument& doc, const DataTypeOptions& options)
        : doc_(doc), options_(options), annotations_(fileDataTypeAnnotations(doc))
    {
        const GraphIndex& graph = doc.graph();
        types_.assign(static_cast<std::size_t>(graph.tensorCount()), DataType::float32());
        for (TensorId t = 0; t < graph.tensorCount(); ++t) {
            const TensorInfo& info = graph.tensor(t);
            if (info.elemType == onnx::TensorProto::FLOAT16)
                types_[static_cast<std::size_t>(t)] = DataType::float16();
            if (annotations_[static_cast<std::size_t>(t)] && (info.isGraphInput() || info.isInitializer()))
                types_[static_cast<std::size_t>(t)] = *annotations_[static_cast<std::size_t>(t)];
        }
    }

    std::vector<DataType> run()
    {
        for (NodeId id : doc_.graph().topologicalOrder())
            inferNode(id);
        return std::move(types_);
    }

private:
    const DataType& typeOf(TensorId t) const
    {
        static const DataType f32 = DataType::float32();
        return t >= 0 ? types_[static_cast<std::size_t>(t)] : f32;
    }

    // A parameter counts as constant when it is an initializer (raw) or any constant (cleaned).
    bool isParameterConstant(TensorId t) const
    {
        if (t < 0)
            return false;
        const TensorInfo& info = doc_.tensor(t);
        return options_.cleaned ? info.isConstant : info.isInitializer();
    }

    std::optional<Tensor> value(TensorId t) const { return t >= 0 ? doc_.constantValue(t) : std::nullopt; }

    DataType intQuantType(NodeId id) const
    {
        const NodeInfo& node = doc_.graph().node(id);
        const auto input = [&](std::size_t i) { return i < node.inputs.size() ? node.inputs[i] : -1; };
        const std::optional<Tensor> scale = isParameterConstant(input(1)) ? value(input(1)) : std::nullopt;
        const std::optional<Tensor> zero = isParameterConstant(input(2)) ? value(input(2)) : std::nullopt;
        const std::optional<Tensor> bits = isParameterConstant(input(3)) ? value(input(3)) : std::nullopt;
        const bool isSigned = intAttribute(doc_.nodeProto(id), "signed").value_or(1) != 0;
        const IntQuantTypeFacts facts = intQuantTypeFacts(scale ? &*scale : nullptr, zero ? &*zero : nullptr,
                                                          bits ? &*bits : nullptr, isSigned);
        return inferIntQuantOutput(facts, options_.allowScaledInt);
    }

    bool allOnes(TensorId t) const
    {
        if (!isParameterConstant(t))
            return false;
        const auto v = value(t);
        if (!v)
            return false;
        for (std::int64_t i = 0; i < v->size(); ++i)
            if (v->at(i) != 1.0)
                return false;
        return true;
    }

    void set(const NodeInfo& node, const DataType& type)
    {
        for (TensorId t : node.outputs)
            if (t >= 0)
                types_[static_cast<std::size_t>(t)] = type;
    }

    void inferNode(NodeId id)
    {
        const NodeInfo& node = doc_.graph().node(id);
        const onnx::NodeProto& proto = doc_.nodeProto(id);
        const TensorId in0 = node.inputs.empty() ? -1 : node.inputs[0];
        if (isQonnxCustom(node)) {
            if (node.opType == "Quant" || node.opType == "IntQuant")
                set(node, intQuantType(id));
            else if (node.opType == "BipolarQuant")
                set(node, inferBipolarQuantOutput(allOnes(node.inputs.size() > 1 ? node.inputs[1] : -1)));
            else if (node.opType == "FloatQuant")
                set(node, DataType::float32()); // FLOAT<e,m,bias> only for unit scale, which real files do not use
            else if (node.opType == "MultiThreshold")
                set(node, DataType::parse(stringAttribute(proto, "out_dtype").value_or("FLOAT32")).value_or(DataType::float32()));
            else
                set(node, DataType::float32()); // Trunc and other custom ops
            return;
        }
        if (!node.domain.empty() && !isChannelsLastDomain(node.domain)) {
            keepOrFloat(node);
            return;
        }
        if (node.opType == "QuantizeLinear") {
            bool isSigned = false;
            const TensorId zp = node.inputs.size() > 2 ? node.inputs[2] : -1;
            const int bits = zp >= 0 ? integerBits(doc_.tensor(zp).elemType, isSigned) : 8;
            set(node, quantizeLinearOutput(bits ? bits : 8, isSigned));
            return;
        }
        if (node.opType == "DequantizeLinear") {
            bool isSigned = false;
            const int bits = in0 >= 0 ? integerBits(doc_.tensor(in0).elemType, isSigned) : 8;
            set(node, dequantizeLinearOutput(bits ? bits : 8, options_.allowScaledInt));
            return;
        }
        if (node.opType == "Sign") {
            set(node, DataType::bipolar());
            return;
        }
        if (isMacLike(node.opType)) {
            std::vector<DataType> inputs;
            for (TensorId t : node.inputs)
                if (t >= 0)
                    inputs.push_back(typeOf(t));
            const TensorId out = node.outputs.empty() ? -1 : node.outputs[0];
            set(node, applyScaledIntPolicy(macLikeOutput(node.opType, inputs, typeOf(out)), options_.allowScaledInt));
            return;
        }
        const std::string mode = stringAttribute(proto, "mode").value_or("nearest");
        if (preservesDataType(node.opType, mode)) {
            set(node, typeOf(in0));
            return;
        }
        keepOrFloat(node);
    }

    // Any other op keeps a non-FLOAT32 annotation the file gives its output, else FLOAT32.
    void keepOrFloat(const NodeInfo& node)
    {
        for (TensorId t : node.outputs) {
            if (t < 0)
                continue;
            const auto& annotation = annotations_[static_cast<std::size_t>(t)];
            types_[static_cast<std::size_t>(t)] =
                annotation && annotation->name() != "FLOAT32" ? *annotation : DataType::float32();
        }
    }

    const ModelDocument& doc_;
    DataTypeOptions options_;
    std::vector<std::optional<DataType>> annotations_;
    std::vector<DataType> types_;
};

} // namespace

std::vector<std::optional<DataType>> fileDataTypeAnnotations(const ModelDocument& doc)
{
    std::vector<std::optional<DataType>> annotations(static_cast<std::size_t>(doc.graph().tensorCount()));
    for (const auto& annotation : doc.proto().graph().quantization_annotation()) {
        const auto id = doc.graph().findTensor(annotation.tensor_name());
        if (!id)
            continue;
        for (const auto& entry : annotation.quant_parameter_tensor_names())
            if (entry.key() == "finn_datatype")
                annotations[static_cast<std::size_t>(*id)] = DataType::parse(entry.value());
    }
    return annotations;
}

std::vector<DataType> inferQonnxDataTypes(const ModelDocument& doc, const DataTypeOptions& options)
{
    return Inference(doc, options).run();
}

} // namespace qs
