#include "mainwindow.h"

#include "widgets/autosaver.h"
#include "widgets/documentmodel.h"
#include "widgets/findbar.h"
#include "widgets/graphwidget.h"
#include "widgets/progressindicator.h"
#include "widgets/taskrunner.h"

#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QIcon>
#include <QLabel>
#include <QMimeData>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QVBoxLayout>

namespace qs::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , document_(new QuantDocument(this))
    , autosaver_(new Autosaver(document_, AutosaveStore(), this))
    , loader_(new TaskRunner(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    // Centre: the find bar above the graph.
    auto* centre = new QWidget(this);
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    findBar_ = new FindBar(document_, centre);
    findBar_->hide();
    graph_ = new GraphWidget(document_, centre);
    layout->addWidget(findBar_);
    layout->addWidget(graph_, 1);
    setCentralWidget(centre);

    connect(autosaver_, &Autosaver::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(message), 8000);
    });

    summary_ = new QLabel(this);
    statusBar()->addWidget(summary_, 1);
    progress_ = new ProgressIndicator(this);
    progress_->attach(loader_);
    progress_->attach(graph_->layoutRunner());
    statusBar()->addPermanentWidget(progress_);

    createAnalysis();
    createDocks();
    createActions();
    createAnalysisToolBar();
    createMenus();
    connectAnalysisViews();

    connect(document_, &QuantDocument::modifiedChanged, this, &QWidget::setWindowModified);
    connect(document_, &QuantDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(document_, &QuantDocument::modelReset, this, &MainWindow::updateSummary);
    connect(document_, &QuantDocument::topologyChanged, this, &MainWindow::updateSummary);
    connect(graph_, &GraphWidget::layoutFailed, this,
        [this](const QString& message) { statusBar()->showMessage(tr("Layout failed: %1").arg(message)); });
    updateTitle();
    updateSummary();
    resize(1400, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::updateTitle()
{
    // "[*]" is where Qt puts the modified mark.
    setWindowTitle(
        document_->isLoaded() ? tr("%1[*] — Quantscope").arg(document_->displayName()) : tr("Quantscope"));
    setWindowModified(document_->isModified());
}

void MainWindow::updateSummary()
{
    if (!document_->isLoaded()) {
        summary_->setText(tr("Open a quantized ONNX model (Ctrl+O) or drop one here."));
        return;
    }
    const qs::ModelDocument& doc = document_->doc();
    summary_->setText(tr("%1 · %2 nodes · %3 quantizers · %4 layers · loaded in %5 ms")
                          .arg(QString::fromLatin1(qs::modelFormatName(doc.format())).toUpper())
                          .arg(doc.graph().nodeCount())
                          .arg(doc.quantizers().size())
                          .arg(doc.layers().size())
                          .arg(doc.timings().parseMs + doc.timings().indexMs + doc.timings().shapeInferenceMs
                                  + doc.timings().quantizationMs,
                              0, 'f', 0));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (maybeSave())
        event->accept();
    else
        event->ignore();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.front().isLocalFile())
        return;
    event->acceptProposedAction();
    if (maybeSave())
        openFile(urls.front().toLocalFile());
}

} // namespace qs::gui
