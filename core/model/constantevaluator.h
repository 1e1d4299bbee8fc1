#pragma once
// Evaluates small constant subgraphs (e.g. Ceil(bit_width) feeding a bias Quant, Constant nodes,
// reshaped scales) so the quantization view can read parameter values that are not initializers.
// It covers the cheap ops exporters use for parameters; anything else yields nullopt, and the full
// executor takes over for real constant folding.
#include "core/model/graphindex.h"
#include "core/util/limits.h"
#include "core/util/tensor.h"

#include <filesystem>
#include <onnx/onnx_pb.h>
#include <optional>
#include <unordered_map>

namespace qs {

class ConstantEvaluator {
public:
    ConstantEvaluator(const onnx::GraphProto& graph, const GraphIndex& index, std::filesystem::path modelFolder,
                      const Limits& limits = Limits::defaults());

    // The value of a constant tensor, or nullopt if it is not constant, too large, or needs an op
    // this evaluator does not know. Results are cached.
    std::optional<Tensor> value(TensorId id);

    static constexpr std::int64_t kMaxElements = std::int64_t(1) << 22;

private:
    std::optional<Tensor> evaluate(TensorId id, int depth);
    std::optional<Tensor> evaluateNode(NodeId node, int outputSlot, int depth);

    const onnx::GraphProto& graph_;
    const GraphIndex& index_;
    std::filesystem::path folder_;
    Limits limits_;
    std::unordered_map<TensorId, std::optional<Tensor>> cache_;
};

} // namespace qs
