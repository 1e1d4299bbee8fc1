#include "core/exec/executor.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <chrono>

namespace qs {
namespace {

int opsetFor(const ModelDocument& doc, const NodeInfo& node)
{
    const int declared = doc.opsetVersion(node.domain);
    if (declared >= 0)
        return declared;
    return node.domain.empty() ? 13 : 1; // undeclared custom domains: version 1, as qonnx assumes
}

std::string describe(const NodeInfo& node)
{
    return "'" + node.name + "' (" + node.opType + (node.domain.empty() ? "" : ", domain " + node.domain)
        + ")";
}

Tensor toComputeType(Tensor t, Precision precision, int declaredType)
{
    if (precision == Precision::Float64 && isFloating(t.dtype()))
        return t.dtype() == DType::Float64 ? std::move(t) : t.cast(DType::Float64);
    if (declaredType == onnx::TensorProto::FLOAT && t.dtype() == DType::Float64)
        return t.cast(DType::Float32);
    return t;
}

} // namespace

std::vector<std::string> Executor::unsupportedNodes(const ModelDocument& doc)
{
    std::vector<std::string> missing;
    const OpRegistry& registry = OpRegistry::instance();
    for (NodeId id : doc.graph().topologicalOrder()) {
        const NodeInfo& node = doc.node(id);
        if (!registry.find(node.domain, node.opType, opsetFor(doc, node)))
            missing.push_back(describe(node));
    }
    return missing;
}

Executor::Executor(const ModelDocument& doc, ExecutorOptions options)
    : doc_(doc)
    , options_(options)
{
    const std::vector<std::string> missing = unsupportedNodes(doc);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 8; ++i)
            list += (i ? ", " : "") + missing[i];
        if (missing.size() > 8)
            list += ", ... (" + std::to_string(missing.size() - 8) + " more)";
        throw Error("no kernel for " + std::to_string(missing.size()) + " node(s): " + list);
    }
    const GraphIndex& graph = doc.graph();
    const OpRegistry& registry = OpRegistry::instance();
    for (NodeId id : graph.topologicalOrder()) {
        const NodeInfo& node = graph.node(id);
        const int q = doc.quantizerOfNode(id);
        bool producesOutput = false;
        if (q >= 0) {
            const TensorId out = doc.quantizers()[static_cast<std::size_t>(q)].output;
            for (TensorId t : node.outputs)
                producesOutput = producesOutput || t == out;
        }
        steps_.push_back({id, registry.find(node.domain, node.opType, opsetFor(doc, node)),
            opsetFor(doc, node), q, producesOutput});
    }
    constants_.resize(static_cast<std::size_t>(graph.tensorCount()));
    lastUse_.assign(static_cast<std::size_t>(graph.tensorCount()), -1);
    for (TensorId t = 0; t < graph.tensorCount(); ++t) {
        const TensorInfo& info = graph.tensor(t);
        if (info.isInitializer()) {
            AllocationLimit limit(options_.limits.maxTensorBytes);
            constants_[static_cast<std::size_t>(t)] = std::make_shared<const Tensor>(
                toComputeType(*doc.initializerValue(t), options_.precision, info.elemType));
        }
    }
    for (std::size_t s = 0; s < steps_.size(); ++s)
        for (TensorId t : graph.node(steps_[s].node).inputs)
            if (t >= 0)
                lastUse_[static_cast<std::size_t>(t)] = static_cast<int>(s);
    foldConstants();
}

void Executor::runStep(
    std::size_t s, std::vector<TensorRef>& values, const kernels::KernelContext& context) const
{
    const Step& step = steps_[s];
    const GraphIndex& graph = doc_.graph();
    const NodeInfo& node = graph.node(step.node);
    std::vector<const Tensor*> args;
    for (TensorId t : node.inputs) {
        if (t < 0) {
            args.push_back(nullptr);
            continue;
        }
        const TensorRef& v = values[static_cast<std::size_t>(t)];
        if (!v)
            throw Error("node " + describe(node) + ": input '" + graph.tensor(t).name + "' has no value");
        args.push_back(v.get());
    }
    std::vector<Tensor> outs;
    try {
        const NodeCall call(
            doc_.nodeProto(step.node), step.opset, options_.precision, context, std::move(args));
        outs = (*step.kernel)(call);
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("node " + describe(node) + ": " + e.what());
    }
    for (std::size_t o = 0; o < node.outputs.size() && o < outs.size(); ++o) {
        const TensorId t = node.outputs[o];
        if (t < 0)
            continue;
        Tensor& out = outs[o];
        if (options_.precision == Precision::Float64 && out.dtype() == DType::Float32)
            out = out.cast(DType::Float64);
        values[static_cast<std::size_t>(t)] = std::make_shared<const Tensor>(std::move(out));
    }
}

void Executor::foldConstants()
{
    const GraphIndex& graph = doc_.graph();
    std::vector<bool> constant(static_cast<std::size_t>(graph.tensorCount()), false);
    for (TensorId t = 0; t < graph.tensorCount(); ++t)
        constant[static_cast<std::size_t>(t)] = constants_[static_cast<std::size_t>(t)] != nullptr;
    for (TensorId t : graph.graphInputs())
        constant[static_cast<std::size_t>(t)] = false;
    folded_.assign(steps_.size(), false);
    for (std::size_t s = 0; s < steps_.size(); ++s) {
        const NodeInfo& node = graph.node(steps_[s].node);
        const onnx::NodeProto& proto = doc_.nodeProto(steps_[s].node);
        // Not folded: random ops, and control flow whose subgraphs may read outer tensors implicitly.
        bool foldable = node.opType.rfind("Random", 0) != 0 && node.opType != "Multinomial"
            && node.opType != "Bernoulli";
        for (const auto& attribute : proto.attribute())
            foldable = foldable && !attribute.has_g() && attribute.graphs_size() == 0;
        for (TensorId t : node.inputs)
            foldable = foldable && (t < 0 || constant[static_cast<std::size_t>(t)]);
        folded_[s] = foldable;
        for (TensorId t : node.outputs)
            if (t >= 0)
                constant[static_cast<std::size_t>(t)] = foldable;
    }
    std::vector<TensorRef> values = constants_;
    try {
        AllocationLimit limit(options_.limits.maxTensorBytes);
        const kernels::KernelContext context {options_.threads};
        for (std::size_t s = 0; s < steps_.size(); ++s)
            if (folded_[s])
                runStep(s, values, context);
    } catch (const std::exception&) {
        // The failure is reported by run(), which then executes every step as before.
        folded_.assign(steps_.size(), false);
        return;
    }
    // Keep only what an unfolded step or the graph's outputs read.
    std::vector<bool> needed(static_cast<std::size_t>(graph.tensorCount()), false);
    for (std::size_t s = 0; s < steps_.size(); ++s)
        if (!folded_[s])
            for (TensorId t : graph.node(steps_[s].node).inputs)
                if (t >= 0)
                    needed[static_cast<std::size_t>(t)] = true;
    for (TensorId t : graph.graphOutputs())
        needed[static_cast<std::size_t>(t)] = true;
    for (std::size_t s = 0; s < steps_.size(); ++s)
        if (folded_[s])
            for (TensorId t : graph.node(steps_[s].node).outputs)
                if (t >= 0 && needed[static_cast<std::size_t>(t)] && values[static_cast<std::size_t>(t)])
                    foldedValues_.emplace_back(t, values[static_cast<std::size_t>(t)]);
    if (foldedValues_.empty())
        folded_.assign(steps_.size(), false);
}

RunResult Executor::run(
    const std::map<std::string, Tensor>& inputs, const RunOptions& options, const Progress* progress) const
{
    const auto start = std::chrono::steady_clock::now();
    const GraphIndex& graph = doc_.graph();
    AllocationLimit limit(options_.limits.maxTensorBytes);
    std::vector<TensorRef> values = constants_;

    for (TensorId id : graph.graphInputs()) {
        const TensorInfo& info = graph.tensor(id);
        const auto given = inputs.find(info.name);
        if (given == inputs.end())
            throw Error("graph input '" + info.name + "' was not given");
        const Tensor& x = given->second;
        if (info.dims) {
            bool matches = static_cast<std::size_t>(x.rank()) == info.dims->size();
            for (std::size_t i = 0; matches && i < info.dims->size(); ++i)
                matches = !(*info.dims)[i].isKnown() || (*info.dims)[i].value == x.shape()[i]
                    || (i == 0 && options.anyBatchSize);
            if (!matches)
                throw Error("graph input '" + info.name + "' expects shape " + info.shapeString()
                    + " but got " + shapeToString(x.shape()));
        }
        values[static_cast<std::size_t>(id)]
            = std::make_shared<const Tensor>(toComputeType(x, options_.precision, info.elemType));
    }
    for (const auto& [name, tensor] : inputs)
        if (const auto id = graph.findTensor(name); !id || !graph.tensor(*id).isGraphInput())
            throw Error("'" + name + "' is not an input of the model");

    auto bypassed = [&](int quantizer) {
        return quantizer >= 0 && (options.bypassAllQuantizers || options.bypassQuantizers.count(quantizer));
    };
    auto keep = [&](TensorId t) {
        const TensorInfo& info = graph.tensor(t);
        return info.isGraphOutput() || info.isInitializer() || options.captureAll
            || options.capture.count(info.name);
    };

    // Folded steps only when the run sees every node as planned and wants no intermediate tensors.
    const bool useFolded = !foldedValues_.empty() && !options.bypassAllQuantizers
        && options.bypassQuantizers.empty() && !options.captureAll && options.capture.empty();
    if (useFolded)
        for (const auto& [t, value] : foldedValues_)
            values[static_cast<std::size_t>(t)] = value;

    RunResult result;
    const kernels::KernelContext context {options_.threads};
    const std::int64_t total = static_cast<std::int64_t>(steps_.size());
    for (std::size_t s = 0; s < steps_.size(); ++s) {
        const Step& step = steps_[s];
        const NodeInfo& node = graph.node(step.node);
        if (progress)
            progress->step(static_cast<std::int64_t>(s), total, node.name);
        if (useFolded && folded_[s]) {
            // Computed once in the constructor.
        } else if (bypassed(step.quantizer)) {
            // Float shadow: the quantizer's output is its input, unchanged.
            if (step.quantizerOutput) {
                const Quantizer& q = doc_.quantizers()[static_cast<std::size_t>(step.quantizer)];
                values[static_cast<std::size_t>(q.output)] = values[static_cast<std::size_t>(q.input)];
            }
        } else {
            runStep(s, values, context);
        }
        // Capture what was asked for, then free what no later step reads.
        for (TensorId t : node.outputs)
            if (t >= 0 && values[static_cast<std::size_t>(t)]
                && (options.captureAll || options.capture.count(graph.tensor(t).name)))
                result.captured[graph.tensor(t).name] = values[static_cast<std::size_t>(t)];
        for (TensorId t : node.inputs)
            if (t >= 0 && lastUse_[static_cast<std::size_t>(t)] == static_cast<int>(s) && !keep(t))
                values[static_cast<std::size_t>(t)].reset();
    }
    for (TensorId id : graph.graphOutputs()) {
        if (!values[static_cast<std::size_t>(id)])
            throw Error("graph output '" + graph.tensor(id).name + "' was not computed");
        result.outputs[graph.tensor(id).name] = values[static_cast<std::size_t>(id)];
    }
    for (TensorId id : graph.graphInputs())
        if (options.captureAll || options.capture.count(graph.tensor(id).name))
            result.captured[graph.tensor(id).name] = values[static_cast<std::size_t>(id)];
    result.runMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace qs
