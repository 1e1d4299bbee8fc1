#pragma once
// Runs onnx's own checker and shape inference (with the QONNX schemas registered) on a working copy
// of the model, never on the document itself, so the original stays byte-for-byte as loaded.
// Custom domains that the file uses without declaring them in opset_import are declared on the copy
// (version 1, as qonnx's executor assumes) and reported.
#include "core/model/graphindex.h"

#include <onnx/onnx_pb.h>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

struct InferredType {
    int elemType = 0;
    std::optional<std::vector<Dim>> dims;
};

struct ShapeInferenceReport {
    std::unordered_map<std::string, InferredType> types; // every tensor the copy knows a type for
    std::string checkerResult;                           // "OK" or the checker's first complaint
    std::vector<std::string> diagnostics;                // undeclared domains, inference failures
    double inferenceMs = 0;
};

ShapeInferenceReport checkAndInferShapes(const onnx::ModelProto& model);

// dims of a TypeProto's tensor shape (nullopt when the rank is unknown).
std::optional<std::vector<Dim>> dimsFromType(const onnx::TypeProto& type);

} // namespace qs
