#include "core/analysis/modelanalysis.h"

#include "core/analysis/analysiscache.h"
#include "core/exec/inputgenerator.h"

#include <chrono>
#include <future>

namespace qs {
namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

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

ExecutorOptions analysisExecutorOptions(const ModelDocument& doc, const AnalysisOptions& options)
{
    ExecutorOptions executorOptions;
    executorOptions.threads = options.threads;
    executorOptions.limits = doc.limits();
    return executorOptions;
}

std::map<std::string, Tensor> analysisInputs(const ModelDocument& doc, const AnalysisOptions& options)
{
    return options.inputs.empty() ? randomInputs(doc, options.seed, options.batch) : options.inputs;
}

RunOptions analysisRunOptions(const ModelDocument& doc, bool floatShadow)
{
    RunOptions run;
    run.captureAll = true;
    run.anyBatchSize = true;
    if (floatShadow)
        run.bypassQuantizers = floatShadowBypass(doc);
    return run;
}

void analyzeRuns(const ModelDocument& doc, const AnalysisOptions& options, const RunResult* quantized,
    const RunResult* floatShadow, ModelAnalysis& analysis, AnalysisCache* cache, const Progress* progress)
{
    auto stage = [&](std::int64_t done, std::string_view what) {
        if (progress)
            progress->step(done, 4, what);
    };
    stage(0, "cost");
    auto start = Clock::now();
    analysis.cost = computeInferenceCost(doc, options.cost);
    analysis.staticMs += msSince(start);
    if (cache)
        cache->bind(quantized, floatShadow);
    const auto error = [&]() -> std::optional<QuantErrorReport> {
        if (!quantized || !floatShadow)
            return std::nullopt;
        QuantErrorOptions errorOptions;
        errorOptions.divergenceThresholdDb = options.divergenceThresholdDb;
        return analyzeQuantizationError(doc, *quantized, *floatShadow, errorOptions, cache);
    };
    const auto ranges = [&] { return analyzeRanges(doc, quantized, {}, cache); };
    const auto accumulators = [&] { return analyzeAccumulators(doc, options.accumulator, quantized, cache); };
    start = Clock::now();
    if (options.threads > 1 && quantized) {
        // The three read the runs and the document, never each other's results: side by side they
        // give exactly what they give one after the other (the cache is safe for this).
        stage(1, "quantization error, value ranges and accumulators");
        auto accumulatorsLater = std::async(std::launch::async, accumulators);
        auto rangesLater = std::async(std::launch::async, ranges);
        analysis.error = error();
        analysis.ranges = rangesLater.get();
        analysis.accumulator = accumulatorsLater.get();
        analysis.dynamicMs += msSince(start);
    } else {
        stage(1, "quantization error");
        analysis.error = error();
        stage(2, "value ranges");
        analysis.ranges = ranges();
        analysis.dynamicMs += msSince(start);
        stage(3, "accumulators");
        start = Clock::now();
        analysis.accumulator = accumulators();
        analysis.staticMs += msSince(start);
    }
    start = Clock::now();
    analysis.layers = summarizeLayers(
        doc, analysis.cost, analysis.accumulator, analysis.error ? &*analysis.error : nullptr);
    analysis.staticMs += msSince(start);
}

ModelAnalysis analyzeModel(const ModelDocument& doc, const AnalysisOptions& options, const Progress* progress)
{
    ModelAnalysis analysis;
    if (!options.dynamic) {
        analyzeRuns(doc, options, nullptr, nullptr, analysis, nullptr, progress);
        return analysis;
    }
    const auto start = Clock::now();
    const Executor executor(doc, analysisExecutorOptions(doc, options));
    const std::map<std::string, Tensor> inputs = analysisInputs(doc, options);
    const RunResult quantized = executor.run(inputs, analysisRunOptions(doc, false), progress);
    const RunResult floatShadow = executor.run(inputs, analysisRunOptions(doc, true), progress);
    analysis.recomputedNodes = quantized.executedSteps + floatShadow.executedSteps;
    analysis.dynamicMs = msSince(start);
    analyzeRuns(doc, options, &quantized, &floatShadow, analysis, nullptr, progress);
    return analysis;
}

} // namespace qs
