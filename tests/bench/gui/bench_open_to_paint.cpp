// Open to first painted graph, as the desktop application does it: load the file (ModelDocument::load,
// which the app runs on a worker thread), lay it out with Graphviz dot in the background
// (GraphWidget), then paint the view once at 1600x1000. The analysis, which the app starts at the same
// time, is not part of this number: the graph is on screen before its metrics arrive.
//   bench_open_to_paint MODEL.onnx... [--collapse] [--repeat N]
// Prints one row per model: nodes, load, layout (to layoutReady), paint, total (median of N runs).
#include "core/model/modeldocument.h"
#include "widgets/documentmodel.h"
#include "widgets/graphwidget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QSignalSpy>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace qs::gui;

namespace {

struct Timing {
    double loadMs = 0, layoutMs = 0, paintMs = 0, totalMs = 0;
};

bool openAndPaint(const std::string& path, bool collapse, Timing& t, std::int64_t& nodes)
{
    QuantDocument document;
    GraphWidget graph(&document);
    graph.resize(1600, 1000);
    graph.setCollapseQuantizers(collapse);
    graph.show();
    QElapsedTimer clock;
    clock.start();
    document.reset(qs::ModelDocument::load(path));
    t.loadMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    nodes = document.doc().graph().nodeCount();
    if (graph.isLayoutPending()) {
        QSignalSpy ready(&graph, &GraphWidget::layoutReady);
        QSignalSpy failed(&graph, &GraphWidget::layoutFailed);
        while (ready.isEmpty() && failed.isEmpty())
            ready.wait(5);
        if (!failed.isEmpty()) {
            std::fprintf(stderr, "%s: %s\n", path.c_str(), qPrintable(failed.front().front().toString()));
            return false;
        }
    }
    t.layoutMs = static_cast<double>(clock.nsecsElapsed()) / 1e6 - t.loadMs;
    const QPixmap pixmap = graph.grab(); // paints the view (and the minimap) once
    t.totalMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    t.paintMs = t.totalMs - t.loadMs - t.layoutMs;
    return !pixmap.isNull();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    std::vector<std::string> models;
    bool collapse = false;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--collapse"))
            collapse = true;
        else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
        else
            models.emplace_back(argv[i]);
    }
    if (models.empty()) {
        std::fprintf(stderr, "usage: bench_open_to_paint MODEL.onnx... [--collapse] [--repeat N]\n");
        return 2;
    }
    std::printf("%-36s %7s %9s %9s %9s %9s   (ms, median of %d%s)\n", "model", "nodes", "load", "layout",
        "paint", "total", repeat, collapse ? ", quantizers collapsed" : "");
    int failures = 0;
    for (const std::string& path : models) {
        std::vector<double> load, layout, paint, total;
        std::int64_t nodes = 0;
        bool ok = true;
        for (int r = 0; r < repeat && ok; ++r) {
            Timing t;
            try {
                ok = openAndPaint(path, collapse, t, nodes);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
                ok = false;
            }
            load.push_back(t.loadMs);
            layout.push_back(t.layoutMs);
            paint.push_back(t.paintMs);
            total.push_back(t.totalMs);
        }
        if (!ok) {
            ++failures;
            continue;
        }
        std::printf("%-36s %7lld %9.1f %9.1f %9.1f %9.1f\n",
            std::filesystem::path(path).stem().string().c_str(), static_cast<long long>(nodes), median(load),
            median(layout), median(paint), median(total));
        std::fflush(stdout);
    }
    return failures ? 1 : 0;
}
