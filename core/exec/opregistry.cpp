#include "core/exec/opregistry.h"

namespace qs {

const OpRegistry& OpRegistry::instance()
{
    // Explicit registration (no static registrars: a static library would drop them at link time).
    static const OpRegistry registry = [] {
        OpRegistry r;
        registerNeuralNetOps(r);
        registerElementwiseOps(r);
        registerShapeOps(r);
        registerQuantizerOps(r);
        registerMiscOps(r);
        return r;
    }();
    return registry;
}

std::string OpRegistry::groupOf(std::string_view domain)
{
    if (domain.empty() || domain == "ai.onnx")
        return kOnnx;
    if (domain == "qonnx.custom_op.general" || domain == "onnx.brevitas" || domain == "finn.custom_op.general")
        return kQonnx;
    if (domain == "qonnx.custom_op.channels_last")
        return kChannelsLast;
    return std::string(domain);
}

void OpRegistry::add(const std::string& group, const std::string& opType, KernelFn fn, int minOpset, int maxOpset)
{
    entries_[{group, opType}].push_back({minOpset, maxOpset, std::move(fn)});
}

const KernelFn* OpRegistry::find(std::string_view domain, std::string_view opType, int opset) const
{
    const std::string group = groupOf(domain);
    auto lookup = [&](const std::string& g) -> const KernelFn* {
        const auto it = entries_.find(std::pair<std::string, std::string>(g, std::string(opType)));
        if (it == entries_.end())
            return nullptr;
        for (const Entry& e : it->second)
            if (opset < 0 || (opset >= e.minOpset && opset <= e.maxOpset))
                return &e.fn;
        return nullptr;
    };
    if (const KernelFn* fn = lookup(group))
        return fn;
    // Early Brevitas exports put Quant / BipolarQuant into the default domain.
    if (group == kOnnx)
        return lookup(kQonnx);
    return nullptr;
}

} // namespace qs
