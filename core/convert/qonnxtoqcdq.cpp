#include "core/convert/qonnxtoqcdq.h"

#include "core/convert/graphrewriter.h"
#include "core/convert/integerranges.h"
#include "core/convert/opsetupgrade.h"
#include "core/model/nodeattributes.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <variant>

namespace qs {
namespace {

using onnx::TensorProto;

constexpr int kClipOpset = 13; // Clip with integer tensor bounds, per-axis Q/DQ
constexpr int kQdqOpset = 10; // QuantizeLinear / DequantizeLinear
constexpr int kWideQdqOpset = 21; // 16-bit QuantizeLinear / DequantizeLinear

struct Plan {
    const Quantizer* q = nullptr;
    IntegerRange range;
    int storage = TensorProto::INT8;
    bool clip = false;
    int axis = -1;
    std::int64_t channels = 1;
    std::vector<float> scale;
    std::vector<std::int64_t> zeroPoint;
    int opset = kQdqOpset;
    std::string why; // what needs `opset`
};

std::vector<std::string> nodeNames(const ModelDocument& doc, const Quantizer& q)
{
    std::vector<std::string> names;
    for (NodeId n : q.nodes)
        names.push_back(doc.node(n).name);
    return names;
}

std::string upper(std::string s)
{
    std::transform(
        s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string number(double v)
{
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

// Values of a per-tensor or per-channel parameter, expanded to `channels` entries.
std::optional<std::vector<double>> expand(const QuantParameter& p, std::int64_t channels)
{
    if (p.values.size() == 1)
        return std::vector<double>(static_cast<std::size_t>(channels), p.values[0]);
    if (static_cast<std::int64_t>(p.values.size()) == channels)
        return p.values;
    return std::nullopt;
}

// Why `q` cannot become QCDQ, or the plan that makes it QCDQ.
std::variant<Plan, std::string> analyse(const ModelDocument& doc, const Quantizer& q, int opset)
{
    switch (q.kind) {
    case QuantizerKind::BipolarQuant:
        return std::string(
            "BipolarQuant maps to {-1, +1} without a zero code; QuantizeLinear has no such mode");
    case QuantizerKind::Trunc:
        return std::string("Trunc (an integer right shift of an accumulator) has no QCDQ equivalent");
    case QuantizerKind::FloatQuant:
        return std::string("FloatQuant (minifloat) has no integer QuantizeLinear equivalent");
    default:
        break;
    }
    Plan p;
    p.q = &q;
    if (q.input < 0 || q.output < 0)
        return std::string("the node has no data input or output");
    if (const int type = doc.tensor(q.input).elemType; type != 0 && type != TensorProto::FLOAT)
        return "the data is of ONNX type " + std::to_string(type)
            + "; QuantizeLinear is emitted for float32 only";
    if (!q.bitWidth)
        return std::string("the bit width is computed at run time");
    const double b = *q.bitWidth;
    if (b != std::floor(b) || b < 1)
        return "non-integer bit width " + number(b) + " (the clamp bounds are not integers)";
    if (b == 1 && q.isSigned)
        return std::string(
            "1-bit signed Quant is sign quantization to {-1, +1} (no zero code); QuantizeLinear "
            "cannot express it");
    const int bits = static_cast<int>(b);
    if (bits > 16)
        return std::to_string(bits)
            + "-bit needs int32 QuantizeLinear/DequantizeLinear (opset >= 21), which Quantscope does not "
              "emit";
    if (bits > 8 && opset < kWideQdqOpset)
        return std::to_string(bits)
            + "-bit needs 16-bit QuantizeLinear/DequantizeLinear (default opset >= 21); "
            + "the model is at opset " + std::to_string(opset)
            + " and opset upgrades past 13 are not implemented";
    if (bits == 16 && !q.isSigned)
        return std::string("unsigned 16-bit needs uint16 QuantizeLinear, which Quantscope does not emit");
    const std::string rounding = upper(q.roundingMode);
    if (rounding != "ROUND" && rounding != "HALF_EVEN")
        return "rounding_mode " + q.roundingMode
            + " cannot be expressed: QuantizeLinear always rounds half to even";
    if (!q.scale.known)
        return std::string("the scale is computed at run time");
    for (double s : q.scale.values)
        if (!std::isfinite(s) || s == 0)
            return std::string("the scale contains zero or non-finite values");
    if (q.scale.values.size() > 1 && !q.scale.isPerChannel())
        return std::string("the scale varies along more than one dimension");
    if (q.zeroPoint.tensor >= 0 && !q.zeroPoint.known)
        return std::string("the zero point is computed at run time");
    const QuantParameter zp
        = q.zeroPoint.tensor >= 0 ? q.zeroPoint : QuantParameter {-1, true, {}, {0.0}, -1};
    if (zp.values.size() > 1 && !zp.isPerChannel())
        return std::string("the zero point varies along more than one dimension");
    for (double z : zp.values)
        if (z != std::floor(z))
            return "non-integer zero point " + number(z)
                + " (QONNX rounds after adding it, QuantizeLinear before: the results differ)";

    // Per-channel: one axis shared by scale and zero point, in a data tensor of known rank.
    p.axis = q.scale.isPerChannel() ? q.scale.axis : zp.axis;
    if (q.scale.isPerChannel() && zp.isPerChannel() && q.scale.axis != zp.axis)
        return std::string("scale and zero point vary along different axes");
    const auto& dims = doc.tensor(q.input).dims;
    for (const QuantParameter* param : {&q.scale, &zp})
        if (dims && param->shape.size() > dims->size())
            return std::string("a parameter has a higher rank than the data (the Quant output is broadcast)");
    if (p.axis >= 0) {
        if (!dims)
            return std::string("per-channel parameters but the rank of the data is unknown");
        if (p.axis >= static_cast<int>(dims->size()))
            return std::string("the per-channel axis is outside the data tensor");
        p.channels = static_cast<std::int64_t>(std::max(q.scale.values.size(), zp.values.size()));
        const std::int64_t dim = (*dims)[static_cast<std::size_t>(p.axis)].value;
        if (dim >= 0 && dim != p.channels)
            return "per-channel parameters have " + std::to_string(p.channels) + " values but axis "
                + std::to_string(p.axis) + " has " + std::to_string(dim);
    }
    const auto scales = expand(q.scale, p.channels);
    const auto zeros = expand(zp, p.channels);
    if (!scales || !zeros)
        return std::string("scale and zero point have different channel counts");
    for (double s : *scales)
        p.scale.push_back(static_cast<float>(s)); // qonnx computes in float32 (qonnx-ops.md §1)
    for (double z : *zeros)
        p.zeroPoint.push_back(static_cast<std::int64_t>(z));

    p.range = qonnxRange(bits, q.isSigned, q.narrow);
    p.storage = bits > 8 ? TensorProto::INT16 : q.isSigned ? TensorProto::INT8 : TensorProto::UINT8;
    const StorageType storage = *storageType(p.storage);
    for (std::int64_t z : p.zeroPoint)
        if (z < storage.min || z > storage.max)
            return "zero point " + std::to_string(z) + " does not fit the "
                + (bits > 8          ? "int16"
                        : q.isSigned ? "int8"
                                     : "uint8")
                + " zero point of QuantizeLinear";
    p.clip = p.range.lo != storage.min || p.range.hi != storage.max;
    if (bits > 8)
        p.opset = kWideQdqOpset, p.why = "16-bit QuantizeLinear";
    else if (p.clip)
        p.opset = kClipOpset, p.why = "Clip with integer tensor bounds";
    else if (p.axis >= 0)
        p.opset = kClipOpset, p.why = "per-axis QuantizeLinear";
    return p;
}

onnx::NodeProto withAxis(onnx::NodeProto node, int axis)
{
    if (axis >= 0)
        setIntAttribute(node, "axis", axis);
    return node;
}

ConvertedQuantizer emit(const ModelDocument& doc, GraphRewriter& rw, const Plan& p)
{
    const Quantizer& q = *p.q;
    const NodeInfo& node = doc.node(q.mainNode);
    const std::string& x = doc.tensor(q.input).name;
    const std::string& y = doc.tensor(q.output).name;
    const Shape shape = p.axis >= 0 ? Shape {p.channels} : Shape {};
    const std::string scale
        = rw.addInitializer(node.name + "_scale", Tensor::fromFloats(shape, p.scale), TensorProto::FLOAT);
    const std::string zero = rw.addInitializer(
        node.name + "_zero_point", integerTensor(p.storage, shape, p.zeroPoint), p.storage);

    std::vector<onnx::NodeProto> nodes;
    std::string codes = rw.uniqueName(node.name + "_quantized");
    nodes.push_back(withAxis(
        rw.makeNode("QuantizeLinear", node.name + "_QuantizeLinear", {x, scale, zero}, {codes}), p.axis));
    if (p.clip) {
        const auto lo = static_cast<std::int64_t>(p.range.lo);
        const auto hi = static_cast<std::int64_t>(p.range.hi);
        const std::string min
            = rw.addInitializer(node.name + "_clip_min", integerTensor(p.storage, {}, {lo}), p.storage);
        const std::string max
            = rw.addInitializer(node.name + "_clip_max", integerTensor(p.storage, {}, {hi}), p.storage);
        const std::string clipped = rw.uniqueName(node.name + "_clipped");
        nodes.push_back(rw.makeNode("Clip", node.name + "_Clip", {codes, min, max}, {clipped}));
        codes = clipped;
    }
    nodes.push_back(withAxis(
        rw.makeNode("DequantizeLinear", node.name + "_DequantizeLinear", {codes, scale, zero}, {y}), p.axis));

    ConvertedQuantizer c;
    c.name = q.name;
    c.fromKind = node.opType;
    c.toKind = p.clip ? "QCDQ" : "QDQ";
    c.oldNodes = {node.name};
    for (const auto& n : nodes)
        c.newNodes.push_back(n.name());
    c.bits = p.range.bits;
    c.isSigned = p.range.isSigned;
    c.narrow = p.range.narrow;
    c.axis = p.axis;
    c.nonZeroZeroPoint
        = std::any_of(p.zeroPoint.begin(), p.zeroPoint.end(), [](std::int64_t z) { return z != 0; });
    if (c.nonZeroZeroPoint)
        c.note
            = "non-zero zero point: Quant rounds x/s + z, QuantizeLinear rounds x/s and adds z; codes can "
              "differ "
              "by one step where x/s is a tie (odd z flips half-to-even) or x/s + z rounds to one in float32";
    if (p.clip && !q.isSigned && q.narrow && p.range.bits == 8)
        c.note = "narrow unsigned 8-bit: Clip [0, 254] added (uint8 alone would allow 255)";
    for (TensorId t : node.inputs)
        if (t >= 0 && t != q.input)
            rw.releaseTensor(doc.tensor(t).name);
    rw.replace(q.mainNode, {q.mainNode}, std::move(nodes));
    return c;
}

} // namespace

ConversionReport convertToQcdq(ModelDocument& doc, const ConversionOptions&)
{
    ConversionReport report;
    report.target = ConversionTarget::Qcdq;
    const int opset = doc.opsetVersion("");
    std::vector<Plan> plans;
    for (const Quantizer& q : doc.quantizers()) {
        if (q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ
            || q.kind == QuantizerKind::DequantizeOnly)
            continue; // already QCDQ
        auto result = analyse(doc, q, opset);
        if (auto* reason = std::get_if<std::string>(&result))
            report.skipped.push_back({q.name, doc.node(q.mainNode).opType, nodeNames(doc, q), *reason});
        else
            plans.push_back(std::move(std::get<Plan>(result)));
    }

    // Raise the opset as far as the plans need and the graph allows; plans needing more are skipped.
    int target = std::max(opset, 1);
    for (int level : {kClipOpset, kQdqOpset}) {
        const bool needed
            = std::any_of(plans.begin(), plans.end(), [&](const Plan& p) { return p.opset >= level; });
        if (!needed || opset >= level)
            continue;
        const OpsetUpgrade upgrade = planOpsetUpgrade(doc, level);
        if (upgrade.possible()) {
            target = std::max(target, level);
            break;
        }
        std::string blockers;
        for (const auto& b : upgrade.blockers)
            blockers += (blockers.empty() ? "" : "; ") + b;
        std::vector<Plan> kept;
        for (Plan& p : plans) {
            if (p.opset < level) {
                kept.push_back(std::move(p));
                continue;
            }
            report.skipped.push_back({p.q->name, doc.node(p.q->mainNode).opType, nodeNames(doc, *p.q),
                p.why + " needs default opset " + std::to_string(p.opset) + ", but opset "
                    + std::to_string(opset) + " cannot be upgraded: " + blockers});
        }
        plans = std::move(kept);
    }

    GraphRewriter rw(doc.mutableProto());
    if (target > opset && !plans.empty()) {
        OpsetUpgrade upgrade = applyOpsetUpgrade(doc, rw, target);
        report.opsetChanges = std::move(upgrade.opsetChanges);
        report.nodeUpgrades = std::move(upgrade.changes);
    }
    for (const Plan& p : plans)
        report.converted.push_back(emit(doc, rw, p));
    rw.commit();
    if (report.modelChanged())
        doc.refresh(true);
    return report;
}

} // namespace qs
