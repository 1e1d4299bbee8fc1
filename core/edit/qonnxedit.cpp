// Edits of the QONNX quantizer nodes. What each kind accepts:
//   Quant/IntQuant  every field; bit width >= 1 and <= 32 (non-integer only in a float bit-width tensor).
//   BipolarQuant    scale only (its codes are always -1/+1).
//   Trunc           bit width = out_bitwidth (1 <= out <= in_bitwidth), rounding mode, and signed/narrow
//                   for version 2 only; scale and zero point describe the incoming accumulator grid,
//                   which the producing layer fixes, so they are refused.
//   FloatQuant      rounding mode and scale; its width is exponent + mantissa bits, not one number.
#include "core/edit/kindedits.h"
#include "core/model/nodeattributes.h"
#include "core/util/error.h"

#include <cmath>

namespace qs {
namespace {

constexpr double kMaxBitWidth = 32;

void setFlag(EditSession& s, NodeId node, const char* name, bool value)
{
    const auto current = intAttribute(s.node(node), name);
    if (!current || (*current != 0) != value)
        s.setIntAttribute(node, name, value ? 1 : 0);
}

void setRounding(EditSession& s, NodeId node, const std::string& mode)
{
    const RoundingMode wanted = parseMode(s, mode);
    if (const auto current = stringAttribute(s.node(node), "rounding_mode")) {
        try {
            if (parseRoundingMode(*current) == wanted)
                return; // "HALF_EVEN" already means "ROUND": leave the file's spelling alone
        } catch (const Error&) {
            // an unknown mode in the file is simply replaced
        }
    }
    s.setStringAttribute(node, "rounding_mode", roundingModeName(wanted));
}

void writeScalar(EditSession& s, NodeId node, int slot, double value, const std::string& role)
{
    const auto current = s.value(s.inputName(node, slot));
    if (current && current->size() == 1
        && current->at(0) == storedValue(value, s.elemTypeOf(s.inputName(node, slot))))
        return;
    s.writeParameter({{node, slot}}, {value}, std::nullopt, std::nullopt, role);
}

void writeScale(EditSession& s, const QuantizerEdit& e, NodeId node)
{
    const ScaleTarget target = planScale(s, e, false);
    const std::string name = s.inputName(node, 1);
    std::vector<double> filled = target.values;
    if (filled.size() == 1)
        filled.assign(static_cast<std::size_t>(elementCount(target.shape)), filled[0]);
    if (target.newAxis < 0 && sameStored(s.quantizer().scale.values, filled, s.elemTypeOf(name)))
        return;
    s.writeParameter({{node, 1}}, filled, target.shape, std::nullopt, "scale");
}

void refuseUnless(EditSession& s, bool allowed, const std::string& why)
{
    if (!allowed)
        s.refuse(why);
}

void editIntQuant(EditSession& s, const QuantizerEdit& e)
{
    const NodeId n = s.quantizer().mainNode;
    if (e.bitWidth && (*e.bitWidth < 1 || *e.bitWidth > kMaxBitWidth))
        s.refuse("bit width " + formatValue(*e.bitWidth) + " is out of range (1 to 32)");
    if (e.scale)
        (void)planScale(s, e, false); // validate before writing anything
    if (e.zeroPoint && s.quantizer().zeroPoint.tensor < 0)
        s.refuse("it has no zero-point input");
    if (e.bitWidth)
        writeScalar(s, n, 3, *e.bitWidth, "bit_width");
    if (e.isSigned)
        setFlag(s, n, "signed", *e.isSigned);
    if (e.narrow)
        setFlag(s, n, "narrow", *e.narrow);
    if (e.roundingMode)
        setRounding(s, n, *e.roundingMode);
    if (e.scale)
        writeScale(s, e, n);
    if (e.zeroPoint
        && !sameStored(s.quantizer().zeroPoint.values,
            std::vector<double>(s.quantizer().zeroPoint.values.size(), *e.zeroPoint),
            s.elemTypeOf(s.inputName(n, 2))))
        s.writeParameter({{n, 2}}, {*e.zeroPoint}, std::nullopt, std::nullopt, "zero_point");
}

void editTrunc(EditSession& s, const QuantizerEdit& e)
{
    const Quantizer& q = s.quantizer();
    const NodeId n = q.mainNode;
    refuseUnless(s, !e.scale && !e.zeroPoint,
        "the scale and zero point of a Trunc describe the incoming accumulator grid set by the layer "
        "before it; edit that layer's quantizers instead");
    refuseUnless(s, q.truncVersion == 2 || (!e.isSigned && !e.narrow),
        "Trunc version 1 has no signed/narrow attributes (its output is not clamped)");
    if (e.bitWidth) {
        const double b = *e.bitWidth;
        if (b < 1 || b != std::floor(b))
            s.refuse("output bit width " + formatValue(b) + " is invalid (a whole number of at least 1)");
        if (q.bitWidth && b > *q.bitWidth)
            s.refuse("output bit width " + formatValue(b) + " exceeds its input bit width "
                + formatValue(*q.bitWidth) + " (Trunc only removes bits)");
        writeScalar(s, n, q.truncVersion == 2 ? 5 : 4, b, "out_bit_width");
    }
    if (e.isSigned)
        setFlag(s, n, "signed", *e.isSigned);
    if (e.narrow)
        setFlag(s, n, "narrow", *e.narrow);
    if (e.roundingMode)
        setRounding(s, n, *e.roundingMode);
}

} // namespace

void applyQonnxEdit(EditSession& s, const QuantizerEdit& e)
{
    const Quantizer& q = s.quantizer();
    switch (q.kind) {
    case QuantizerKind::IntQuant:
        editIntQuant(s, e);
        return;
    case QuantizerKind::Trunc:
        editTrunc(s, e);
        return;
    case QuantizerKind::BipolarQuant:
        refuseUnless(s, !e.bitWidth && !e.isSigned && !e.narrow && !e.roundingMode && !e.zeroPoint,
            "a BipolarQuant has only a scale (its codes are always -1 and +1)");
        break;
    case QuantizerKind::FloatQuant:
        refuseUnless(s, !e.bitWidth,
            "a FloatQuant's width is its exponent and mantissa bits, which this edit does "
            "not change");
        refuseUnless(s, !e.isSigned && !e.narrow && !e.zeroPoint,
            "a FloatQuant is always signed and has no narrow range or zero point");
        if (e.roundingMode)
            setRounding(s, q.mainNode, *e.roundingMode);
        break;
    default:
        return;
    }
    if (e.scale)
        writeScale(s, e, q.mainNode);
}

} // namespace qs
