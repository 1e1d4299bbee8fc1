#include "core/analysis/modelanalysis.h"

#include "core/exec/inputgenerator.h"

#include <chrono>

namespace qs {
namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::optional<double> bitsOf(const ModelDocument& doc, int quantizer)
{
    if (quantizer < 0)
        return std::nullopt;
    return doc.quantizers()[static_cast<std::size_t>(quantizer)].bitWidth;
}

} // namespace

std::vector<LayerSummary> summarizeLayers(const ModelDocument& doc, const CostReport& cost,
                                          const AccumulatorReport& accumulator, const QuantErrorReport* error)
{
    std::vector<LayerSummary> rows;
    for (std::size_t i = 0; i < doc.layers().size(); ++i) {
        const Layer& layer = doc.layers()[i];
        LayerSummary row;
        row.layer = static_cast<int>(i);
        row.name = layer.name;
        row.opType = layer.opType;
        row.inputBits = bitsOf(doc, layer.inputQuantizer);
        row.weightBits = bitsOf(doc, layer.weightQuantizer);
        row.outputBits = bitsOf(doc, layer.outputQuantizer);
        row.k = layer.dotProductLength.value_or(0);
        for (const LayerCost& c : cost.layers)
            if (c.node == layer.node) {
                row.macs = c.macs;
                row.bopsQonnx = c.bopsQonnx;
                row.bopsUniq = c.bopsUniq;
            }
        if (i < accumulator.layers.size()) {
            const LayerAccumulatorResult& a = accumulator.layers[i];
            row.accApplicable = a.applicable;
            row.accReason = a.reason;
            row.risk = a.risk.risk;
            if (a.applicable) {
                const AccumulatorBounds& b = a.boundsWithBias.layer;
                row.accExactBits = b.exactBits;
                row.accA2qBits = b.a2qValid ? b.a2qBits : -1;
                row.accA2qPlusBits = b.a2qPlusGenValid ? b.a2qPlusGenBits : -1;
                row.accDataTypeBits = b.dataType.exactBits;
                if (a.observed) {
                    row.accObservedBits = a.observedSummary.observedBits;
                    row.overflowElements = a.observedSummary.overflowElements;
                }
            }
        }
        if (error)
            for (const LayerError& e : error->layers)
                if (e.layer == static_cast<int>(i) && e.available)
                    row.sqnrDb = e.output.sqnrDb;
        rows.push_back(std::move(row));
    }
    return rows;
}

ModelAnalysis analyzeModel(const ModelDocument& doc, const AnalysisOptions& options, const Progress* progress)
{
    ModelAnalysis analysis;
    auto start = Clock::now();
    analysis.cost = computeInferenceCost(doc, options.cost);
    if (progress)
        progress->throwIfCancelled();
    std::optional<RunResult> quantized;
    if (options.dynamic) {
        const auto dynamicStart = Clock::now();
        ExecutorOptions executorOptions;
        executorOptions.threads = options.threads;
        executorOptions.limits = doc.limits();
        const Executor executor(doc, executorOptions);
        const std::map<std::string, Tensor> inputs =
            options.inputs.empty() ? randomInputs(doc, options.seed, options.batch) : options.inputs;
        RunOptions run;
        run.captureAll = true;
        run.anyBatchSize = true;
        quantized = executor.run(inputs, run, progress);
        run.bypassQuantizers = floatShadowBypass(doc);
        const RunResult floatShadow = executor.run(inputs, run, progress);
        QuantErrorOptions errorOptions;
        errorOptions.divergenceThresholdDb = options.divergenceThresholdDb;
        analysis.error = analyzeQuantizationError(doc, *quantized, floatShadow, errorOptions);
        analysis.ranges = analyzeRanges(doc, &*quantized);
        analysis.dynamicMs = msSince(dynamicStart);
    } else {
        analysis.ranges = analyzeRanges(doc, nullptr);
    }
    analysis.accumulator = analyzeAccumulators(doc, options.accumulator, quantized ? &*quantized : nullptr);
    analysis.layers = summarizeLayers(doc, analysis.cost, analysis.accumulator, analysis.error ? &*analysis.error : nullptr);
    analysis.staticMs = msSince(start) - analysis.dynamicMs;
    return analysis;
}

} // namespace qs
