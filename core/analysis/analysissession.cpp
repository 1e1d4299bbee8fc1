#include "core/analysis/analysissession.h"

#include "core/analysis/snapshotdiff.h"
#include "core/util/bufferpool.h"
#include "core/util/error.h"

#include <chrono>
#include <cstring>

namespace qs {
namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

bool sameInputs(const std::map<std::string, Tensor>& a, const std::map<std::string, Tensor>& b)
{
    if (a.size() != b.size())
        return false;
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y)
        if (x->first != y->first || x->second.dtype() != y->second.dtype()
            || x->second.shape() != y->second.shape()
            || (x->second.byteSize() > 0
                && std::memcmp(x->second.rawData(), y->second.rawData(), x->second.byteSize()) != 0))
            return false;
    return true;
}

} // namespace

struct AnalysisSession::Previous {
    std::shared_ptr<const ModelDocument> doc;
    std::map<std::string, Tensor> inputs;
    std::shared_ptr<const RunResult> quantized;
    std::shared_ptr<const RunResult> floatShadow;
};

AnalysisSession::AnalysisSession(AnalysisOptions options)
    : options_(std::move(options))
{
}

AnalysisSession::~AnalysisSession() = default;

void AnalysisSession::setOptions(AnalysisOptions options)
{
    options_ = std::move(options);
    reset();
}

void AnalysisSession::setInputs(std::map<std::string, Tensor> inputs)
{
    options_.inputs = std::move(inputs);
    reset();
}

void AnalysisSession::reset()
{
    cache_.clear();
    previous_.reset();
}

ModelAnalysis AnalysisSession::analyze(std::shared_ptr<const ModelDocument> doc, const Progress* progress)
{
    if (!doc)
        throw Error("no document to analyze");
    if (reservation_.joinable())
        reservation_.join();
    ModelAnalysis analysis;
    if (!options_.dynamic) {
        analyzeRuns(*doc, options_, nullptr, nullptr, analysis, nullptr, progress);
        return analysis;
    }
    const auto start = Clock::now();
    std::map<std::string, Tensor> inputs = analysisInputs(*doc, options_);
    // Incremental only against a snapshot of the same structure, run on the same inputs.
    std::optional<SnapshotDiff> diff;
    if (previous_ && sameInputs(previous_->inputs, inputs)) {
        diff = diffSnapshots(*previous_->doc, *doc);
        if (!diff->sameStructure)
            diff.reset();
    }
    const Executor executor(*doc, analysisExecutorOptions(*doc, options_));
    RunOptions quantizedRun = analysisRunOptions(*doc, false);
    RunOptions shadowRun = analysisRunOptions(*doc, true);
    // The runs must also see the same quantizers (a parameter edit may change how one is recognised).
    if (diff
        && (executor.signature() != previous_->quantized->graphSignature
            || shadowRun.bypassQuantizers != previous_->floatShadow->bypassed))
        diff.reset();
    std::shared_ptr<const RunResult> floatShadow;
    if (diff) {
        quantizedRun.reuse = previous_->quantized.get();
        quantizedRun.dirtyNodes = diff->changedNodes;
        // A quantizer bypassed in the shadow changes nothing there, whatever its parameters.
        for (NodeId id : diff->changedNodes)
            if (const int q = doc->quantizerOfNode(id); q < 0 || !shadowRun.bypassQuantizers.count(q))
                shadowRun.dirtyNodes.insert(id);
        if (shadowRun.dirtyNodes.empty())
            floatShadow = previous_->floatShadow;
        else
            shadowRun.reuse = previous_->floatShadow.get();
    }
    auto quantized = std::make_shared<const RunResult>(executor.run(inputs, quantizedRun, progress));
    analysis.recomputedNodes = quantized->executedSteps;
    if (!floatShadow) {
        floatShadow = std::make_shared<const RunResult>(executor.run(inputs, shadowRun, progress));
        analysis.recomputedNodes += floatShadow->executedSteps;
    }
    analysis.incremental = diff.has_value();
    analysis.dynamicMs = msSince(start);
    try {
        analyzeRuns(*doc, options_, quantized.get(), floatShadow.get(), analysis, &cache_, progress);
        if (progress)
            progress->throwIfCancelled();
    } catch (...) {
        // Keep only what belongs to the runs that stay (this call's runs are discarded).
        if (previous_)
            cache_.bind(previous_->quantized.get(), previous_->floatShadow.get());
        else
            cache_.clear();
        throw;
    }
    // Commit only now: a cancelled or failed call leaves the previous state untouched.
    auto next = std::make_unique<Previous>();
    next->doc = std::move(doc);
    next->inputs = std::move(inputs);
    next->quantized = std::move(quantized);
    next->floatShadow = std::move(floatShadow);
    previous_ = std::move(next);
    if (!analysis.incremental)
        reserveForIncrementalRuns();
    return analysis;
}

void AnalysisSession::reserveForIncrementalRuns()
{
    // The next incremental run allocates new tensors while the previous run's stay alive: in the worst
    // case (an edit near the inputs) one more quantized run. Touching that memory now, in the
    // background, takes its first-touch page faults (in a VM more than half of a resnet20 first-layer
    // edit) off the edit.
    std::vector<std::size_t> sizes;
    for (const auto& [name, tensor] : previous_->quantized->captured)
        if (tensor)
            sizes.push_back(tensor->byteSize());
    reservation_ = std::jthread([sizes = std::move(sizes)] { detail::reserveBuffers(sizes); });
}

} // namespace qs
