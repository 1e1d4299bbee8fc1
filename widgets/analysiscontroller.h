#pragma once
// Live analysis of a QuantDocument: after each change (debounced) the analyses of core/analysis run
// again on a worker, on an immutable snapshot of the document, and every view gets the result through
// analysisReady(current, baseline). An edit cancels the run in flight (its result is dropped), so only
// the analysis of the latest document state is ever delivered. The baseline is the analysis of the
// document as loaded, with the same settings and the same inputs, for "before vs after" views.
//
// Settings (accumulator width P, batch, seed, input files, threads) start a new "epoch": the inputs
// are prepared once per epoch (files + seeded random data) and the baseline is recomputed.
#include "core/analysis/modelanalysis.h"
#include "widgets/analysisinputs.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace qs::gui {

class QuantDocument;
class TaskRunner;
struct AnalysisEpoch;
struct LoadedModel;

struct AnalysisSettings {
    int accBits = qs::AccumulatorOptions {}.accBits; // P
    std::int64_t batch = 16; // random samples per input
    std::uint64_t seed = 0;
    InputFiles inputFiles; // graph input -> files; inputs without files get random data
    int threads = 0; // executor threads, 0: as many as the machine has (at most 8)
};

class AnalysisController : public QObject {
    Q_OBJECT
public:
    explicit AnalysisController(QuantDocument* document, QObject* parent = nullptr);
    ~AnalysisController() override;

    const AnalysisSettings& settings() const { return settings_; }
    void setSettings(const AnalysisSettings& settings);
    void setAccumulatorBits(int accBits);
    int accumulatorBits() const { return settings_.accBits; }
    // The SQNR threshold of the views and of firstDivergence(); changing it re-runs nothing.
    void setDivergenceThresholdDb(double thresholdDb);
    double divergenceThresholdDb() const { return thresholdDb_; }
    void setDebounceMs(int ms) { debounce_.setInterval(ms); }
    int debounceMs() const { return debounce_.interval(); }

    std::shared_ptr<const qs::ModelAnalysis> current() const { return current_; }
    std::shared_ptr<const qs::ModelAnalysis> baseline() const { return baseline_; }
    // Index into doc.layers() of the first layer, in topological order, whose output SQNR is below
    // the threshold; -1 when none is (or there is no analysis yet).
    int firstDivergence() const;
    int firstDivergenceNode() const; // its NodeId, -1 when none

    // True from a change until its analysis is delivered (debounce included).
    bool isBusy() const { return busy_; }
    TaskRunner* runner() const { return runner_; }
    // From the end of the debounce to analysisReady, in ms (snapshot, inputs and analysis).
    double lastLatencyMs() const { return lastLatencyMs_; }
    int analysesDelivered() const { return delivered_; }

    // Runs now instead of after the debounce (also for the first analysis of a model).
    void analyzeNow();
    void cancel();

signals:
    void analysisReady(
        std::shared_ptr<const qs::ModelAnalysis> current, std::shared_ptr<const qs::ModelAnalysis> baseline);
    void analysisFailed(const QString& message);
    void busyChanged(bool busy);
    void settingsChanged();
    void thresholdChanged(double thresholdDb);
    // A change made the delivered analysis stale; a new one follows.
    void analysisStale();

private:
    void onModelReset();
    void onDocumentChanged();
    void newEpoch();
    void start();
    void setBusy(bool busy);

    QuantDocument* document_;
    TaskRunner* runner_;
    QTimer debounce_;
    AnalysisSettings settings_;
    double thresholdDb_ = qs::AnalysisOptions {}.divergenceThresholdDb;
    std::shared_ptr<LoadedModel> loaded_; // the document as loaded
    std::shared_ptr<AnalysisEpoch> epoch_;
    std::shared_ptr<const qs::ModelAnalysis> current_;
    std::shared_ptr<const qs::ModelAnalysis> baseline_;
    quint64 documentGeneration_ = 0; // bumped by every change of the document
    QElapsedTimer clock_;
    qint64 requestedMs_ = 0;
    double lastLatencyMs_ = 0;
    int delivered_ = 0;
    bool busy_ = false;
};

} // namespace qs::gui
