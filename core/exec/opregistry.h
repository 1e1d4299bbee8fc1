#pragma once
// Kernel registry keyed by (domain, op type, opset range). QONNX's custom domains (and Quant /
// BipolarQuant in the default domain, as early exports wrote them) resolve to one "qonnx" group.
#include "core/exec/nodecall.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

using KernelFn = std::function<std::vector<Tensor>(const NodeCall&)>;

class OpRegistry {
public:
    static const OpRegistry& instance(); // with every built-in op registered

    static constexpr const char* kOnnx = "";
    static constexpr const char* kQonnx = "qonnx";
    static constexpr const char* kChannelsLast = "qonnx.channels_last";

    void add(const std::string& group, const std::string& opType, KernelFn fn, int minOpset = 1, int maxOpset = 1000);
    // nullptr when no kernel handles this op at this opset.
    const KernelFn* find(std::string_view domain, std::string_view opType, int opset) const;
    static std::string groupOf(std::string_view domain);

private:
    struct Entry {
        int minOpset;
        int maxOpset;
        KernelFn fn;
    };
    std::map<std::pair<std::string, std::string>, std::vector<Entry>, std::less<>> entries_;
};

// Registration functions, one per concept (ops_*.cpp).
void registerNeuralNetOps(OpRegistry& registry);
void registerElementwiseOps(OpRegistry& registry);
void registerShapeOps(OpRegistry& registry);
void registerQuantizerOps(OpRegistry& registry);
void registerMiscOps(OpRegistry& registry);

} // namespace qs
