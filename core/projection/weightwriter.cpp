#include "core/projection/weightwriter.h"

#include "core/edit/editsession.h"
#include "core/numerics/rounding.h"
#include "core/util/error.h"

namespace qs {
namespace {

// The quantizer node that reads the weights (slot 0).
NodeId weightReader(const ModelDocument& doc, const Quantizer& q)
{
    if (q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ)
        for (NodeId n : q.nodes)
            if (doc.node(n).opType == "QuantizeLinear")
                return n;
    return q.mainNode;
}

} // namespace

std::optional<std::string> weightWriteProblem(const ModelDocument& doc, const Layer& layer)
{
    if (layer.weightQuantizer < 0)
        return "the weights are not quantized";
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
    switch (q.kind) {
    case QuantizerKind::IntQuant:
    case QuantizerKind::QCDQ:
    case QuantizerKind::QDQ:
    case QuantizerKind::DequantizeOnly:
        break;
    default:
        return std::string("weights quantized by ") + quantizerKindName(q.kind)
            + " have no code 0 to shrink to";
    }
    for (const Layer& other : doc.layers())
        if (other.node != layer.node && other.weightQuantizer == layer.weightQuantizer)
            return "its weight quantizer also feeds layer '" + other.name + "'";
    return std::nullopt;
}

double weightValueForCode(std::int64_t code, double scale, const std::string& roundingMode)
{
    const double c = static_cast<double>(code);
    const double sign = code > 0 ? 1.0 : (code < 0 ? -1.0 : 0.0);
    double nudge = 0.0;
    switch (parseRoundingMode(roundingMode)) {
    case RoundingMode::Floor:
        nudge = 0.25;
        break;
    case RoundingMode::Ceil:
        nudge = -0.25;
        break;
    case RoundingMode::Down: // toward zero
        nudge = 0.25 * sign;
        break;
    case RoundingMode::Up: // away from zero
        nudge = -0.25 * sign;
        break;
    default: // the half-way modes land on the integer itself
        break;
    }
    return (c + nudge) * scale;
}

void writeWeightCodes(ModelDocument& doc, const Layer& layer, const std::vector<CodeChange>& changes,
    ChangeRecorder& recorder, ChangeRecord& record)
{
    if (const auto problem = weightWriteProblem(doc, layer))
        throw Error("layer '" + layer.name + "': " + *problem);
    const Quantizer q = doc.quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
    EditSession session(doc, q, recorder, record);
    const NodeId reader = weightReader(doc, q);
    const std::string name = session.inputName(reader, 0);
    const std::optional<Tensor> current = name.empty() ? std::nullopt : session.value(name);
    if (!current)
        session.refuse("its weights '" + name + "' are not a constant that can be edited");
    std::vector<double> values = current->toDoubles();
    const bool integerData = q.kind == QuantizerKind::DequantizeOnly;
    const double zeroPoint = integerData && !q.zeroPoint.values.empty() ? q.zeroPoint.values[0] : 0.0;
    // QuantizeLinear always rounds half to even; only a QONNX Quant has other modes.
    const std::string rounding = q.kind == QuantizerKind::IntQuant ? q.roundingMode : "ROUND";
    for (const CodeChange& c : changes) {
        if (c.source < 0 || c.source >= static_cast<std::int64_t>(values.size()))
            session.refuse("weight position " + std::to_string(c.source) + " is outside '" + name + "'");
        values[static_cast<std::size_t>(c.source)] = integerData
            ? static_cast<double>(c.code) + zeroPoint
            : weightValueForCode(c.code, c.scale, rounding);
    }
    session.writeParameter({{reader, 0}}, values, std::nullopt, std::nullopt, "weights");
}

} // namespace qs
