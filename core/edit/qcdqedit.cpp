// Edits of standard-ONNX quantizers. A QCDQ chain (QuantizeLinear -> Clip -> DequantizeLinear) holds
// 2 to 8 bits: the bit width and narrow range live in the Clip bounds, the signedness in the zero
// point's element type (int8 / uint8), which the Clip bounds and the Q output share. A Q/DQ pair has
// no Clip and so is 8 bits; a narrower or narrow-range edit inserts one (after the Q, taking over its
// output name so nothing downstream changes). A lone DequantizeLinear takes scale and zero point only.
// Rounding is always half-to-even (QuantizeLinear's); unsigned narrow is refused because qonnx's
// QCDQToQuant cannot read it back.
#include "core/edit/kindedits.h"
#include "core/model/nodeattributes.h"
#include "core/model/tensordata.h"

#include <cmath>

namespace qs {
namespace {

using onnx::TensorProto;

struct Chain {
    NodeId q = -1;
    NodeId clip = -1;
    NodeId dq = -1;
};

Chain chainOf(const EditSession& s)
{
    const Quantizer& q = s.quantizer();
    Chain c;
    for (NodeId n : q.nodes) {
        const std::string& op = s.node(n).op_type();
        if (op == "QuantizeLinear")
            c.q = n;
        else if (op == "Clip")
            c.clip = n;
        else if (op == "DequantizeLinear")
            c.dq = n;
    }
    return c;
}

std::vector<ParameterUse> usesAt(const EditSession& s, const Chain& c, int slot, bool presentOnly)
{
    std::vector<ParameterUse> uses;
    for (NodeId n : {c.q, c.dq})
        if (n >= 0 && (!presentOnly || !s.inputName(n, slot).empty()))
            uses.push_back({n, slot});
    return uses;
}

struct Range {
    double lo;
    double hi;
};

Range codeRange(int bits, bool isSigned, bool narrow)
{
    if (isSigned)
        return {-std::pow(2.0, bits - 1) + (narrow ? 1 : 0), std::pow(2.0, bits - 1) - 1};
    return {0, std::pow(2.0, bits) - 1 - (narrow ? 1 : 0)};
}

void editDequantizeOnly(EditSession& s, const QuantizerEdit& e, const Chain& c)
{
    if (e.bitWidth || e.isSigned || e.narrow || e.roundingMode)
        s.refuse(
            "a lone DequantizeLinear takes only a scale and a zero point (its bit width and sign are the "
            "integer type of its input)");
    if (e.scale) {
        const ScaleTarget t = planScale(s, e, true);
        if (t.newAxis >= 0 && s.opset() < 13)
            s.refuse("a per-channel DequantizeLinear needs opset 13 (the model imports "
                + std::to_string(s.opset()) + ")");
        std::vector<double> filled = t.values;
        if (filled.size() == 1)
            filled.assign(static_cast<std::size_t>(elementCount(t.shape)), filled[0]);
        if (t.newAxis >= 0
            || !sameStored(s.quantizer().scale.values, filled, s.elemTypeOf(s.inputName(c.dq, 1))))
            s.writeParameter({{c.dq, 1}}, filled, t.shape, std::nullopt, "scale");
        if (t.newAxis >= 0) {
            s.setIntAttribute(c.dq, "axis", t.newAxis);
            if (const std::string zp = s.inputName(c.dq, 2); !zp.empty())
                s.writeParameter({{c.dq, 2}}, s.value(zp)->toDoubles(), t.shape, std::nullopt, "zero_point");
        }
    }
    if (e.zeroPoint) {
        const std::string zp = s.inputName(c.dq, 2);
        const int type = zp.empty() ? s.elemTypeOf(s.inputName(c.dq, 0)) : s.elemTypeOf(zp);
        if (const auto problem = representabilityProblem(*e.zeroPoint, type))
            s.refuse("zero point " + formatValue(*e.zeroPoint) + " " + *problem);
        if (zp.empty()) {
            const Shape shape = s.quantizer().scale.shape;
            const std::vector<double> values(static_cast<std::size_t>(elementCount(shape)), *e.zeroPoint);
            if (*e.zeroPoint != 0)
                s.connect({{c.dq, 2}}, s.addInitializer(values, shape, type, "zero_point"));
        } else if (!s.quantizer().zeroPoint.allEqual(*e.zeroPoint)) {
            s.writeParameter({{c.dq, 2}}, {*e.zeroPoint}, std::nullopt, std::nullopt, "zero_point");
        }
    }
}

} // namespace

void applyQcdqEdit(EditSession& s, const QuantizerEdit& e)
{
    const Quantizer& q = s.quantizer();
    const Chain c = chainOf(s);
    if (q.kind == QuantizerKind::DequantizeOnly) {
        editDequantizeOnly(s, e, c);
        return;
    }
    // Validate the whole target state first.
    if (e.roundingMode && parseMode(s, *e.roundingMode) != RoundingMode::HalfEven)
        s.refuse("QuantizeLinear always rounds half to even; rounding mode " + *e.roundingMode
            + " needs a QONNX Quant node");
    const std::string zpName = s.inputName(c.q, 2);
    const int zpType = zpName.empty() ? int(TensorProto::UINT8) : s.elemTypeOf(zpName);
    const bool rangeEdit = e.bitWidth || e.isSigned || e.narrow;
    if (rangeEdit && zpType != TensorProto::INT8 && zpType != TensorProto::UINT8)
        s.refuse(
            "only 8-bit QuantizeLinear chains can change range (this one is " + onnxTypeName(zpType) + ")");
    const double bits = e.bitWidth.value_or(q.bitWidth.value_or(8));
    const bool isSigned = e.isSigned.value_or(q.isSigned);
    const bool narrow = e.narrow.value_or(q.narrow);
    if (rangeEdit && (bits != std::floor(bits) || bits < 2 || bits > 8))
        s.refuse("bit width " + formatValue(bits) + " is out of range (a QCDQ quantizer holds 2 to 8 bits)");
    if (rangeEdit && narrow && !isSigned)
        s.refuse(
            "narrow range needs a signed QCDQ quantizer (qonnx's QCDQToQuant cannot read back an unsigned "
            "narrow Clip)");
    const bool needsClip = c.clip < 0 && (bits < 8 || narrow);
    if (needsClip && s.opset() < 11)
        s.refuse(
            "a bit width below 8 or a narrow range needs a Clip with tensor bounds (opset 11); the model "
            "imports opset "
            + std::to_string(s.opset()));
    const int newZpType = isSigned ? TensorProto::INT8 : TensorProto::UINT8;
    const bool retype = rangeEdit && newZpType != zpType;
    std::optional<ScaleTarget> scale;
    if (e.scale) {
        scale = planScale(s, e, true);
        if (scale->newAxis >= 0 && s.opset() < 13)
            s.refuse("a per-channel QuantizeLinear needs opset 13 (the model imports "
                + std::to_string(s.opset()) + ")");
    }

    // Scale (Q and DQ together).
    if (scale) {
        std::vector<double> filled = scale->values;
        if (filled.size() == 1)
            filled.assign(static_cast<std::size_t>(elementCount(scale->shape)), filled[0]);
        if (scale->newAxis >= 0 || !sameStored(q.scale.values, filled, s.elemTypeOf(s.inputName(c.q, 1))))
            s.writeParameter(usesAt(s, c, 1, false), filled, scale->shape, std::nullopt, "scale");
        if (scale->newAxis >= 0)
            for (NodeId n : {c.q, c.dq})
                if (n >= 0)
                    s.setIntAttribute(n, "axis", scale->newAxis);
    }
    // Zero point: new value, new element type, or new per-channel shape (it must match the scale's).
    const bool reshapeZp = scale && scale->newAxis >= 0 && !zpName.empty();
    if (e.zeroPoint || retype || reshapeZp) {
        Shape zpShape
            = reshapeZp || zpName.empty() ? (scale ? scale->shape : q.scale.shape) : q.zeroPoint.shape;
        std::vector<double> values = e.zeroPoint
            ? std::vector<double> {*e.zeroPoint}
            : (q.zeroPoint.values.empty() ? std::vector<double> {0} : q.zeroPoint.values);
        if (values.size() == 1)
            values.assign(static_cast<std::size_t>(elementCount(zpShape)), values[0]);
        for (double v : values)
            if (const auto problem = representabilityProblem(v, newZpType))
                s.refuse("zero point " + formatValue(v) + " " + *problem
                    + (retype ? std::string(", so the quantizer cannot become ")
                                + (isSigned ? "signed" : "unsigned")
                              : ""));
        if (zpName.empty()) {
            if (retype || (e.zeroPoint && *e.zeroPoint != 0))
                s.connect(usesAt(s, c, 2, false), s.addInitializer(values, zpShape, newZpType, "zero_point"));
        } else if (retype || reshapeZp || !sameStored(q.zeroPoint.values, values, zpType)) {
            s.writeParameter(usesAt(s, c, 2, true), values, zpShape, newZpType, "zero_point");
        }
        if (retype) {
            s.redeclare(s.node(c.q).output(0), newZpType, std::nullopt);
            if (c.clip >= 0)
                s.redeclare(s.node(c.clip).output(0), newZpType, std::nullopt);
        }
    }
    if (!rangeEdit)
        return;
    const Range r = codeRange(static_cast<int>(bits), isSigned, narrow);
    if (c.clip >= 0) {
        for (int slot : {1, 2}) {
            const double bound = slot == 1 ? r.lo : r.hi;
            if (!s.inputName(c.clip, slot).empty()) {
                const auto current = s.value(s.inputName(c.clip, slot));
                if (!current || current->size() != 1 || current->at(0) != bound || retype)
                    s.writeParameter({{c.clip, slot}}, {bound}, std::nullopt, newZpType,
                        slot == 1 ? "clip_min" : "clip_max");
            } else {
                s.setFloatAttribute(c.clip, slot == 1 ? "min" : "max", static_cast<float>(bound));
            }
        }
        return;
    }
    if (!needsClip)
        return;
    // Q/DQ pair: insert a Clip after the Q; it takes over the Q's output name.
    const std::string qOut = s.node(c.q).output(0);
    const std::string unclipped = s.uniqueTensorName(qOut + "_unclipped");
    s.recorder().node(c.q).set_output(0, unclipped);
    const std::string lo = s.addInitializer({r.lo}, {}, newZpType, "clip_min");
    const std::string hi = s.addInitializer({r.hi}, {}, newZpType, "clip_max");
    onnx::NodeProto clip;
    clip.set_name(s.uniqueNodeName(q.name + "_clip"));
    clip.set_op_type("Clip");
    clip.add_input(unclipped);
    clip.add_input(lo);
    clip.add_input(hi);
    clip.add_output(qOut);
    s.recorder().insert(ProtoSection::Node, c.q + 1, clip);
    s.record().notes.push_back(s.label() + ": added Clip '" + clip.name() + "' with bounds ["
        + formatValue(r.lo) + ", " + formatValue(r.hi) + "]");
    if (s.opset() < 12)
        s.record().notes.push_back("Clip on " + std::string(isSigned ? "int8" : "uint8")
            + " data is defined from opset 12; "
              "the model imports opset "
            + std::to_string(s.opset()) + " (export with a raised opset for strict runtimes)");
}

} // namespace qs
