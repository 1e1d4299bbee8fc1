#include "core/convert/qcdqtoqonnx.h"

#include "core/convert/graphrewriter.h"
#include "core/convert/integerranges.h"
#include "core/kernels/quantizelinear.h"
#include "core/model/nodeattributes.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

namespace qs {
namespace {

using onnx::TensorProto;

const char* const kQonnxDomain = "qonnx.custom_op.general";

// Scale and zero point of one QuantizeLinear or DequantizeLinear, as ONNX defines them.
struct LinearParams {
    std::vector<double> scale;
    std::vector<double> zeroPoint; // zeros when the input is omitted
    int storage = TensorProto::UINT8;
    std::int64_t axis = 1;
    bool perChannel() const { return scale.size() > 1; }
};

struct Plan {
    const Quantizer* q = nullptr;
    IntegerRange range;
    LinearParams params;
    int rank = 0; // of the data tensor (for full-rank per-channel parameters)
    int axis = -1; // normalised channel axis, -1 per-tensor
    std::string note;
};

std::vector<std::string> nodeNames(const ModelDocument& doc, const Quantizer& q)
{
    std::vector<std::string> names;
    for (NodeId n : q.nodes)
        names.push_back(doc.node(n).name);
    return names;
}

std::string number(double v)
{
    return std::to_string(static_cast<long long>(v));
}

TensorId inputAt(const NodeInfo& node, std::size_t slot)
{
    return slot < node.inputs.size() ? node.inputs[slot] : -1;
}

std::variant<LinearParams, std::string> readLinear(const ModelDocument& doc, NodeId id, int dataType)
{
    const NodeInfo& node = doc.node(id);
    const onnx::NodeProto& proto = doc.nodeProto(id);
    LinearParams p;
    if (intAttribute(proto, "block_size").value_or(0) != 0)
        return std::string("blocked quantization (block_size) has no QONNX form");
    const auto scale = inputAt(node, 1) >= 0 ? doc.constantValue(inputAt(node, 1)) : std::nullopt;
    if (!scale)
        return "the scale of '" + node.name + "' is computed at run time";
    p.scale = scale->toDoubles();
    p.axis = intAttribute(proto, "axis").value_or(1);
    p.storage = dataType;
    if (const TensorId zp = inputAt(node, 2); zp >= 0) {
        const auto value = doc.constantValue(zp);
        if (!value)
            return "the zero point of '" + node.name + "' is computed at run time";
        p.zeroPoint = value->toDoubles();
        if (doc.tensor(zp).elemType != 0)
            p.storage = doc.tensor(zp).elemType;
    } else {
        p.zeroPoint.assign(p.scale.size(), 0.0); // ONNX: omitted zero point = 0
    }
    if (p.zeroPoint.size() != p.scale.size())
        return "scale and zero point of '" + node.name + "' have different sizes";
    return p;
}

// The storage type a QuantizeLinear produces: its zero point's type, else output_dtype, else uint8.
int quantizeOutputType(const ModelDocument& doc, NodeId q)
{
    const NodeInfo& node = doc.node(q);
    if (const TensorId zp = inputAt(node, 2); zp >= 0 && doc.tensor(zp).elemType != 0)
        return doc.tensor(zp).elemType;
    if (const auto t = intAttribute(doc.nodeProto(q), "output_dtype"); t && *t != 0)
        return static_cast<int>(*t);
    return TensorProto::UINT8;
}

// Clip bounds (inputs, or attributes before opset 11); an omitted bound is no bound.
std::variant<std::pair<double, double>, std::string> clipBounds(
    const ModelDocument& doc, NodeId clip, const StorageType& storage)
{
    const NodeInfo& node = doc.node(clip);
    const onnx::NodeProto& proto = doc.nodeProto(clip);
    std::pair<double, double> bounds {storage.min, storage.max};
    for (int slot : {1, 2}) {
        double& bound = slot == 1 ? bounds.first : bounds.second;
        if (const TensorId t = inputAt(node, static_cast<std::size_t>(slot)); t >= 0) {
            const auto value = doc.constantValue(t);
            if (!value || value->size() != 1)
                return std::string("the Clip bounds are computed at run time or not scalars");
            bound = value->at(0);
        } else if (const auto a = floatAttribute(proto, slot == 1 ? "min" : "max")) {
            bound = *a;
        }
    }
    // Codes are integers: a fractional bound admits the integers inside it.
    bounds.first = std::max(std::ceil(bounds.first), storage.min);
    bounds.second = std::min(std::floor(bounds.second), storage.max);
    return bounds;
}

// Finds the QONNX range for codes [lo, hi]; widens only when allowed (and says so).
std::variant<IntegerRange, std::string> rangeFor(
    double lo, double hi, const ConversionOptions& options, std::string& note)
{
    if (lo > hi)
        return "empty Clip range [" + number(lo) + ", " + number(hi) + "]";
    if (const auto exact = exactQonnxRange(lo, hi))
        return *exact;
    const auto enclosing = enclosingQonnxRange(lo, hi);
    if (!enclosing)
        return "the Clip range [" + number(lo) + ", " + number(hi) + "] fits no QONNX range";
    const std::string what = "the Clip range [" + number(lo) + ", " + number(hi)
        + "] is none of the four QONNX integer ranges; the smallest enclosing one is "
        + rangeText(*enclosing);
    if (!options.allowWiden)
        return what + " (pass --allow-widen to convert with it)";
    note = "widened: " + what + " (--allow-widen)";
    return *enclosing;
}

std::optional<int> dataRank(const ModelDocument& doc, TensorId t)
{
    if (const auto& dims = doc.tensor(t).dims)
        return static_cast<int>(dims->size());
    if (const auto value = doc.constantValue(t))
        return value->rank();
    return std::nullopt;
}

std::variant<Plan, std::string> analyse(
    const ModelDocument& doc, const Quantizer& q, const ConversionOptions& options)
{
    Plan p;
    p.q = &q;
    const NodeId first = q.nodes.front();
    const NodeId last = q.nodes.back();
    const bool lone = q.kind == QuantizerKind::DequantizeOnly;
    if (!lone && doc.node(last).opType != "DequantizeLinear")
        return std::string("QuantizeLinear without DequantizeLinear: its integer output has no QONNX form "
                           "(QONNX tensors are float)");
    if (q.input < 0 || q.output < 0)
        return std::string("the node has no data input or output");
    for (std::size_t i = 0; i + 1 < q.nodes.size(); ++i)
        for (TensorId t : doc.node(q.nodes[i]).outputs)
            if (t >= 0 && doc.tensor(t).isGraphOutput())
                return "the integer tensor '" + doc.tensor(t).name + "' is a graph output";

    int storageType = TensorProto::UINT8;
    if (lone) {
        if (!doc.tensor(q.input).isConstant || !doc.constantValue(q.input))
            return std::string(
                "DequantizeLinear on a run-time integer tensor (no QuantizeLinear before it) has no "
                "QONNX form");
        storageType = doc.tensor(q.input).elemType;
    } else {
        storageType = quantizeOutputType(doc, first);
    }
    const auto storage = qs::storageType(storageType);
    if (!storage)
        return "integer storage type " + std::to_string(storageType) + " is not supported";
    auto dq = readLinear(doc, last, storageType);
    if (auto* reason = std::get_if<std::string>(&dq))
        return *reason;
    p.params = std::get<LinearParams>(dq);
    if (!lone) {
        auto qp = readLinear(doc, first, storageType);
        if (auto* reason = std::get_if<std::string>(&qp))
            return *reason;
        const LinearParams& qParams = std::get<LinearParams>(qp);
        if (qParams.scale != p.params.scale || qParams.zeroPoint != p.params.zeroPoint)
            return std::string("QuantizeLinear and DequantizeLinear use different scales or zero points");
        if (qParams.perChannel() && qParams.axis != p.params.axis)
            return std::string("QuantizeLinear and DequantizeLinear use different axes");
    }
    for (double s : p.params.scale)
        if (!std::isfinite(s) || s == 0)
            return std::string("the scale contains zero or non-finite values");

    double lo = storage->min;
    double hi = storage->max;
    if (q.kind == QuantizerKind::QCDQ) {
        auto bounds = clipBounds(doc, q.nodes[1], *storage);
        if (auto* reason = std::get_if<std::string>(&bounds))
            return *reason;
        std::tie(lo, hi) = std::get<std::pair<double, double>>(bounds);
    }
    auto range = rangeFor(lo, hi, options, p.note);
    if (auto* reason = std::get_if<std::string>(&range))
        return *reason;
    p.range = std::get<IntegerRange>(range);

    const auto rank = dataRank(doc, q.input);
    if (!rank)
        return std::string("the rank of the data is unknown");
    p.rank = *rank;
    if (p.params.perChannel()) {
        const std::int64_t axis = p.params.axis < 0 ? p.params.axis + p.rank : p.params.axis;
        if (axis < 0 || axis >= p.rank)
            return "axis " + std::to_string(p.params.axis) + " is outside the data tensor";
        p.axis = static_cast<int>(axis);
    }
    if (lone) {
        double largest = 0;
        if (const auto w = doc.constantValue(q.input))
            for (std::int64_t i = 0; i < w->size(); ++i)
                largest = std::max(largest, std::fabs(w->at(i)));
        // Beyond 2^22, float32 x/scale of a dequantized code may not round back to the code.
        if (largest >= 4194304.0)
            p.note = "codes beyond 2^22: float32 re-quantization of the dequantized values may differ by one "
                     "step";
    }
    return p;
}

// A QONNX parameter: 0-D when all entries are equal, else full rank with the channels on `axis`.
Tensor qonnxParameter(const std::vector<double>& values, int rank, int axis)
{
    const bool same
        = std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
    std::vector<float> floats;
    for (double v : values)
        floats.push_back(static_cast<float>(v));
    if (same || axis < 0)
        return Tensor::scalar(floats.front());
    Shape shape(static_cast<std::size_t>(rank), 1);
    shape[static_cast<std::size_t>(axis)] = static_cast<std::int64_t>(values.size());
    return Tensor::fromFloats(shape, floats);
}

ConvertedQuantizer emit(const ModelDocument& doc, GraphRewriter& rw, const Plan& p)
{
    const Quantizer& q = *p.q;
    const NodeInfo& main = doc.node(q.mainNode);
    std::string x = doc.tensor(q.input).name;
    const std::string& y = doc.tensor(q.output).name;
    const NodeId lastNode = q.nodes.back();
    if (q.kind == QuantizerKind::DequantizeOnly) { // integer weights become their float values
        kernels::QuantAttrs attrs;
        attrs.axis = p.params.axis;
        const Tensor w = *doc.constantValue(q.input);
        const Tensor scale = *doc.constantValue(inputAt(main, 1));
        const TensorId zpId = inputAt(main, 2);
        const std::optional<Tensor> zp = zpId >= 0 ? doc.constantValue(zpId) : std::nullopt;
        const Tensor values
            = kernels::dequantizeLinear(w, scale.cast(DType::Float32), zp ? &*zp : nullptr, attrs);
        x = rw.addInitializer(x + "_float", values, TensorProto::FLOAT);
        rw.releaseTensor(doc.tensor(q.input).name);
    }
    const std::string base = doc.tensor(q.input).name;
    const std::string scale = rw.addInitializer(
        base + "_scale", qonnxParameter(p.params.scale, p.rank, p.axis), TensorProto::FLOAT);
    const std::string zero = rw.addInitializer(
        base + "_zeropt", qonnxParameter(p.params.zeroPoint, p.rank, p.axis), TensorProto::FLOAT);
    const std::string bits = rw.addInitializer(
        base + "_bitwidth", Tensor::scalar(static_cast<float>(p.range.bits)), TensorProto::FLOAT);
    onnx::NodeProto quant
        = rw.makeNode("Quant", main.name + "_qonnx", {x, scale, zero, bits}, {y}, kQonnxDomain);
    setIntAttribute(quant, "signed", p.range.isSigned ? 1 : 0);
    setIntAttribute(quant, "narrow", p.range.narrow ? 1 : 0);
    setStringAttribute(quant, "rounding_mode", "ROUND");

    ConvertedQuantizer c;
    c.name = q.name;
    c.fromKind = quantizerKindName(q.kind);
    c.toKind = "Quant";
    c.oldNodes = nodeNames(doc, q);
    c.newNodes = {quant.name()};
    c.bits = p.range.bits;
    c.isSigned = p.range.isSigned;
    c.narrow = p.range.narrow;
    c.axis = p.axis;
    c.nonZeroZeroPoint
        = std::any_of(p.params.zeroPoint.begin(), p.params.zeroPoint.end(), [](double z) { return z != 0; });
    c.note = p.note;
    if (c.nonZeroZeroPoint) // the same caveat as in the other direction (qonnxtoqcdq.cpp)
        c.note += std::string(c.note.empty() ? "" : "; ")
            + "non-zero zero point: QuantizeLinear rounds x/s and adds z, Quant rounds x/s + z; codes can "
              "differ by "
              "one step where x/s is a tie (odd z flips half-to-even) or x/s + z rounds to one in float32";
    for (NodeId n : q.nodes)
        for (std::size_t slot = 0; slot < doc.node(n).inputs.size(); ++slot)
            if (const TensorId t = doc.node(n).inputs[slot]; t >= 0 && !(n == q.nodes.front() && slot == 0))
                rw.releaseTensor(doc.tensor(t).name);
    for (NodeId n : q.nodes)
        if (n != lastNode)
            for (TensorId t : doc.node(n).outputs)
                if (t >= 0)
                    rw.releaseTensor(doc.tensor(t).name);
    rw.replace(q.nodes.front(), q.nodes, {std::move(quant)});
    return c;
}

} // namespace

ConversionReport convertToQonnx(ModelDocument& doc, const ConversionOptions& options)
{
    ConversionReport report;
    report.target = ConversionTarget::Qonnx;
    std::vector<Plan> plans;
    for (const Quantizer& q : doc.quantizers()) {
        if (q.kind != QuantizerKind::QCDQ && q.kind != QuantizerKind::QDQ
            && q.kind != QuantizerKind::DequantizeOnly)
            continue; // already QONNX
        auto result = analyse(doc, q, options);
        if (auto* reason = std::get_if<std::string>(&result))
            report.skipped.push_back({q.name, quantizerKindName(q.kind), nodeNames(doc, q), *reason});
        else
            plans.push_back(std::move(std::get<Plan>(result)));
    }
    if (plans.empty())
        return report;
    GraphRewriter rw(doc.mutableProto());
    for (const Plan& p : plans)
        report.converted.push_back(emit(doc, rw, p));
    if (doc.opsetVersion(kQonnxDomain) < 0) {
        setOpsetImport(doc.mutableProto(), kQonnxDomain, 1);
        report.opsetChanges.push_back({kQonnxDomain, -1, 1});
    }
    rw.commit();
    doc.refresh(true);
    return report;
}

} // namespace qs
