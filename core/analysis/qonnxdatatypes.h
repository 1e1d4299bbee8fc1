#pragma once
// qonnx's datatype inference (qonnx-ops.md §6) over a whole model: one QONNX datatype per tensor.
// `cleaned` chooses between qonnx's two observable behaviours (§8.1 "Order matters"): raw = types are
// inferred before constant folding, so a Quant whose bit width is computed by a constant subgraph is
// FLOAT32; cleaned = as after qonnx-cleanup, where such parameters are already initializers.
#include "core/model/modeldocument.h"
#include "core/numerics/datatype.h"

#include <vector>

namespace qs {

struct DataTypeOptions {
    bool allowScaledInt = true; // inference_cost switches scaled-int types on
    bool cleaned = false;
};

// Indexed by TensorId.
std::vector<DataType> inferQonnxDataTypes(const ModelDocument& doc, const DataTypeOptions& options = {});

// The finn_datatype annotations stored in the file (graph.quantization_annotation), by TensorId.
std::vector<std::optional<DataType>> fileDataTypeAnnotations(const ModelDocument& doc);

} // namespace qs
