#include "core/analysis/ranges.h"

#include "core/analysis/analysiscache.h"

#include <algorithm>

namespace qs {
namespace {

const Tensor* capturedValue(const RunResult& run, const std::string& name)
{
    if (const auto it = run.captured.find(name); it != run.captured.end() && it->second)
        return it->second.get();
    if (const auto it = run.outputs.find(name); it != run.outputs.end() && it->second)
        return it->second.get();
    return nullptr;
}

TensorRange describe(const ModelDocument& doc, TensorId id, const Tensor& value, int quantizer,
    const RangeOptions& options, AnalysisCache* cache)
{
    TensorRange r;
    r.tensor = id;
    r.name = doc.tensor(id).name;
    r.shape = value.shape();
    r.quantizer = quantizer;
    Log2Summary summary = cache ? cache->log2Summary(value, options.histogramBins)
                                : log2Summary(value, options.histogramBins);
    r.stats = summary.stats;
    r.histogram = std::move(summary.histogram);
    if (quantizer >= 0)
        r.representable = representableRange(doc.quantizers()[static_cast<std::size_t>(quantizer)]);
    return r;
}

std::optional<TensorRange> weightRange(
    const ModelDocument& doc, const Layer& layer, const RangeOptions& options, AnalysisCache* cache)
{
    TensorId source = layer.weight;
    if (layer.weightQuantizer >= 0)
        source = doc.quantizers()[static_cast<std::size_t>(layer.weightQuantizer)].input;
    if (source < 0)
        return std::nullopt;
    const std::optional<Tensor> value = doc.constantValue(source);
    if (!value)
        return std::nullopt;
    return describe(doc, source, *value, layer.weightQuantizer, options, cache);
}

std::optional<TensorRange> inputRange(const ModelDocument& doc, const Layer& layer, const RunResult* run,
    const RangeOptions& options, AnalysisCache* cache)
{
    if (!run || layer.input < 0)
        return std::nullopt;
    const Tensor* value = capturedValue(*run, doc.tensor(layer.input).name);
    if (!value)
        return std::nullopt;
    return describe(doc, layer.input, *value, layer.inputQuantizer, options, cache);
}

} // namespace

RangeReport analyzeRanges(
    const ModelDocument& doc, const RunResult* run, const RangeOptions& options, AnalysisCache* cache)
{
    RangeReport report;
    const auto& layers = doc.layers();
    std::vector<std::size_t> order(layers.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return doc.graph().topologicalPosition(layers[a].node)
            < doc.graph().topologicalPosition(layers[b].node);
    });
    for (std::size_t i : order) {
        const Layer& layer = layers[i];
        LayerRanges r;
        r.layer = static_cast<int>(i);
        r.name = layer.name;
        r.opType = layer.opType;
        r.weight = weightRange(doc, layer, options, cache);
        r.input = inputRange(doc, layer, run, options, cache);
        report.layers.push_back(std::move(r));
    }
    return report;
}

} // namespace qs
