#include "core/analysis/quanterror.h"

#include "core/analysis/analysiscache.h"
#include "core/analysis/errorclipping.h"
#include "core/util/error.h"

#include <algorithm>
#include <set>

namespace qs {
namespace {

const Tensor* findValue(const RunResult& run, const std::string& name)
{
    if (const auto it = run.captured.find(name); it != run.captured.end() && it->second)
        return it->second.get();
    if (const auto it = run.outputs.find(name); it != run.outputs.end() && it->second)
        return it->second.get();
    return nullptr;
}

// A tensor's value in a run, falling back to the document's constants (initializers are not captured).
struct Value {
    const Tensor* tensor = nullptr;
    std::optional<Tensor> constant;
    const Tensor* get() const { return tensor ? tensor : (constant ? &*constant : nullptr); }
};

Value valueOf(const ModelDocument& doc, const RunResult& run, TensorId id)
{
    Value v;
    if (id < 0)
        return v;
    v.tensor = findValue(run, doc.tensor(id).name);
    if (!v.tensor && doc.tensor(id).isConstant)
        v.constant = doc.constantValue(id);
    return v;
}

bool compare(
    const Tensor* reference, const Tensor* test, ErrorMetrics& out, std::string& why, AnalysisCache* cache)
{
    if (!reference || !test) {
        why = !reference && !test
            ? "missing from both runs"
            : (!test ? "missing from the quantized run" : "missing from the float shadow");
        return false;
    }
    if (reference->shape() != test->shape()) {
        why = "shapes differ: " + shapeToString(test->shape()) + " vs " + shapeToString(reference->shape());
        return false;
    }
    out = cache ? cache->compare(*reference, *test) : compareTensors(*reference, *test);
    return true;
}

std::int64_t argmaxAt(const Tensor& t, std::int64_t offset, std::int64_t classes)
{
    std::int64_t best = 0;
    double bestValue = t.at(offset);
    for (std::int64_t c = 1; c < classes; ++c)
        if (const double v = t.at(offset + c); v > bestValue) {
            bestValue = v;
            best = c;
        }
    return best;
}

void analyzeLayers(const ModelDocument& doc, const RunResult& quantized, const RunResult& floatShadow,
    QuantErrorReport& report, AnalysisCache* cache)
{
    const auto& layers = doc.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = layers[i];
        LayerError e;
        e.layer = static_cast<int>(i);
        e.name = layer.name;
        e.opType = layer.opType;
        e.topologicalPosition = doc.graph().topologicalPosition(layer.node);
        if (layer.output >= 0) {
            std::string why;
            e.available = compare(findValue(floatShadow, doc.tensor(layer.output).name),
                findValue(quantized, doc.tensor(layer.output).name), e.output, why, cache);
            if (!e.available)
                report.notes.push_back(
                    "layer '" + layer.name + "': output '" + doc.tensor(layer.output).name + "' " + why);
        }
        report.layers.push_back(std::move(e));
    }
    std::stable_sort(
        report.layers.begin(), report.layers.end(), [](const LayerError& a, const LayerError& b) {
            return a.topologicalPosition < b.topologicalPosition;
        });
    for (std::size_t i = 0; i < report.layers.size(); ++i)
        if (report.layers[i].available && report.layers[i].output.sqnrDb < report.divergenceThresholdDb) {
            report.firstDivergence = static_cast<int>(i);
            break;
        }
}

void analyzeQuantizers(const ModelDocument& doc, const RunResult& quantized, const RunResult& floatShadow,
    QuantErrorReport& report, AnalysisCache* cache)
{
    for (const Quantizer& q : doc.quantizers()) {
        QuantizerError e;
        e.quantizer = q.id;
        e.name = q.name;
        const Value out = valueOf(doc, quantized, q.output);
        const Value in = valueOf(doc, quantized, q.input);
        std::string why;
        if (q.output >= 0) {
            e.available = compare(valueOf(doc, floatShadow, q.output).get(), out.get(), e.output, why, cache);
            if (!e.available)
                report.notes.push_back("quantizer '" + q.name + "': output " + why);
        }
        // The local error is meaningless for a lone DequantizeLinear: its input is integer codes.
        if (q.kind != QuantizerKind::DequantizeOnly)
            e.localAvailable = compare(in.get(), out.get(), e.local, why, cache);
        if (in.get())
            if (const auto clips = cache ? cache->clipCounts(q, *in.get()) : countClipped(q, *in.get());
                clips && clips->checked > 0) {
                e.clipKnown = true;
                e.clipChecked = clips->checked;
                e.clipLowFraction = static_cast<double>(clips->low) / static_cast<double>(clips->checked);
                e.clipHighFraction = static_cast<double>(clips->high) / static_cast<double>(clips->checked);
            }
        report.quantizers.push_back(std::move(e));
    }
}

void analyzeOutputs(const ModelDocument& doc, const RunResult& quantized, const RunResult& floatShadow,
    QuantErrorReport& report)
{
    ErrorAccumulator pooled;
    for (TensorId id : doc.graph().graphOutputs()) {
        OutputAgreement o;
        o.name = doc.tensor(id).name;
        const Tensor* reference = findValue(floatShadow, o.name);
        const Tensor* test = findValue(quantized, o.name);
        std::string why;
        if (!compare(reference, test, o.metrics, why, nullptr)) {
            report.notes.push_back("output '" + o.name + "': " + why);
            continue;
        }
        pooled.add(*reference, *test);
        if (isClassifierShape(test->shape())) {
            o.classifier = true;
            o.samples = test->shape()[0];
            const std::int64_t classes = test->shape()[1];
            for (std::int64_t n = 0; n < o.samples; ++n)
                o.top1Agreements
                    += argmaxAt(*test, n * classes, classes) == argmaxAt(*reference, n * classes, classes);
            o.top1Agreement
                = o.samples ? static_cast<double>(o.top1Agreements) / static_cast<double>(o.samples) : 1.0;
        }
        report.outputs.push_back(std::move(o));
    }
    report.allOutputs = pooled.finish();
}

ErrorMetrics pooledOutputs(const RunResult& reference, const RunResult& test)
{
    ErrorAccumulator acc;
    for (const auto& [name, tensor] : reference.outputs)
        if (const Tensor* t = findValue(test, name); t && tensor && t->shape() == tensor->shape())
            acc.add(*tensor, *t);
    return acc.finish();
}

} // namespace

std::set<int> floatShadowBypass(const ModelDocument& doc, int keep)
{
    std::set<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.id != keep && q.kind != QuantizerKind::DequantizeOnly)
            ids.insert(q.id);
    return ids;
}

bool isClassifierShape(const Shape& shape)
{
    if (shape.size() < 2 || shape[1] < 2)
        return false;
    return std::all_of(shape.begin() + 2, shape.end(), [](std::int64_t d) { return d == 1; });
}

QuantErrorReport analyzeQuantizationError(const ModelDocument& doc, const RunResult& quantized,
    const RunResult& floatShadow, const QuantErrorOptions& options, AnalysisCache* cache)
{
    QuantErrorReport report;
    report.divergenceThresholdDb = options.divergenceThresholdDb;
    analyzeLayers(doc, quantized, floatShadow, report, cache);
    analyzeQuantizers(doc, quantized, floatShadow, report, cache);
    analyzeOutputs(doc, quantized, floatShadow, report);
    return report;
}

QuantErrorReport runAndAnalyzeQuantizationError(const Executor& executor,
    const std::map<std::string, Tensor>& inputs, const QuantErrorOptions& options, const Progress* progress)
{
    const ModelDocument& doc = executor.document();
    const std::int64_t passes
        = 2 + (options.isolation ? static_cast<std::int64_t>(doc.quantizers().size()) : 0);
    std::int64_t pass = 0;
    // One inner Progress per pass, forwarding to the caller's over all passes (and its cancellation).
    auto runPass = [&](const RunOptions& run) {
        const Progress inner([&](std::int64_t done, std::int64_t total, std::string_view what) {
            if (progress)
                progress->step(pass * total + done, passes * total, what);
        });
        RunResult result = executor.run(inputs, run, &inner);
        ++pass;
        return result;
    };
    RunOptions quantizedRun;
    quantizedRun.captureAll = true;
    quantizedRun.anyBatchSize = true;
    RunOptions shadowRun = quantizedRun;
    shadowRun.bypassQuantizers = floatShadowBypass(doc, -1);
    const RunResult quantized = runPass(quantizedRun);
    const RunResult floatShadow = runPass(shadowRun);
    QuantErrorReport report = analyzeQuantizationError(doc, quantized, floatShadow, options);
    if (options.isolation) {
        for (QuantizerError& e : report.quantizers) {
            RunOptions only;
            only.anyBatchSize = true;
            only.bypassQuantizers = floatShadowBypass(doc, e.quantizer);
            e.isolated = pooledOutputs(floatShadow, runPass(only));
        }
    }
    return report;
}

} // namespace qs
