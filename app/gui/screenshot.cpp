#include "screenshot.h"

#include "mainwindow.h"
#include "widgets/analysiscontroller.h"
#include "widgets/documentmodel.h"
#include "widgets/graphwidget.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace qs::gui {

ScreenshotJob::ScreenshotJob(MainWindow* window, GuiOptions options, QObject* parent)
    : QObject(parent)
    , window_(window)
    , options_(std::move(options))
{
    connect(window_, &MainWindow::modelOpened, this, &ScreenshotJob::onLoaded);
    connect(window_, &MainWindow::loadFailed, this, [this](const QString& message) { finish(2, message); });
    connect(window_->graphWidget(), &GraphWidget::layoutReady, this, &ScreenshotJob::onLaidOut);
    connect(window_->graphWidget(), &GraphWidget::layoutFailed, this,
        [this](const QString& message) { finish(2, message); });
    AnalysisController* analysis = window_->analysisController();
    connect(analysis, &AnalysisController::analysisReady, this,
        [this](std::shared_ptr<const qs::ModelAnalysis> current) {
            if (current)
                onAnalysed();
        });
    connect(analysis, &AnalysisController::analysisFailed, this, [this](const QString& message) {
        std::fprintf(stderr, "quantscope: analysis failed: %s\n", qPrintable(message));
        onAnalysed();
    });
}

void ScreenshotJob::start(const QString& model)
{
    clock_.start();
    window_->resize(options_.size);
    window_->show();
    GraphOverlay overlay = GraphOverlay::None;
    parseOverlay(options_.overlay, overlay);
    window_->graphWidget()->setOverlay(overlay);
    window_->graphWidget()->setCollapseQuantizers(options_.collapse);
    if (options_.accBits > 0)
        window_->analysisController()->setAccumulatorBits(options_.accBits);
    window_->openFile(model, false);
}

void ScreenshotJob::onLoaded()
{
    loadedMs_ = clock_.elapsed();
}

void ScreenshotJob::onLaidOut()
{
    laidOutMs_ = clock_.elapsed();
    shootWhenReady();
}

void ScreenshotJob::onAnalysed()
{
    analysedMs_ = clock_.elapsed();
    shootWhenReady();
}

void ScreenshotJob::shootWhenReady()
{
    if (done_ || laidOutMs_ < 0 || analysedMs_ < 0)
        return;
    QuantDocument* document = window_->document();
    if (!options_.select.isEmpty()) {
        const auto node = document->doc().graph().findNode(options_.select.toStdString());
        if (!node) {
            finish(2, QStringLiteral("no node named '%1'").arg(options_.select));
            return;
        }
        document->setCurrentNode(*node);
    }
    // Let the docks and the view settle (layouts, scroll bars) before grabbing.
    QTimer::singleShot(50, this, [this] {
        const QPixmap pixmap = window_->grab();
        const qint64 paintedMs = clock_.elapsed();
        if (!pixmap.save(options_.screenshot, "PNG")) {
            finish(2, QStringLiteral("cannot write %1").arg(options_.screenshot));
            return;
        }
        std::fprintf(stderr,
            "quantscope: loaded %lld ms, laid out %lld ms, analysed %lld ms, painted %lld ms (from open)\n",
            static_cast<long long>(loadedMs_), static_cast<long long>(laidOutMs_),
            static_cast<long long>(analysedMs_), static_cast<long long>(paintedMs));
        finish(0, {});
    });
}

void ScreenshotJob::finish(int exitCode, const QString& message)
{
    if (done_)
        return;
    done_ = true;
    if (!message.isEmpty())
        std::fprintf(stderr, "quantscope: %s\n", qPrintable(message));
    QCoreApplication::exit(exitCode);
}

} // namespace qs::gui
