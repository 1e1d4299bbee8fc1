#include "core/analysis/inferencecost.h"

#include "core/analysis/qonnxdatatypes.h"
#include "core/exec/constantfolder.h"
#include "core/model/nodeattributes.h"
#include "core/model/qonnxschemas.h"

#include <cmath>
#include <numeric>

namespace qs {
namespace {

const std::set<std::string>& freeOps()
{
    static const std::set<std::string> ops = {"MaxPool", "AveragePool", "Quant", "QuantizeLinear", "DequantizeLinear",
                                              "Reshape", "Concat", "Transpose", "Div", "Mul", "Add", "Sub",
                                              "BatchNormalization", "Relu", "Elu", "Selu", "Sigmoid", "Identity",
                                              "Flatten", "Pad", "Clip", "Trunc"};
    return ops;
}

double product(const std::vector<std::int64_t>& v, std::size_t from = 0, std::size_t to = std::string::npos)
{
    double p = 1;
    for (std::size_t i = from; i < std::min(to, v.size()); ++i)
        p *= static_cast<double>(v[i]);
    return p;
}

// One node's raw keys plus the numbers the totals are made of.
struct NodeCost {
    CostDict dict;
    double bops = 0;
    double memWBits = 0;
    double memOBits = 0;
};

void addMac(NodeCost& c, const DataType& a, const DataType& b, double macs)
{
    c.dict["op_mac_" + a.name() + "_" + b.name()] += macs;
    c.bops += static_cast<double>(a.bitWidth()) * b.bitWidth() * macs;
}

void addMem(NodeCost& c, const char* kind, const DataType& t, double elems)
{
    c.dict[std::string(kind) + t.name()] += elems;
    (std::string(kind) == "mem_w_" ? c.memWBits : c.memOBits) += static_cast<double>(t.bitWidth()) * elems;
}

// Adds a node's keys into a group dict and recomputes the group's totals.
void accumulate(CostDict& group, const NodeCost& c)
{
    for (const auto& [key, value] : c.dict)
        group[key] += value;
    group["total_bops"] += c.bops;
    group["total_mem_w_bits"] += c.memWBits;
    group["total_mem_o_bits"] += c.memOBits;
    double macs = 0, w = 0, o = 0;
    for (const auto& [key, value] : group) {
        if (key.rfind("op_mac_", 0) == 0)
            macs += value;
        else if (key.rfind("mem_w_", 0) == 0)
            w += value;
        else if (key.rfind("mem_o_", 0) == 0)
            o += value;
    }
    group["total_macs"] = macs;
    group["total_mem_w_elems"] = w;
    group["total_mem_o_elems"] = o;
}

double density(const FoldedConstants& folded, const ModelDocument& doc, TensorId t)
{
    const TensorRef value = [&]() -> TensorRef {
        if (const auto it = folded.values.find(t); it != folded.values.end())
            return it->second;
        if (auto v = doc.initializerValue(t))
            return std::make_shared<const Tensor>(std::move(*v));
        return nullptr;
    }();
    if (!value || value->size() == 0)
        return 1.0;
    std::int64_t nonZero = 0;
    for (std::int64_t i = 0; i < value->size(); ++i)
        nonZero += value->at(i) != 0.0;
    return static_cast<double>(nonZero) / static_cast<double>(value->size());
}

} // namespace

CostReport computeInferenceCost(const ModelDocument& doc, const CostOptions& options)
{
    CostReport report;
    const GraphIndex& graph = doc.graph();
    const std::vector<DataType> types = inferQonnxDataTypes(doc, {true, options.cleaned});
    const FoldedConstants folded = foldConstants(doc, Precision::Float32, doc.limits());
    for (const std::string& failure : folded.failures)
        report.notes.push_back("constant folding: " + failure);
    const auto typeOf = [&](TensorId t) { return t >= 0 ? types[static_cast<std::size_t>(t)] : DataType::float32(); };

    // What qonnx's folding removes: constant subgraphs, including Shape of a statically known tensor.
    std::vector<char> foldedNode(static_cast<std::size_t>(graph.nodeCount()), 0);
    std::vector<char> foldedTensor(static_cast<std::size_t>(graph.tensorCount()), 0);
    for (TensorId t = 0; t < graph.tensorCount(); ++t)
        foldedTensor[static_cast<std::size_t>(t)] = graph.tensor(t).isConstant;
    for (NodeId id : graph.topologicalOrder()) {
        const NodeInfo& node = graph.node(id);
        bool folds = node.domain.empty() && node.opType == "Shape" && !node.inputs.empty() && node.inputs[0] >= 0
            && graph.tensor(node.inputs[0]).staticShape().has_value();
        if (!folds) {
            folds = !node.inputs.empty() || (node.domain.empty() && node.opType == "Constant");
            for (TensorId t : node.inputs)
                folds = folds && (t < 0 || foldedTensor[static_cast<std::size_t>(t)]);
        }
        foldedNode[static_cast<std::size_t>(id)] = folds;
        for (TensorId t : node.outputs)
            if (t >= 0)
                foldedTensor[static_cast<std::size_t>(t)] = foldedTensor[static_cast<std::size_t>(t)] || folds;
    }

    const auto isWeight = [&](TensorId t) { return t >= 0 && foldedTensor[static_cast<std::size_t>(t)]; };
    std::map<std::string, int> counters;
    for (NodeId id = 0; id < graph.nodeCount(); ++id) { // qonnx names nodes in graph (file) order
        const NodeInfo& node = graph.node(id);
        if (foldedNode[static_cast<std::size_t>(id)])
            continue; // constant subgraphs are folded away before costing
        const std::string name = node.opType + "_" + std::to_string(counters[node.opType]++);
        const bool counted = node.opType == "Conv" || node.opType == "MatMul" || node.opType == "Gemm"
            || node.opType == "Upsample";
        if (!counted) {
            if (!freeOps().count(node.opType))
                report.unsupported.insert(node.opType);
            continue;
        }
        const TensorId x = node.inputs.size() > 0 ? node.inputs[0] : -1;
        const TensorId w = node.inputs.size() > 1 ? node.inputs[1] : -1;
        const TensorId y = node.outputs.empty() ? -1 : node.outputs[0];
        const auto xs = x >= 0 ? graph.tensor(x).staticShape() : std::nullopt;
        const auto ws = w >= 0 ? graph.tensor(w).staticShape() : std::nullopt;
        const auto ys = y >= 0 ? graph.tensor(y).staticShape() : std::nullopt;
        if (!xs || !ys || (node.opType != "Upsample" && !ws)) {
            report.notes.push_back("'" + node.name + "' (" + node.opType + "): shapes unknown, not costed");
            continue;
        }
        const onnx::NodeProto& proto = doc.nodeProto(id);
        // Shapes that cannot belong to this op (a hostile or broken file) are noted, not costed: the
        // formulas below index them (found by fuzzing).
        const std::size_t minRank = node.opType == "Conv" ? 3 : 1;
        const bool convGroupOk = node.opType != "Conv" || intAttribute(proto, "group").value_or(1) >= 1;
        if (xs->size() < minRank || ys->size() < minRank || (ws && node.opType != "Upsample" && ws->size() < minRank)
            || !convGroupOk) {
            report.notes.push_back("'" + node.name + "' (" + node.opType + "): shapes or group do not fit the op, not costed");
            continue;
        }
        NodeCost cost;
        LayerCost layer;
        layer.node = id;
        layer.qonnxName = name;
        layer.inputType = typeOf(x).name();
        layer.weightType = typeOf(w).name();
        layer.outputType = typeOf(y).name();
        const double outElems = product(*ys);
        if (node.opType == "Upsample") {
            const std::string mode = stringAttribute(proto, "mode").value_or("nearest");
            double macs = 0;
            if (mode == "linear" || mode == "bilinear") {
                int upscaled = 0;
                if (w >= 0)
                    if (const auto scales = doc.constantValue(w))
                        for (std::int64_t i = 0; i < scales->size(); ++i)
                            upscaled += scales->at(i) > 1;
                macs = 2.0 * upscaled * product(*ys);
            }
            addMac(cost, typeOf(x), typeOf(x), macs);
            addMem(cost, "mem_o_", typeOf(y), outElems);
        } else {
            double macs = 0, wMem = 0, k = 0;
            TensorId weight = -1;
            if (node.opType == "Conv") {
                const bool channelsLast = isChannelsLastDomain(node.domain);
                const double n = static_cast<double>((*xs)[0]);
                const double cin = static_cast<double>(channelsLast ? xs->back() : (*xs)[1]);
                const double cout = static_cast<double>(channelsLast ? ys->back() : (*ys)[1]);
                const double group = static_cast<double>(intAttribute(proto, "group").value_or(1));
                std::vector<std::int64_t> kernel = intsAttribute(proto, "kernel_shape").value_or(std::vector<std::int64_t> {});
                if (kernel.empty())
                    kernel.assign(ws->begin() + (channelsLast ? 1 : 2), ws->end() - (channelsLast ? 1 : 0));
                const double spatial = channelsLast ? product(*ys, 1, ys->size() - 1) : product(*ys, 2);
                macs = n * (cout / group) * cin * product(kernel) * spatial;
                k = cin / group * product(kernel);
                wMem = product(*ws);
                weight = w;
            } else { // MatMul / Gemm: K is A's reduced dim (Gemm's transA reverses A)
                k = static_cast<double>(node.opType == "Gemm" && intAttribute(proto, "transA").value_or(0) ? xs->front() : xs->back());
                macs = k * outElems;
                if (isWeight(x) && !isWeight(w)) {
                    weight = x;
                    wMem = product(*xs);
                } else if (isWeight(w)) {
                    weight = w;
                    wMem = product(*ws);
                }
            }
            layer.weightDensity = options.discountSparsity && weight >= 0 ? density(folded, doc, weight) : 1.0;
            layer.macsDense = macs;
            layer.macs = macs * layer.weightDensity;
            layer.dotProductLength = std::isfinite(k) && k < 0x1p62 ? static_cast<std::int64_t>(k) : 0;
            addMac(cost, typeOf(x), typeOf(w), layer.macs);
            addMem(cost, "mem_w_", typeOf(w), wMem * layer.weightDensity); // labelled by input 1 (upstream)
            addMem(cost, "mem_o_", typeOf(y), outElems);
            const double ba = typeOf(x).bitWidth();
            const double bw = typeOf(weight >= 0 ? weight : w).bitWidth();
            layer.bopsQonnx = layer.macs * ba * bw;
            const double log2k = k > 0 ? std::log2(k) : 0.0;
            layer.bopsUniq = outElems * k * (ba * bw + ba + bw + log2k);
            layer.bopsUniqPruned = outElems * k * (layer.weightDensity * ba * bw + ba + bw + log2k);
            report.layers.push_back(layer);
        }
        accumulate(report.perNode[name], cost);
        accumulate(report.perOpType[node.opType], cost);
        accumulate(report.total, cost);
    }
    for (const char* key : {"total_macs", "total_bops", "total_mem_w_elems", "total_mem_w_bits", "total_mem_o_elems",
                            "total_mem_o_bits"})
        report.total.try_emplace(key, 0.0);
    return report;
}

} // namespace qs
