#pragma once
// Quantization error analysis (issue "Per-layer analyses", item 4): the quantized network against its
// float shadow (the same network with every quantizer replaced by identity), per quantizer, per
// compute layer and per graph output, plus the first layer where the error becomes large.
//
// SQNR is 10 log10(sum ref^2 / sum (quantized - ref)^2) with the float shadow as the reference; it is
// +infinity when the tensors are identical and -infinity when the reference is all zero but the
// quantized tensor is not (see errormetrics.h). Consumers that cannot carry infinities (JSON) must map
// them themselves; the numbers here are the exact ones.
#include "core/analysis/errormetrics.h"
#include "core/exec/executor.h"
#include "core/model/modeldocument.h"
#include "core/util/progress.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qs {

struct QuantErrorOptions {
    double divergenceThresholdDb = 20.0; // first layer whose output SQNR falls below this
    // runAndAnalyzeQuantizationError only: also run once per quantizer with all others bypassed and
    // compare the graph outputs against the float shadow (costs one extra run per quantizer).
    bool isolation = false;
};

struct QuantizerError {
    int quantizer = -1; // id into doc.quantizers()
    std::string name;
    bool available = false; // both runs had the quantizer's output tensor
    ErrorMetrics output; // its output tensor, quantized run vs float shadow (accumulated error)
    bool localAvailable = false;
    ErrorMetrics local; // its output vs its own input in the quantized run (the error it adds)
    bool clipKnown = false; // false for quantizers without an integer clamp or unknown parameters
    std::int64_t clipChecked = 0;
    double clipLowFraction = 0; // share of the quantized run's input below qmin after x/scale + zp
    double clipHighFraction = 0; // ... above qmax
    std::optional<ErrorMetrics> isolated; // graph outputs with only this quantizer active (isolation mode)
};

struct LayerError {
    int layer = -1; // index into doc.layers()
    std::string name;
    std::string opType;
    int topologicalPosition = -1;
    bool available = false;
    ErrorMetrics output; // doc.layers()[layer].output, quantized run vs float shadow
};

struct OutputAgreement {
    std::string name;
    ErrorMetrics metrics;
    // Classifier outputs ([N, C] or [N, C, 1, ...] with C >= 2): argmax over C per sample.
    bool classifier = false;
    std::int64_t samples = 0;
    std::int64_t top1Agreements = 0;
    double top1Agreement = 0; // fraction of samples whose top-1 class matches the float shadow
};

struct QuantErrorReport {
    double divergenceThresholdDb = 20.0;
    std::vector<LayerError> layers; // in topological order
    std::vector<QuantizerError> quantizers; // in quantizer id order
    std::vector<OutputAgreement> outputs; // in graph output order
    int firstDivergence = -1; // index into `layers`, -1 when no layer is below threshold
    ErrorMetrics allOutputs; // every graph output element pooled
    std::vector<std::string> notes; // tensors that could not be compared, and why
};

// Compares two runs of `doc` that captured all intermediates (RunOptions::captureAll): `quantized`
// as the model is, `floatShadow` with the quantizers bypassed (bypassAllQuantizers, or as below).
// Does not compute isolation.
// `cache` (optional) memoizes the per-tensor comparisons across calls (AnalysisSession).
class AnalysisCache;
QuantErrorReport analyzeQuantizationError(const ModelDocument& doc, const RunResult& quantized,
    const RunResult& floatShadow, const QuantErrorOptions& options = {}, AnalysisCache* cache = nullptr);

// Runs both passes (and the isolation passes when asked) and analyzes them. The float shadow bypasses
// every quantizer except lone DequantizeLinear nodes (their input is integer codes, with no float
// original to fall back to); those stay active in the isolation runs too. `inputs` as for
// Executor::run; a first dim different from the declared one is accepted (batching). Progress is
// reported over all passes; throws Cancelled when cancelled.
QuantErrorReport runAndAnalyzeQuantizationError(const Executor& executor,
    const std::map<std::string, Tensor>& inputs, const QuantErrorOptions& options = {},
    const Progress* progress = nullptr);

// The quantizers a float shadow bypasses: all but lone DequantizeLinear nodes, whose input is integer
// data with no float original (bypassing them would feed integers to float kernels). `keep` (a
// quantizer id, or -1) stays active too, for isolation runs.
std::set<int> floatShadowBypass(const ModelDocument& doc, int keep = -1);

// True for the output shapes analyzed as classifiers: rank >= 2, dim 1 >= 2, every later dim 1.
bool isClassifierShape(const Shape& shape);

} // namespace qs
