#pragma once
// Accumulator width and overflow risk per MAC layer (accumulator-and-bops.md §2-§3): for each layer
// and output channel the width every method requires, the risk class for a P-bit register, and —
// given an executor run that captured the layers' inputs — the observed integer ranges with wrap-around
// and saturation effects. "n/a" with the reason where no integer accumulator exists.
#include "core/exec/executor.h"
#include "core/numerics/accumulator.h"
#include "core/numerics/advice.h"
#include "core/numerics/overflow.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qs {

struct AccumulatorOptions {
    int accBits = 32; // P
    bool signedRegister = true;
    OverflowMode mode = OverflowMode::Wrap;
    bool preloadBias = true; // analyse the bias in the accumulator when its scale allows it
};

struct LayerAccumulatorResult {
    int layer = -1; // index into doc.layers()
    bool applicable = false;
    std::string reason; // why not, when !applicable
    OperandRange input;
    OperandRange weight;
    double inputScale = 0;
    std::vector<double> weightScales; // s_w,c
    LayerAccumulator bounds; // without bias
    bool biasPreloaded = false; // bias quantized with scale s_x * s_w,c and zero point 0
    std::vector<std::int64_t> bias; // integer bias beta_c when preloaded
    LayerAccumulator boundsWithBias; // == bounds when no bias is preloaded
    LayerRisk risk;
    bool observed = false; // a run's captured input was analysed
    std::vector<ChannelObservation> observations;
    OverflowSummary observedSummary;
    BitWidthAdvice advice; // largest (N, M) by the data-type bound at P
    L1Advice l1Advice; // L1 budgets at P
    std::vector<std::string> notes;
};

struct AccumulatorReport {
    AccumulatorOptions options;
    std::vector<LayerAccumulatorResult> layers; // one per doc.layers() entry
};

// Tensors a run must capture so that analyzeAccumulators() can observe every layer.
std::set<std::string> accumulatorCaptureNames(const ModelDocument& doc);

// `run` may be null (static analysis only); otherwise it must have captured the layers' inputs.
// `cache` (optional) memoizes the observed ranges across calls (AnalysisSession).
class AnalysisCache;
AccumulatorReport analyzeAccumulators(const ModelDocument& doc, const AccumulatorOptions& options,
    const RunResult* run = nullptr, AnalysisCache* cache = nullptr);

const char* riskClassLabel(RiskClass risk); // "safe", "possible", "unverified", "observed", "n/a"

} // namespace qs
