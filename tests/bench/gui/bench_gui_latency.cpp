// Edit-to-ready latency of the desktop application's live analysis, as the user sees it: the
// AnalysisController (debounce excluded) re-analyses a snapshot after each weight bit-width edit.
//   bench_gui_latency MODEL.onnx [BATCH]
// Prints the first analysis after load, then edits of the last, middle and second layer (3 then 4
// bits, so each edit changes the numbers) and an accumulator-width change. Not a test: numbers only.
#include "core/model/modeldocument.h"
#include "widgets/analysiscontroller.h"
#include "widgets/documentmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>

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
    std::printf("  load: first analysis                         %6.0f ms\n", controller.lastLatencyMs());
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
            const auto& current = *controller.current();
            std::printf("  weight bits of layer %3zu/%zu -> %d (%-12.12s) %6.0f ms (analysis %.0f ms, %lld "
                        "nodes run)\n",
                layer, count, bits, document.doc().layers()[layer].name.c_str(), controller.lastLatencyMs(),
                current.staticMs + current.dynamicMs, static_cast<long long>(current.recomputedNodes));
        }
    }
    controller.setAccumulatorBits(20);
    if (!waitForAnalysis(controller))
        return 1;
    std::printf("  P -> 20 (baseline + current)                 %6.0f ms\n", controller.lastLatencyMs());
    return 0;
}
