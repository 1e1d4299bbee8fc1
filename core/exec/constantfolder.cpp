#include "core/exec/constantfolder.h"

#include "core/util/error.h"

namespace qs {

FoldedConstants foldConstants(const ModelDocument& doc, Precision precision, const Limits& limits)
{
    FoldedConstants folded;
    const GraphIndex& graph = doc.graph();
    const OpRegistry& registry = OpRegistry::instance();
    AllocationLimit allocationLimit(limits.maxTensorBytes);
    auto valueOf = [&](TensorId t) -> const Tensor* {
        if (const auto it = folded.values.find(t); it != folded.values.end())
            return it->second.get();
        if (graph.tensor(t).isInitializer()) {
            auto value = doc.initializerValue(t);
            if (!value)
                return nullptr;
            if (precision == Precision::Float64 && value->dtype() == DType::Float32)
                *value = value->cast(DType::Float64);
            return folded.values.emplace(t, std::make_shared<const Tensor>(std::move(*value))).first->second.get();
        }
        return nullptr;
    };
    for (NodeId id : graph.topologicalOrder()) {
        const NodeInfo& node = graph.node(id);
        bool constant = !node.outputs.empty();
        for (TensorId t : node.outputs)
            constant = constant && (t < 0 || graph.tensor(t).isConstant);
        if (!constant)
            continue;
        std::vector<const Tensor*> args;
        bool complete = true;
        for (TensorId t : node.inputs) {
            const Tensor* v = t >= 0 ? valueOf(t) : nullptr;
            complete = complete && (t < 0 || v);
            args.push_back(v);
        }
        const int opset = doc.opsetVersion(node.domain) >= 0 ? doc.opsetVersion(node.domain) : (node.domain.empty() ? 13 : 1);
        const KernelFn* kernel = registry.find(node.domain, node.opType, opset);
        if (!complete || !kernel) {
            folded.failures.push_back("'" + node.name + "' (" + node.opType + "): "
                                      + (kernel ? "an input could not be evaluated" : "no kernel"));
            continue;
        }
        try {
            const NodeCall call(doc.nodeProto(id), opset, precision, {}, std::move(args));
            std::vector<Tensor> outs = (*kernel)(call);
            for (std::size_t o = 0; o < node.outputs.size() && o < outs.size(); ++o)
                if (node.outputs[o] >= 0)
                    folded.values[node.outputs[o]] = std::make_shared<const Tensor>(std::move(outs[o]));
        } catch (const std::exception& e) {
            folded.failures.push_back("'" + node.name + "' (" + node.opType + "): " + e.what());
        }
    }
    return folded;
}

} // namespace qs
