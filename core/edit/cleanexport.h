#pragma once
// Clean export for FINN, hls4ml and ONNX runtimes: a copy of the document with dead weight removed,
// parameter subgraphs folded, custom opsets declared, nodes in topological order and inferred shapes
// written to value_info, checked with onnx's checker (QONNX schemas registered). The document itself
// is not changed.
#include "core/model/modeldocument.h"

#include <filesystem>
#include <onnx/onnx_pb.h>
#include <string>
#include <vector>

namespace qs {

struct ExportOptions {
    bool foldParameterSubgraphs = true; // e.g. Ceil(bit_width) feeding a Quant -> an initializer
    bool removeUnusedInitializers = true; // and their graph-input declarations; dead constant nodes too
    bool removeStaleValueInfo = true; // value_info of tensors the graph no longer has
    bool declareCustomOpsets = true; // undeclared QONNX/FINN domains: version 1 (2 with a 6-input Trunc)
    bool sortTopologically = true;
    bool refreshShapes = true; // the document's inferred types and shapes into value_info
    // Raise the default-domain opset to this version (0: keep). Refused with an Error when an op of
    // the model would change meaning (Softmax, Squeeze, Split, Dropout, ... between 11 and 13); ops
    // whose newer versions only add element types (Clip gains int8 in 12) are allowed.
    int raiseDefaultOpsetTo = 0;
};

struct ExportReport {
    std::vector<std::string> actions; // one line per change made
    std::string checkerResult; // "OK" or the checker's first complaint
};

onnx::ModelProto cleanModel(
    const ModelDocument& doc, const ExportOptions& options = {}, ExportReport* report = nullptr);

// cleanModel() written atomically to `target`; external tensors are embedded when `target` is in
// another folder (as ModelDocument::save does).
ExportReport exportClean(
    const ModelDocument& doc, const std::filesystem::path& target, const ExportOptions& options = {});

// onnx's checker on `model` with the QONNX schemas registered: "OK" or its first complaint.
std::string checkModel(const onnx::ModelProto& model);

// Raises the default-domain opset of `model` to `version`; throws Error listing the conflicting ops.
void raiseDefaultOpset(onnx::ModelProto& model, int version, std::vector<std::string>& actions);

// Ops of `model` whose default-domain definition differs between its opset and `version` beyond
// added element types (empty: raising is safe).
std::vector<std::string> opsetRaiseConflicts(const onnx::ModelProto& model, int version);

} // namespace qs
