#include "widgets/analysiscontroller.h"

#include "core/analysis/analysissession.h"
#include "widgets/documentmodel.h"
#include "widgets/taskrunner.h"

#include <QThread>

#include <algorithm>
#include <cmath>

namespace qs::gui {

// A copy of the document's protobuf, taken on the GUI thread; the worker builds its own (immutable)
// ModelDocument from it, so edits on the GUI thread never race with the analysis.
struct DocumentSnapshot {
    onnx::ModelProto proto;
    std::filesystem::path folder;
    qs::Limits limits;
};

// What stays fixed while the settings and the loaded model do: the options and, once the first run
// of the epoch prepared them, the inputs, the incremental session and the baseline analysis.
struct AnalysisEpoch {
    qs::AnalysisOptions options; // without inputs
    InputFiles inputFiles;
    std::shared_ptr<const std::map<std::string, qs::Tensor>> inputs;
    // Used by one worker job at a time (the runner runs one job at a time).
    std::shared_ptr<qs::AnalysisSession> session;
    std::shared_ptr<const qs::ModelAnalysis> baseline;
};

namespace {

std::shared_ptr<const DocumentSnapshot> takeSnapshot(const qs::ModelDocument& doc)
{
    return std::make_shared<const DocumentSnapshot>(
        DocumentSnapshot {doc.proto(), doc.folder(), doc.limits()});
}

std::shared_ptr<const qs::ModelDocument> materialize(const DocumentSnapshot& snapshot)
{
    return qs::ModelDocument::fromProto(snapshot.proto, snapshot.folder, snapshot.limits);
}

// What a job computed; the continuation stores it on the GUI thread.
struct JobResult {
    std::shared_ptr<const qs::ModelDocument> loadedDoc;
    std::shared_ptr<const std::map<std::string, qs::Tensor>> inputs;
    std::shared_ptr<qs::AnalysisSession> session;
    std::shared_ptr<const qs::ModelAnalysis> baseline;
    std::shared_ptr<const qs::ModelAnalysis> current;
};

// The one place that runs the analyses: an incremental session re-runs only what lies downstream of
// the nodes that changed since its previous snapshot, with the result analyzeModel() would give.
std::shared_ptr<const qs::ModelAnalysis> runAnalysis(
    JobResult& r, std::shared_ptr<const qs::ModelDocument> doc, const qs::Progress& progress)
{
    return std::make_shared<const qs::ModelAnalysis>(r.session->analyze(std::move(doc), &progress));
}

} // namespace

// The loaded document, materialized once per model and shared by every epoch.
struct LoadedModel {
    std::shared_ptr<const DocumentSnapshot> snapshot;
    std::shared_ptr<const qs::ModelDocument> doc;
};

AnalysisController::AnalysisController(QuantDocument* document, QObject* parent)
    : QObject(parent)
    , document_(document)
    , runner_(new TaskRunner(this))
{
    debounce_.setSingleShot(true);
    debounce_.setInterval(150);
    clock_.start();
    connect(&debounce_, &QTimer::timeout, this, &AnalysisController::start);
    connect(document_, &QuantDocument::modelReset, this, &AnalysisController::onModelReset);
    connect(document_, &QuantDocument::quantizerChanged, this, &AnalysisController::onDocumentChanged);
    connect(document_, &QuantDocument::topologyChanged, this, &AnalysisController::onDocumentChanged);
    connect(runner_, &TaskRunner::finished, this, [this](bool ok) {
        // A cancelled run (the user's Cancel, or an edit) leaves nothing to wait for unless a newer
        // request is pending.
        if (!ok && !debounce_.isActive() && !runner_->isBusy())
            setBusy(false);
    });
    if (document_->isLoaded())
        onModelReset();
}

AnalysisController::~AnalysisController() = default;

void AnalysisController::setSettings(const AnalysisSettings& settings)
{
    settings_ = settings;
    settings_.accBits = std::clamp(settings_.accBits, 2, 64);
    settings_.batch = std::max<std::int64_t>(1, settings_.batch);
    newEpoch();
    emit settingsChanged();
    if (document_->isLoaded())
        onDocumentChanged();
}

void AnalysisController::setAccumulatorBits(int accBits)
{
    if (accBits == settings_.accBits)
        return;
    AnalysisSettings s = settings_;
    s.accBits = accBits;
    setSettings(s);
}

void AnalysisController::setDivergenceThresholdDb(double thresholdDb)
{
    if (thresholdDb == thresholdDb_)
        return;
    thresholdDb_ = thresholdDb;
    emit thresholdChanged(thresholdDb);
}

int AnalysisController::firstDivergence() const
{
    if (!current_ || !current_->error)
        return -1;
    for (const qs::LayerError& e : current_->error->layers) // topological order
        if (e.available && !std::isnan(e.output.sqnrDb) && e.output.sqnrDb < thresholdDb_)
            return e.layer;
    return -1;
}

int AnalysisController::firstDivergenceNode() const
{
    const int layer = firstDivergence();
    if (layer < 0 || !document_->isLoaded()
        || static_cast<std::size_t>(layer) >= document_->doc().layers().size())
        return -1;
    return document_->doc().layers()[static_cast<std::size_t>(layer)].node;
}

void AnalysisController::newEpoch()
{
    auto epoch = std::make_shared<AnalysisEpoch>();
    epoch->options.accumulator.accBits = settings_.accBits;
    epoch->options.batch = settings_.batch;
    epoch->options.seed = settings_.seed;
    epoch->options.divergenceThresholdDb = thresholdDb_;
    epoch->options.threads
        = settings_.threads > 0 ? settings_.threads : std::clamp(QThread::idealThreadCount(), 1, 8);
    epoch->inputFiles = settings_.inputFiles;
    epoch_ = std::move(epoch);
}

void AnalysisController::onModelReset()
{
    runner_->cancel();
    ++documentGeneration_;
    loaded_.reset();
    current_.reset();
    baseline_.reset();
    newEpoch();
    if (!document_->isLoaded()) {
        debounce_.stop();
        setBusy(false);
        emit analysisReady(nullptr, nullptr);
        return;
    }
    loaded_ = std::make_shared<LoadedModel>();
    loaded_->snapshot = takeSnapshot(document_->doc());
    emit analysisStale();
    setBusy(true);
    debounce_.start();
}

void AnalysisController::onDocumentChanged()
{
    ++documentGeneration_;
    runner_->cancel(); // stale now; its result would be dropped anyway
    emit analysisStale();
    setBusy(true);
    debounce_.start(); // restarts: a burst of edits runs once
}

void AnalysisController::analyzeNow()
{
    if (!document_->isLoaded())
        return;
    debounce_.stop();
    start();
}

void AnalysisController::cancel()
{
    debounce_.stop();
    runner_->cancel();
    if (!runner_->isBusy())
        setBusy(false);
}

void AnalysisController::start()
{
    if (!document_->isLoaded() || !loaded_)
        return;
    requestedMs_ = clock_.elapsed();
    setBusy(true);
    const quint64 generation = documentGeneration_;
    const std::shared_ptr<AnalysisEpoch> epoch = epoch_;
    const std::shared_ptr<LoadedModel> loaded = loaded_;
    // The document as loaded needs no snapshot of its own (an undo back to it is byte-exact).
    const bool edited = document_->undoStack()->index() != 0;
    const std::shared_ptr<const DocumentSnapshot> snapshot
        = edited ? takeSnapshot(document_->doc()) : nullptr;
    JobResult known {loaded->doc, epoch->inputs, epoch->session, epoch->baseline, nullptr};

    runner_->start(
        tr("Analysing"),
        [this, loaded, epoch, snapshot, known, generation](
            const qs::Progress& progress) -> TaskRunner::Continuation {
            JobResult r = known;
            if (!r.loadedDoc)
                r.loadedDoc = materialize(*loaded->snapshot);
            progress.throwIfCancelled();
            if (!r.inputs)
                r.inputs = std::make_shared<const std::map<std::string, qs::Tensor>>(
                    completeInputs(*r.loadedDoc, loadInputFiles(*r.loadedDoc, epoch->inputFiles),
                        epoch->options.seed, epoch->options.batch));
            if (!r.session) {
                qs::AnalysisOptions options = epoch->options;
                options.inputs = *r.inputs;
                r.session = std::make_shared<qs::AnalysisSession>(std::move(options));
            }
            if (!r.baseline)
                r.baseline = runAnalysis(r, r.loadedDoc, progress);
            r.current = snapshot ? runAnalysis(r, materialize(*snapshot), progress) : r.baseline;
            return [this, r, loaded, epoch, generation] {
                // Prepared parts stay useful even when the analysis itself is stale.
                if (loaded == loaded_)
                    loaded_->doc = r.loadedDoc;
                if (epoch != epoch_ || loaded != loaded_)
                    return;
                epoch->inputs = r.inputs;
                epoch->session = r.session;
                epoch->baseline = r.baseline;
                if (generation != documentGeneration_)
                    return;
                current_ = r.current;
                baseline_ = r.baseline;
                lastLatencyMs_ = static_cast<double>(clock_.elapsed() - requestedMs_);
                ++delivered_;
                if (!debounce_.isActive())
                    setBusy(false);
                emit analysisReady(current_, baseline_);
            };
        },
        [this, generation](const QString& message) {
            if (generation != documentGeneration_)
                return;
            if (!debounce_.isActive())
                setBusy(false);
            emit analysisFailed(message);
        });
}

void AnalysisController::setBusy(bool busy)
{
    if (busy == busy_)
        return;
    busy_ = busy;
    emit busyChanged(busy);
}

} // namespace qs::gui
