#include "core/exec/executor.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <chrono>
#include <cstring>

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

bool sameTensor(const Tensor& a, const Tensor& b)
{
    return a.dtype() == b.dtype() && a.shape() == b.shape()
        && (a.byteSize() == 0 || std::memcmp(a.rawData(), b.rawData(), a.byteSize()) == 0);
}

// FNV-1a over a sequence of strings, each terminated so that ("ab","c") != ("a","bc").
class Fnv {
public:
    void add(std::string_view text)
    {
        for (const char c : text)
            mix(static_cast<unsigned char>(c));
        mix(0xff);
    }
    void add(std::int64_t n) { add(std::to_string(n)); }
    std::uint64_t value() const { return hash_; }

private:
    void mix(unsigned char byte)
    {
        hash_ ^= byte;
        hash_ *= 1099511628211ull;
    }
    std::uint64_t hash_ = 14695981039346656037ull;
};

} // namespace

std::uint64_t Executor::graphSignature(const ModelDocument& doc)
{
    const GraphIndex& graph = doc.graph();
    Fnv fnv;
    // Initializers count by position only: their values are the executor's own constants, so a
    // node reading another initializer (an edit un-sharing a parameter) keeps the structure.
    auto addTensors = [&](const std::vector<TensorId>& tensors) {
        fnv.add(static_cast<std::int64_t>(tensors.size()));
        for (TensorId t : tensors)
            fnv.add(t < 0                             ? std::string_view()
                    : graph.tensor(t).isInitializer() ? std::string_view("\x01initializer")
                                                      : std::string_view(graph.tensor(t).name));
    };
    fnv.add(graph.nodeCount());
    for (NodeId id : graph.topologicalOrder()) {
        const NodeInfo& node = graph.node(id);
        fnv.add(node.name);
        fnv.add(node.opType);
        fnv.add(node.domain);
        addTensors(node.inputs);
        addTensors(node.outputs);
        fnv.add(doc.quantizerOfNode(id));
    }
    addTensors(graph.graphInputs());
    addTensors(graph.graphOutputs());
    // What a bypassed quantizer passes through.
    for (const Quantizer& q : doc.quantizers())
        addTensors({q.input, q.output});
    return fnv.value();
}

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
    signature_ = graphSignature(doc);
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

    RunResult result;
    result.capturedAll = options.captureAll;
    result.precision = options_.precision;
    result.graphSignature = signature_;
    for (const Quantizer& q : doc_.quantizers())
        if (options.bypassAllQuantizers || options.bypassQuantizers.count(q.id))
            result.bypassed.insert(q.id);
    auto bypassed = [&](int quantizer) { return quantizer >= 0 && result.bypassed.count(quantizer); };
    auto keep = [&](TensorId t) {
        const TensorInfo& info = graph.tensor(t);
        return info.isGraphOutput() || info.isInitializer() || options.captureAll
            || options.capture.count(info.name);
    };
    // Empty for a full run; otherwise which steps recompute, the rest come from options.reuse.
    const std::vector<bool> recompute
        = options.reuse ? stepsToRecompute(options, result.bypassed, values) : std::vector<bool>();
    auto reused = [&](TensorId t) -> TensorRef {
        const std::string& name = graph.tensor(t).name;
        if (const auto it = options.reuse->captured.find(name); it != options.reuse->captured.end())
            return it->second;
        if (const auto it = options.reuse->outputs.find(name); it != options.reuse->outputs.end())
            return it->second;
        return nullptr; // e.g. an optional output the kernel does not produce
    };
    if (options.reuse) // equal to the reused inputs (checked): share them, as every reused value
        for (TensorId id : graph.graphInputs())
            values[static_cast<std::size_t>(id)] = reused(id);

    // Folded steps only when the run sees every node as planned and wants no intermediate tensors.
    const bool useFolded = !foldedValues_.empty() && !options.reuse && result.bypassed.empty()
        && !options.captureAll && options.capture.empty();
    if (useFolded)
        for (const auto& [t, value] : foldedValues_)
            values[static_cast<std::size_t>(t)] = value;

    const kernels::KernelContext context {options_.threads};
    const std::int64_t total = static_cast<std::int64_t>(steps_.size());
    for (std::size_t s = 0; s < steps_.size(); ++s) {
        const Step& step = steps_[s];
        const NodeInfo& node = graph.node(step.node);
        if (progress)
            progress->step(static_cast<std::int64_t>(s), total, node.name);
        if (!recompute.empty() && !recompute[s]) {
            for (TensorId t : node.outputs)
                if (t >= 0)
                    values[static_cast<std::size_t>(t)] = reused(t);
        } else if (useFolded && folded_[s]) {
            // Computed once in the constructor.
        } else if (bypassed(step.quantizer)) {
            // Float shadow: the quantizer's output is its input, unchanged.
            if (step.quantizerOutput) {
                const Quantizer& q = doc_.quantizers()[static_cast<std::size_t>(step.quantizer)];
                values[static_cast<std::size_t>(q.output)] = values[static_cast<std::size_t>(q.input)];
            }
            ++result.executedSteps;
        } else {
            if (options.reuse)
                for (TensorId t : node.inputs)
                    if (t >= 0 && !values[static_cast<std::size_t>(t)])
                        throw Error("node " + describe(node) + ": input '" + graph.tensor(t).name
                            + "' is not in the reused run (it must be a captureAll run of this graph)");
            runStep(s, values, context);
            ++result.executedSteps;
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

std::vector<bool> Executor::stepsToRecompute(
    const RunOptions& options, const std::set<int>& bypassed, const std::vector<TensorRef>& inputs) const
{
    const RunResult& reuse = *options.reuse;
    const GraphIndex& graph = doc_.graph();
    if (!reuse.capturedAll)
        throw Error("cannot reuse a run that did not capture every intermediate (RunOptions::captureAll)");
    if (reuse.graphSignature != signature_)
        throw Error("cannot reuse a run of a different graph (its nodes, inputs or outputs differ)");
    if (reuse.precision != options_.precision)
        throw Error("cannot reuse a run made in another precision");
    if (reuse.bypassed != bypassed)
        throw Error("cannot reuse a run that bypassed other quantizers");
    for (TensorId id : graph.graphInputs()) {
        const std::string& name = graph.tensor(id).name;
        const auto it = reuse.captured.find(name);
        if (it == reuse.captured.end() || !it->second
            || !sameTensor(*it->second, *inputs[static_cast<std::size_t>(id)]))
            throw Error("cannot reuse a run made with other inputs (input '" + name + "' differs)");
    }
    std::vector<bool> dirtyNode(static_cast<std::size_t>(graph.nodeCount()), false);
    for (NodeId id : options.dirtyNodes) {
        if (id < 0 || id >= graph.nodeCount())
            throw Error("dirty node " + std::to_string(id) + " is not a node of the graph");
        dirtyNode[static_cast<std::size_t>(id)] = true;
    }
    std::vector<bool> dirtyTensor(static_cast<std::size_t>(graph.tensorCount()), false);
    auto isDirty = [&](TensorId t) { return t >= 0 && dirtyTensor[static_cast<std::size_t>(t)]; };
    std::vector<bool> recompute(steps_.size(), false);
    for (std::size_t s = 0; s < steps_.size(); ++s) {
        const Step& step = steps_[s];
        const NodeInfo& node = graph.node(step.node);
        bool dirty = false;
        if (step.quantizer >= 0 && bypassed.count(step.quantizer)) {
            // Bypassed: only the pass-through of the quantizer's input matters.
            if (step.quantizerOutput)
                dirty = isDirty(doc_.quantizers()[static_cast<std::size_t>(step.quantizer)].input);
        } else {
            dirty = dirtyNode[static_cast<std::size_t>(step.node)];
            for (TensorId t : node.inputs)
                dirty = dirty || isDirty(t);
        }
        recompute[s] = dirty;
        if (dirty)
            for (TensorId t : node.outputs)
                if (t >= 0)
                    dirtyTensor[static_cast<std::size_t>(t)] = true;
    }
    return recompute;
}

} // namespace qs
