// Edit-to-updated-views latency of the desktop application's live analysis, as the user sees it: the
// AnalysisController (debounce excluded) re-analyses a snapshot after each weight bit-width edit, then
// the layer table and the plots (as docked in the main window, 1600x1000) take the result and paint.
//   bench_gui_latency MODEL.onnx [BATCH]
// Prints the first analysis after load, then edits of the last, middle and second layer (3 then 4
// bits, so each edit changes the numbers) and an accumulator-width change: the total, and of it the
// analysis (worker thread) and the views (GUI thread). Not a test: numbers only.
#include "core/model/modeldocument.h"
#include "widgets/analysiscontroller.h"
#include "widgets/analysisplots.h"
#include "widgets/documentmodel.h"
#include "widgets/layertable.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QVBoxLayout>

#include <cstdio>
#include <cstdlib>

using namespace qs::gui;

namespace {

bool waitForAnalysis(AnalysisController& controller)
{
    QSignalSpy ready(&controller, &AnalysisController::analysisReady);
    QSignalSpy failed(&controller, &AnalysisController::analysisFailed);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 600000) {
        if (!failed.isEmpty()) {
            std::fprintf(stderr, "analysis failed: %s\n", qPrintable(failed.front().front().toString()));
            return false;
        }
        for (const QList<QVariant>& args : ready)
            if (args.front().value<std::shared_ptr<const qs::ModelAnalysis>>())
                return true;
        ready.wait(50);
    }
    std::fprintf(stderr, "timed out\n");
    return false;
}

// The table and plots of the main window's docks, updated as MainWindow::onAnalysisReady does.
class AnalysisViews {
public:
    explicit AnalysisViews(QuantDocument* document)
        : table_(new LayerTable(document))
        , plots_(new AnalysisPlots)
    {
        auto* layout = new QVBoxLayout(&window_);
        layout->addWidget(table_);
        layout->addWidget(plots_);
        window_.resize(1600, 1000);
        window_.show();
    }

    // Milliseconds to take the analysis and paint.
    double update(const AnalysisController& controller)
    {
        QElapsedTimer clock;
        clock.start();
        table_->setAnalysis(controller.current());
        plots_->setAnalysis(controller.current(), controller.baseline());
        window_.grab(); // paints every visible child now
        return static_cast<double>(clock.nsecsElapsed()) / 1e6;
    }

private:
    QWidget window_;
    LayerTable* table_;
    AnalysisPlots* plots_;
};

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_gui_latency MODEL.onnx [BATCH]\n");
        return 2;
    }
    QuantDocument document;
    AnalysisController controller(&document);
    AnalysisViews views(&document);
    if (argc > 2) {
        AnalysisSettings settings = controller.settings();
        settings.batch = std::atoi(argv[2]);
        controller.setSettings(settings);
    }
    try {
        document.reset(qs::ModelDocument::load(argv[1]));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    if (!waitForAnalysis(controller))
        return 1;
    std::printf("%s, batch %lld\n", argv[1], static_cast<long long>(controller.settings().batch));
    const double firstViewsMs = views.update(controller);
    std::printf("  load: first analysis + views                 %6.0f ms (views %.0f ms)\n",
        controller.lastLatencyMs() + firstViewsMs, firstViewsMs);
    const std::size_t count = document.doc().layers().size();
    for (const std::size_t layer : {count - 1, count / 2, std::size_t {1}}) {
        if (layer >= count || document.doc().layers()[layer].weightQuantizer < 0)
            continue;
        for (const int bits : {3, 4}) {
            qs::QuantizerEdit edit;
            edit.bitWidth = bits;
            const QString error
                = document.editQuantizer(document.doc().layers()[layer].weightQuantizer, edit);
            if (!error.isEmpty()) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            if (!waitForAnalysis(controller))
                return 1;
            const double viewsMs = views.update(controller);
            std::printf(
                "  weight bits of layer %3zu/%zu -> %d (%-12.12s) %6.0f ms (analysis %.0f, views %.0f; "
                "%lld nodes run)\n",
                layer, count, bits, document.doc().layers()[layer].name.c_str(),
                controller.lastLatencyMs() + viewsMs, controller.lastLatencyMs(), viewsMs,
                static_cast<long long>(controller.current()->recomputedNodes));
        }
    }
    controller.setAccumulatorBits(20);
    if (!waitForAnalysis(controller))
        return 1;
    const double viewsMs = views.update(controller);
    std::printf("  P -> 20 (baseline + current)                 %6.0f ms (views %.0f)\n",
        controller.lastLatencyMs() + viewsMs, viewsMs);
    return 0;
}
