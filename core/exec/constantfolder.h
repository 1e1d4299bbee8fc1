#pragma once
// Evaluates every constant tensor of a model (computed only from initializers and Constant nodes:
// weight quantizers, transposed weights, Ceil(bit_width), ...) with the executor's own kernels —
// the constant folding qonnx runs before inference_cost, without Python.
#include "core/exec/executor.h"

#include <unordered_map>

namespace qs {

struct FoldedConstants {
    std::unordered_map<TensorId, TensorRef> values; // every constant tensor that could be evaluated
    std::vector<std::string> failures;              // "'node' (Op): reason" for the ones that could not
};

FoldedConstants foldConstants(const ModelDocument& doc, Precision precision = Precision::Float32,
                              const Limits& limits = Limits::defaults());

} // namespace qs
