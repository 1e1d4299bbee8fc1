#include "core/projection/accumulatorfit.h"

#include "core/analysis/accumulatoranalysis.h"
#include "core/analysis/quanterror.h"
#include "core/analysis/weightcodes.h"
#include "core/edit/changerecorder.h"
#include "core/exec/constantfolder.h"
#include "core/projection/integerprojection.h"
#include "core/projection/weightwriter.h"
#include "core/util/error.h"

#include <cmath>
#include <set>

namespace qs {
namespace {

struct LayerPlan {
    int layer = -1;
    std::vector<std::int64_t> rows; // projected codes, channels x k
    std::vector<CodeChange> changes;
};

AccumulatorOptions analysisOptions(const FitOptions& o)
{
    AccumulatorOptions a;
    a.accBits = o.accBits;
    a.preloadBias = o.preloadBias;
    return a;
}

// Layer indices named in the options; throws for a name that is no layer.
std::set<int> namedLayers(const ModelDocument& doc, const FitOptions& o)
{
    std::set<int> named;
    for (const std::string& name : o.layers) {
        bool found = false;
        for (std::size_t i = 0; i < doc.layers().size(); ++i) {
            const Layer& l = doc.layers()[i];
            if (l.name == name || doc.nodeProto(l.node).name() == name) {
                named.insert(static_cast<int>(i));
                found = true;
            }
        }
        if (!found)
            throw Error("no layer named '" + name + "' (quantscope-cli info lists them)");
    }
    return named;
}

void describe(LayerFit& fit, const LayerAccumulatorResult& r, FitMethod method, bool after)
{
    const AccumulatorBounds& b = r.boundsWithBias.layer;
    (after ? fit.maxL1After : fit.maxL1Before) = r.boundsWithBias.maxL1;
    (after ? fit.methodBitsAfter : fit.methodBitsBefore) = methodBits(b, method);
    (after ? fit.exactBitsAfter : fit.exactBitsBefore) = b.exactBits;
    (after ? fit.riskAfter : fit.riskBefore) = r.risk.risk;
}

// The projected codes of one layer; sets the statistics of `fit`. Throws for an impossible fit.
LayerPlan planLayer(const ModelDocument& doc, const LayerAccumulatorResult& r, const FoldedConstants& folded,
    const FitOptions& o, LayerFit& fit)
{
    const Layer& layer = doc.layers()[static_cast<std::size_t>(r.layer)];
    std::string why;
    const std::optional<IntegerWeights> w = integerWeights(doc, layer, folded, why);
    if (!w)
        throw Error("layer '" + layer.name + "': " + why);
    LayerPlan plan {r.layer, w->rows, {}};
    double codeErr = 0, codeNorm = 0, weightErr = 0, weightNorm = 0;
    bool anyLeft = false, anyBefore = false;
    for (std::int64_t c = 0; c < w->channels; ++c) {
        const auto begin = static_cast<std::size_t>(c * w->k);
        const std::span<const std::int64_t> row(w->rows.data() + begin, static_cast<std::size_t>(w->k));
        const std::int64_t beta = r.biasPreloaded ? r.bias.at(static_cast<std::size_t>(c)) : 0;
        const std::optional<ChannelProjection> p
            = projectChannel(row, channelBudget(o.method, r.input, beta, o.accBits));
        if (!p)
            throw Error("layer '" + layer.name + "', channel " + std::to_string(c) + ": the preloaded bias "
                + std::to_string(beta) + " alone does not fit a " + std::to_string(o.accBits)
                + "-bit accumulator");
        const double scale = w->channelScale[static_cast<std::size_t>(c)];
        bool changed = false, rowLeft = false, rowBefore = false;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::int64_t before = row[i], after = p->weights[i];
            const double d = static_cast<double>(before - after), v = static_cast<double>(before);
            codeErr += d * d;
            codeNorm += v * v;
            weightErr += d * d * scale * scale;
            weightNorm += v * v * scale * scale;
            rowLeft = rowLeft || after != 0;
            rowBefore = rowBefore || before != 0;
            if (before == after)
                continue;
            changed = true;
            plan.rows[begin + i] = after;
            plan.changes.push_back({w->sourceIndex[begin + i], after, scale});
        }
        fit.channelsChanged += changed ? 1 : 0;
        fit.channelsZeroed += changed && !rowLeft ? 1 : 0;
        anyLeft = anyLeft || rowLeft;
        anyBefore = anyBefore || rowBefore;
    }
    if (anyBefore && !anyLeft)
        throw Error("a " + std::to_string(o.accBits) + "-bit accumulator leaves layer '" + layer.name
            + "' no non-zero weight by the " + fitMethodName(o.method) + " bound; choose a larger width");
    fit.codesChanged = static_cast<std::int64_t>(plan.changes.size());
    fit.codeError = codeNorm > 0 ? std::sqrt(codeErr / codeNorm) : 0.0;
    fit.weightError = weightNorm > 0 ? std::sqrt(weightErr / weightNorm) : 0.0;
    return plan;
}

// Quantizers the float shadow bypasses: all but lone DequantizeLinear (no float original exists).
std::set<int> shadowBypass(const ModelDocument& doc)
{
    std::set<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.kind != QuantizerKind::DequantizeOnly)
            ids.insert(q.id);
    return ids;
}

// Reads the codes back and re-runs the analysis; throws when the edit did not do what was planned.
void verify(
    const ModelDocument& doc, const std::vector<LayerPlan>& plans, const FitOptions& o, FitReport& report)
{
    const FoldedConstants folded = foldConstants(doc, Precision::Float32);
    const AccumulatorReport after = analyzeAccumulators(doc, analysisOptions(o));
    for (const LayerPlan& plan : plans) {
        const Layer& layer = doc.layers()[static_cast<std::size_t>(plan.layer)];
        std::string why;
        const std::optional<IntegerWeights> w = integerWeights(doc, layer, folded, why);
        if (!w || w->rows != plan.rows)
            throw Error(
                "layer '" + layer.name + "': the edited model does not read back the projected codes");
        const LayerAccumulatorResult& r = after.layers.at(static_cast<std::size_t>(plan.layer));
        LayerFit& fit = report.layers.at(static_cast<std::size_t>(plan.layer));
        describe(fit, r, o.method, true);
        if (!r.applicable || fit.methodBitsAfter > o.accBits || fit.riskAfter != RiskClass::Safe)
            throw Error("layer '" + layer.name + "': the projected weights still need "
                + std::to_string(fit.methodBitsAfter) + " bits");
    }
}

struct Runs {
    RunResult quantized;
    RunResult shadow;
};

RunOptions captureAllRun()
{
    RunOptions run;
    run.captureAll = true;
    run.anyBatchSize = true;
    return run;
}

void attachErrors(const ModelDocument& doc, const RunResult& quantized, const RunResult& shadow,
    FitReport& report, bool after)
{
    const QuantErrorReport e = analyzeQuantizationError(doc, quantized, shadow);
    (after ? report.outputsAfter : report.outputsBefore) = e.allOutputs;
    for (const LayerError& l : e.layers)
        if (l.available && l.layer >= 0 && l.layer < static_cast<int>(report.layers.size()))
            (after ? report.layers[static_cast<std::size_t>(l.layer)].outputAfter
                   : report.layers[static_cast<std::size_t>(l.layer)].outputBefore)
                = l.output;
}

} // namespace

const char* fitStatusLabel(FitStatus status)
{
    switch (status) {
    case FitStatus::Projected:
        return "projected";
    case FitStatus::Fits:
        return "fits";
    case FitStatus::NotSelected:
        return "not selected";
    case FitStatus::NotApplicable:
        return "n/a";
    }
    return "?";
}

FitReport fitAccumulators(
    ModelDocument& doc, const FitOptions& options, const std::map<std::string, Tensor>* inputs)
{
    if (options.accBits < 2 || options.accBits > 64)
        throw Error("the accumulator width must be 2..64 bits, not " + std::to_string(options.accBits));
    FitReport report;
    report.options = options;
    const std::set<int> named = namedLayers(doc, options);
    const AccumulatorReport before = analyzeAccumulators(doc, analysisOptions(options));
    const FoldedConstants folded = foldConstants(doc, Precision::Float32);
    std::vector<LayerPlan> plans;
    for (const LayerAccumulatorResult& r : before.layers) {
        LayerFit fit;
        fit.layer = r.layer;
        fit.name = doc.layers()[static_cast<std::size_t>(r.layer)].name;
        const bool isNamed = named.count(r.layer) > 0;
        if (!r.applicable) {
            if (isNamed)
                throw Error("layer '" + fit.name + "' has no integer accumulator: " + r.reason);
            fit.reason = r.reason;
            report.layers.push_back(std::move(fit));
            continue;
        }
        fit.channels = static_cast<std::int64_t>(r.boundsWithBias.channels.size());
        describe(fit, r, options.method, false);
        describe(fit, r, options.method, true);
        const bool selected = named.empty() ? fit.exactBitsBefore > options.accBits : isNamed;
        fit.status = selected || named.empty() ? FitStatus::Fits : FitStatus::NotSelected;
        if (selected) {
            const Layer& layer = doc.layers()[static_cast<std::size_t>(r.layer)];
            if (const auto problem = weightWriteProblem(doc, layer)) {
                if (isNamed)
                    throw Error("layer '" + fit.name + "': " + *problem);
                fit.status = FitStatus::NotApplicable;
                fit.reason = *problem;
            } else if (LayerPlan plan = planLayer(doc, r, folded, options, fit); !plan.changes.empty()) {
                fit.status = FitStatus::Projected;
                plans.push_back(std::move(plan));
            }
        }
        report.layers.push_back(std::move(fit));
    }
    if (plans.empty())
        return report;

    std::optional<Runs> original;
    if (inputs) {
        const Executor executor(doc);
        RunOptions shadow = captureAllRun();
        shadow.bypassQuantizers = shadowBypass(doc);
        original = Runs {executor.run(*inputs, captureAllRun()), executor.run(*inputs, shadow)};
    }

    ChangeRecord record;
    {
        ChangeRecorder recorder(doc.mutableProto());
        for (const LayerPlan& plan : plans)
            writeWeightCodes(
                doc, doc.layers()[static_cast<std::size_t>(plan.layer)], plan.changes, recorder, record);
        recorder.commit(record);
    }
    record.description = "Fit " + std::to_string(plans.size()) + " layer(s) to a "
        + std::to_string(options.accBits) + "-bit accumulator (" + fitMethodName(options.method) + ")";
    doc.refresh(record.topologyChanged);
    try {
        verify(doc, plans, options, report);
        if (original) {
            const Executor executor(doc);
            const RunResult projected = executor.run(*inputs, captureAllRun());
            attachErrors(doc, original->quantized, original->shadow, report, false);
            attachErrors(doc, projected, original->shadow, report, true);
            report.evaluated = true;
        }
    } catch (...) {
        undo(doc, record);
        throw;
    }
    report.notes = record.notes;
    report.record = std::move(record);
    return report;
}

} // namespace qs
