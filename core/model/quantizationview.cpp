#include "core/model/quantizationview.h"

#include "core/model/nodeattributes.h"
#include "core/model/qonnxschemas.h"
#include "core/model/quantizerdatatype.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

namespace qs {
namespace {

using onnx::TensorProto;

bool isDefaultDomain(const NodeInfo& node) { return node.domain.empty(); }
bool isOp(const NodeInfo& node, const char* op) { return isDefaultDomain(node) && node.opType == op; }

TensorId inputAt(const NodeInfo& node, std::size_t slot)
{
    return slot < node.inputs.size() ? node.inputs[slot] : -1;
}

// Reads a scale or zero point and works out its per-channel axis relative to the data tensor.
QuantParameter readParameter(TensorId id, int dataRank, ConstantEvaluator& constants)
{
    QuantParameter p;
    p.tensor = id;
    if (id < 0)
        return p;
    const std::optional<Tensor> value = constants.value(id);
    if (!value)
        return p;
    p.known = true;
    p.shape = value->shape();
    p.values = value->toDoubles();
    if (p.values.size() > 1) {
        int nonUnit = 0;
        int where = -1;
        for (int i = 0; i < value->rank(); ++i)
            if (p.shape[static_cast<std::size_t>(i)] != 1) {
                ++nonUnit;
                where = i;
            }
        if (nonUnit == 1)
            p.axis = dataRank >= value->rank() ? where + (dataRank - value->rank()) : where;
    }
    return p;
}

std::optional<double> readScalar(TensorId id, ConstantEvaluator& constants)
{
    if (id < 0)
        return std::nullopt;
    const std::optional<Tensor> value = constants.value(id);
    if (!value || value->size() != 1)
        return std::nullopt;
    return value->at(0);
}

int rankOf(const GraphIndex& index, TensorId id)
{
    const TensorInfo& t = index.tensor(id);
    return t.dims ? static_cast<int>(t.dims->size()) : -1;
}

void setIntegerRange(Quantizer& q)
{
    if (!q.bitWidth)
        return;
    const double b = *q.bitWidth;
    if (b == 1 && q.isSigned) { // 1-bit signed Quant is sign quantization: codes -1 and +1 (§2.3)
        q.qmin = -1;
        q.qmax = 1;
        return;
    }
    if (q.isSigned) {
        q.qmin = -std::pow(2.0, b - 1) + (q.narrow ? 1 : 0);
        q.qmax = std::pow(2.0, b - 1) - 1;
    } else {
        q.qmin = 0;
        q.qmax = std::pow(2.0, b) - 1 - (q.narrow ? 1 : 0);
    }
}

Quantizer fromQonnxNode(const onnx::ModelProto& model, const GraphIndex& index, NodeId id,
                        ConstantEvaluator& constants)
{
    const NodeInfo& node = index.node(id);
    const onnx::NodeProto& proto = model.graph().node(id);
    Quantizer q;
    q.nodes = {id};
    q.mainNode = id;
    q.name = node.name;
    q.domain = node.domain;
    q.input = inputAt(node, 0);
    q.output = node.outputs.empty() ? -1 : node.outputs[0];
    const int rank = q.input >= 0 ? rankOf(index, q.input) : -1;
    q.scale = readParameter(inputAt(node, 1), rank, constants);

    if (node.opType == "Quant" || node.opType == "IntQuant") {
        q.kind = QuantizerKind::IntQuant;
        q.zeroPoint = readParameter(inputAt(node, 2), rank, constants);
        q.bitWidth = readScalar(inputAt(node, 3), constants);
        if (const TensorId b = inputAt(node, 3); b >= 0 && index.tensor(b).dims)
            q.bitWidthIs0D = index.tensor(b).dims->empty();
        const auto isSigned = intAttribute(proto, "signed");
        const auto narrow = intAttribute(proto, "narrow");
        const auto rounding = stringAttribute(proto, "rounding_mode");
        q.isSigned = isSigned.value_or(1) != 0;
        q.narrow = narrow.value_or(0) != 0;
        q.roundingMode = rounding.value_or("ROUND");
        q.attributesDefaulted = !isSigned || !narrow || !rounding;
        setIntegerRange(q);
    } else if (node.opType == "BipolarQuant") {
        q.kind = QuantizerKind::BipolarQuant;
        q.bitWidth = 1;
        q.isSigned = true;
        q.qmin = -1;
        q.qmax = 1;
    } else if (node.opType == "Trunc") {
        q.kind = QuantizerKind::Trunc;
        q.zeroPoint = readParameter(inputAt(node, 2), rank, constants);
        q.bitWidth = readScalar(inputAt(node, 3), constants);
        q.truncVersion = node.inputs.size() >= 6 ? 2 : 1;
        q.outBitWidth = readScalar(inputAt(node, q.truncVersion == 2 ? 5 : 4), constants);
        q.roundingMode = stringAttribute(proto, "rounding_mode").value_or("FLOOR");
        q.isSigned = intAttribute(proto, "signed").value_or(1) != 0;
        q.narrow = intAttribute(proto, "narrow").value_or(0) != 0;
        if (q.truncVersion == 2 && q.outBitWidth) {
            Quantizer out = q;
            out.bitWidth = q.outBitWidth;
            setIntegerRange(out);
            q.qmin = out.qmin;
            q.qmax = out.qmax;
        }
    } else { // FloatQuant
        q.kind = QuantizerKind::FloatQuant;
        q.exponentBitWidth = readScalar(inputAt(node, 2), constants);
        q.mantissaBitWidth = readScalar(inputAt(node, 3), constants);
        if (q.exponentBitWidth && q.mantissaBitWidth)
            q.bitWidth = 1 + *q.exponentBitWidth + *q.mantissaBitWidth;
        q.roundingMode = stringAttribute(proto, "rounding_mode").value_or("ROUND");
    }
    return q;
}

// Derives bit width / signed / narrow from QCDQ Clip bounds (exact match to one of the four standard
// ranges when possible; otherwise the enclosing width and the actual bounds as the range).
void applyClipBounds(Quantizer& q, double clipMin, double clipMax)
{
    q.qmin = clipMin;
    q.qmax = clipMax;
    for (int b = 1; b <= 16; ++b) {
        const double half = std::pow(2.0, b - 1);
        const double full = std::pow(2.0, b);
        if (q.isSigned && clipMin == -half && clipMax == half - 1) {
            q.bitWidth = b;
            q.narrow = false;
            return;
        }
        if (q.isSigned && b > 1 && clipMin == -(half - 1) && clipMax == half - 1) {
            q.bitWidth = b;
            q.narrow = true;
            return;
        }
        if (!q.isSigned && clipMin == 0 && clipMax == full - 1) {
            q.bitWidth = b;
            q.narrow = false;
            return;
        }
        if (!q.isSigned && b > 1 && clipMin == 0 && clipMax == full - 2) {
            q.bitWidth = b;
            q.narrow = true;
            return;
        }
    }
    q.bitWidth = std::ceil(std::log2(std::max(1.0, clipMax - clipMin + 1)));
    q.narrow = false;
}

int elemTypeOf(const GraphIndex& index, TensorId id) { return id >= 0 ? index.tensor(id).elemType : 0; }

bool isSignedIntegerType(int elemType)
{
    return elemType == TensorProto::INT8 || elemType == TensorProto::INT16 || elemType == TensorProto::INT32
        || elemType == TensorProto::INT64;
}

int integerTypeBits(int elemType)
{
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

// The single consumer of `t` if it is the given op, else -1.
NodeId soleConsumer(const GraphIndex& index, TensorId t, const char* op)
{
    if (t < 0)
        return -1;
    const auto& uses = index.tensor(t).consumers;
    if (uses.size() != 1 || uses[0].slot != 0)
        return -1;
    return isOp(index.node(uses[0].node), op) ? uses[0].node : -1;
}

Quantizer fromQuantizeLinear(const onnx::ModelProto& model, const GraphIndex& index, NodeId qId,
                             ConstantEvaluator& constants)
{
    const NodeInfo& qNode = index.node(qId);
    Quantizer q;
    q.kind = QuantizerKind::QDQ;
    q.nodes = {qId};
    q.mainNode = qId;
    q.name = qNode.name;
    q.input = inputAt(qNode, 0);
    const TensorId qOut = qNode.outputs.empty() ? -1 : qNode.outputs[0];
    q.output = qOut;
    const int rank = q.input >= 0 ? rankOf(index, q.input) : -1;
    q.scale = readParameter(inputAt(qNode, 1), rank, constants);
    q.zeroPoint = readParameter(inputAt(qNode, 2), rank, constants);
    // ONNX: a missing zero point means uint8; otherwise the zero point's type is the output type.
    const int zpType = elemTypeOf(index, inputAt(qNode, 2));
    const int outType = zpType != 0 ? zpType : (inputAt(qNode, 2) < 0 ? int(TensorProto::UINT8) : elemTypeOf(index, qOut));
    q.isSigned = isSignedIntegerType(outType);
    const int bits = integerTypeBits(outType) ? integerTypeBits(outType) : 8;
    q.bitWidth = bits;
    setIntegerRange(q);
    if (const auto axis = intAttribute(model.graph().node(qId), "axis"); axis && q.scale.values.size() > 1)
        q.scale.axis = q.zeroPoint.axis = static_cast<int>(*axis < 0 && rank > 0 ? *axis + rank : *axis);
    else if (q.scale.values.size() > 1 && q.scale.shape.size() == 1)
        q.scale.axis = q.zeroPoint.axis = 1; // ONNX default axis

    TensorId next = qOut;
    if (const NodeId clip = soleConsumer(index, qOut, "Clip"); clip >= 0) {
        const NodeInfo& clipNode = index.node(clip);
        const onnx::NodeProto& clipProto = model.graph().node(clip);
        std::optional<double> lo = readScalar(inputAt(clipNode, 1), constants);
        std::optional<double> hi = readScalar(inputAt(clipNode, 2), constants);
        if (!lo)
            if (const auto a = floatAttribute(clipProto, "min"))
                lo = *a;
        if (!hi)
            if (const auto a = floatAttribute(clipProto, "max"))
                hi = *a;
        if (lo && hi) {
            q.kind = QuantizerKind::QCDQ;
            q.nodes.push_back(clip);
            applyClipBounds(q, *lo, *hi);
            next = clipNode.outputs.empty() ? -1 : clipNode.outputs[0];
        }
    }
    if (const NodeId dq = soleConsumer(index, next, "DequantizeLinear"); dq >= 0) {
        q.nodes.push_back(dq);
        q.output = index.node(dq).outputs.empty() ? -1 : index.node(dq).outputs[0];
    }
    return q;
}

Quantizer fromLoneDequantize(const GraphIndex& index, NodeId dqId, ConstantEvaluator& constants)
{
    const NodeInfo& node = index.node(dqId);
    Quantizer q;
    q.kind = QuantizerKind::DequantizeOnly;
    q.nodes = {dqId};
    q.mainNode = dqId;
    q.name = node.name;
    q.input = inputAt(node, 0);
    q.output = node.outputs.empty() ? -1 : node.outputs[0];
    const int rank = q.input >= 0 ? rankOf(index, q.input) : -1;
    q.scale = readParameter(inputAt(node, 1), rank, constants);
    q.zeroPoint = readParameter(inputAt(node, 2), rank, constants);
    const int inType = elemTypeOf(index, q.input);
    q.isSigned = isSignedIntegerType(inType);
    if (integerTypeBits(inType))
        q.bitWidth = integerTypeBits(inType);
    setIntegerRange(q);
    return q;
}

// Ops that only move or reshape data: a quantized tensor stays quantized through them.
bool isLayoutOp(const NodeInfo& node)
{
    static const std::set<std::string> ops = {"Reshape", "Transpose", "Identity", "Squeeze",
                                              "Unsqueeze", "Flatten", "Cast"};
    return isDefaultDomain(node) && ops.count(node.opType);
}

bool isMacOp(const NodeInfo& node)
{
    if (isChannelsLastDomain(node.domain))
        return node.opType == "Conv";
    return isDefaultDomain(node)
        && (node.opType == "Conv" || node.opType == "ConvTranspose" || node.opType == "Gemm" || node.opType == "MatMul");
}

bool feedsBiasSlot(const GraphIndex& index, TensorId t, int depth = 0)
{
    if (t < 0 || depth > 6)
        return false;
    for (const TensorUse& use : index.tensor(t).consumers) {
        const NodeInfo& consumer = index.node(use.node);
        if (isMacOp(consumer) && consumer.opType != "MatMul" && use.slot == 2)
            return true;
        if (isOp(consumer, "Add")) {
            const TensorId other = inputAt(consumer, use.slot == 0 ? 1 : 0);
            const NodeId producer = other >= 0 ? index.tensor(other).producer : -1;
            if (producer >= 0 && isMacOp(index.node(producer)))
                return true;
        }
        if (isLayoutOp(consumer) && use.slot == 0 && !consumer.outputs.empty()
            && feedsBiasSlot(index, consumer.outputs[0], depth + 1))
            return true;
    }
    return false;
}

QuantizerRole roleOf(const GraphIndex& index, const Quantizer& q)
{
    if (q.input < 0)
        return QuantizerRole::Activation;
    const TensorInfo& in = index.tensor(q.input);
    if (in.isConstant)
        return feedsBiasSlot(index, q.output) ? QuantizerRole::Bias : QuantizerRole::Weight;
    if (in.isGraphInput())
        return QuantizerRole::GraphInput;
    return QuantizerRole::Activation;
}

} // namespace

bool isQonnxQuantizerNode(const NodeInfo& node)
{
    if (!isQonnxDomain(node.domain))
        return false;
    return node.opType == "Quant" || node.opType == "IntQuant" || node.opType == "BipolarQuant"
        || node.opType == "Trunc" || node.opType == "FloatQuant";
}

std::vector<Layer> extractLayers(const onnx::ModelProto& model, const GraphIndex& index,
                                 const QuantizationView& view);

QuantizationView buildQuantizationView(const onnx::ModelProto& model, const GraphIndex& index,
                                       ConstantEvaluator& constants)
{
    QuantizationView view;
    view.quantizerOfNode.assign(static_cast<std::size_t>(index.nodeCount()), -1);
    auto add = [&](Quantizer q) {
        q.id = static_cast<int>(view.quantizers.size());
        q.role = roleOf(index, q);
        q.dataType = quantizerDataType(q);
        for (NodeId n : q.nodes)
            view.quantizerOfNode[static_cast<std::size_t>(n)] = q.id;
        view.quantizers.push_back(std::move(q));
    };
    for (NodeId id : index.topologicalOrder()) {
        const NodeInfo& node = index.node(id);
        if (view.quantizerOfNode[static_cast<std::size_t>(id)] >= 0)
            continue;
        if (isQonnxQuantizerNode(node))
            add(fromQonnxNode(model, index, id, constants));
        else if (isOp(node, "QuantizeLinear"))
            add(fromQuantizeLinear(model, index, id, constants));
        else if (isOp(node, "DequantizeLinear"))
            add(fromLoneDequantize(index, id, constants));
    }
    view.layers = extractLayers(model, index, view);
    return view;
}

} // namespace qs
