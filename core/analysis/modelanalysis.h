#pragma once
// Everything Quantscope measures about a model in one call: cost (qonnx and UNIQ BOPs), accumulator
// widths and risk, quantization error against the float shadow, and value ranges — plus one summary
// row per layer. The CLI's `analyze` prints it; the GUI's layer table, plots and overlays draw it.
#include "core/analysis/accumulatoranalysis.h"
#include "core/analysis/inferencecost.h"
#include "core/analysis/quanterror.h"
#include "core/analysis/ranges.h"

#include <map>
#include <optional>

namespace qs {

struct AnalysisOptions {
    AccumulatorOptions accumulator;
    CostOptions cost = {/*discountSparsity=*/false, /*cleaned=*/false}; // dense BOPs, as the GUI labels them
    bool dynamic = true; // run the executor: error, observed ranges, activation ranges
    std::uint64_t seed = 0; // random inputs when `inputs` is empty
    std::int64_t batch = 8;
    std::map<std::string, Tensor> inputs;
    double divergenceThresholdDb = 20.0;
    int threads = 1;
};

struct LayerSummary {
    int layer = -1;
    std::string name;
    std::string opType;
    std::optional<double> inputBits; // bit widths of the layer's quantizers
    std::optional<double> weightBits;
    std::optional<double> outputBits;
    std::int64_t k = 0;
    double macs = 0;
    double bopsQonnx = 0; // "mult only", qonnx datatypes
    double bopsUniq = 0; // "mult + add"
    bool accApplicable = false;
    std::string accReason;
    int accExactBits = 0;
    int accA2qBits = -1; // -1 when the method does not apply
    int accA2qPlusBits = -1;
    int accDataTypeBits = 0; // (a3) exact data-type worst case
    int accObservedBits = -1;
    RiskClass risk = RiskClass::NotApplicable;
    std::int64_t overflowElements = 0;
    std::optional<double> sqnrDb; // layer output vs float shadow
};

struct ModelAnalysis {
    CostReport cost;
    AccumulatorReport accumulator;
    std::optional<QuantErrorReport> error;
    RangeReport ranges;
    std::vector<LayerSummary> layers; // one per doc.layers() entry
    double staticMs = 0;
    double dynamicMs = 0; // the two runs, error and ranges (and accumulators when they run alongside)
    std::int64_t recomputedNodes = 0; // nodes the two runs executed (fewer when incremental)
    bool incremental = false; // the runs reused an earlier analysis' values (AnalysisSession)
};

ModelAnalysis analyzeModel(
    const ModelDocument& doc, const AnalysisOptions& options = {}, const Progress* progress = nullptr);

// The summary rows alone, from the parts (used when only some parts were recomputed).
std::vector<LayerSummary> summarizeLayers(const ModelDocument& doc, const CostReport& cost,
    const AccumulatorReport& accumulator, const QuantErrorReport* error);

// Building blocks shared by analyzeModel() and AnalysisSession, so both compute the same thing.
ExecutorOptions analysisExecutorOptions(const ModelDocument& doc, const AnalysisOptions& options);
// options.inputs, or seeded random inputs of options.batch samples (their range follows the input
// quantizers, so they change when an input quantizer is edited).
std::map<std::string, Tensor> analysisInputs(const ModelDocument& doc, const AnalysisOptions& options);
// The quantized run (floatShadow = false) or the float shadow, capturing every intermediate.
RunOptions analysisRunOptions(const ModelDocument& doc, bool floatShadow);

class AnalysisCache;
// Fills every part of `analysis` from the two runs (both null: static analysis only) and adds its
// time to staticMs / dynamicMs. `cache` (optional) is bound to the runs and memoizes per-tensor
// work across calls (see AnalysisCache). Reports each analysis as a step of `progress` (throws
// Cancelled when it is cancelled).
void analyzeRuns(const ModelDocument& doc, const AnalysisOptions& options, const RunResult* quantized,
    const RunResult* floatShadow, ModelAnalysis& analysis, AnalysisCache* cache = nullptr,
    const Progress* progress = nullptr);

} // namespace qs
