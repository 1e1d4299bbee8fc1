// The live analysis in the main window: the controller, the Analysis toolbar (accumulator width P,
// SQNR threshold, first divergence, inputs, fit accumulator), the status-bar latency, the wiring of
// the table, graph overlay and plots to each new analysis, and the exports.
#include "core/model/modeldocument.h"
#include "mainwindow.h"
#include "widgets/analysiscontroller.h"
#include "widgets/analysisplots.h"
#include "widgets/documentmodel.h"
#include "widgets/fitaccumulatordialog.h"
#include "widgets/graphwidget.h"
#include "widgets/inputsdialog.h"
#include "widgets/layertable.h"
#include "widgets/plotexport.h"
#include "widgets/plots/sqnrplot.h"
#include "widgets/progressindicator.h"
#include "widgets/taskrunner.h"

#include <QAction>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>

#include <cmath>

namespace qs::gui {
namespace {

int layerOfNode(const qs::ModelDocument& doc, int node)
{
    for (std::size_t i = 0; i < doc.layers().size(); ++i)
        if (doc.layers()[i].node == node)
            return static_cast<int>(i);
    return -1;
}

} // namespace

void MainWindow::createAnalysis()
{
    analysis_ = new AnalysisController(document_, this);
    analysisStatus_ = new QLabel(this);
    analysisStatus_->setToolTip(tr("Time from the end of an edit (after a %1 ms pause) to updated analyses")
                                    .arg(analysis_->debounceMs()));
    statusBar()->addPermanentWidget(analysisStatus_);
    progress_->attach(analysis_->runner());
    connect(analysis_, &AnalysisController::busyChanged, this, [this](bool busy) {
        if (busy)
            analysisStatus_->setText(tr("analysing…"));
        else if (!analysis_->current())
            analysisStatus_->clear();
    });
    connect(analysis_, &AnalysisController::analysisFailed, this, [this](const QString& message) {
        analysisStatus_->setText(tr("analysis failed"));
        analysisStatus_->setToolTip(message);
        statusBar()->showMessage(tr("Analysis failed: %1").arg(message), 10000);
        graph_->setAnalysisFailed(message);
    });
}

void MainWindow::createAnalysisToolBar()
{
    analysisBar_ = addToolBar(tr("Analysis"));
    analysisBar_->setObjectName(QStringLiteral("analysisToolBar"));
    analysisBar_->setToolButtonStyle(Qt::ToolButtonTextOnly);

    analysisBar_->addWidget(new QLabel(tr(" Accumulator P: "), analysisBar_));
    accBits_ = new QSpinBox(analysisBar_);
    accBits_->setRange(8, 64);
    accBits_->setValue(analysis_->accumulatorBits());
    accBits_->setSuffix(tr(" bits"));
    accBits_->setToolTip(tr("Width of the signed accumulator register the risk and headroom are for"));
    accBits_->setKeyboardTracking(false);
    analysisBar_->addWidget(accBits_);
    connect(accBits_, &QSpinBox::valueChanged, analysis_, &AnalysisController::setAccumulatorBits);

    analysisBar_->addWidget(new QLabel(tr("  SQNR threshold: "), analysisBar_));
    threshold_ = new QDoubleSpinBox(analysisBar_);
    threshold_->setRange(-50, 150);
    threshold_->setDecimals(1);
    threshold_->setValue(analysis_->divergenceThresholdDb());
    threshold_->setSuffix(tr(" dB"));
    threshold_->setToolTip(tr("Layers whose output SQNR is below this are flagged"));
    threshold_->setKeyboardTracking(false);
    analysisBar_->addWidget(threshold_);
    connect(
        threshold_, &QDoubleSpinBox::valueChanged, analysis_, &AnalysisController::setDivergenceThresholdDb);

    analysisBar_->addSeparator();
    firstDivergenceAction_
        = analysisBar_->addAction(tr("First divergence"), this, &MainWindow::goToFirstDivergence);
    firstDivergenceAction_->setToolTip(tr("Select the first layer whose SQNR is under the threshold"));
    firstDivergenceAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    inputsAction_ = analysisBar_->addAction(tr("Inputs…"), this, &MainWindow::editInputs);
    inputsAction_->setToolTip(
        tr("Choose the data the analysis runs on: files, images or seeded random data"));
    fitAction_ = analysisBar_->addAction(tr("Fit accumulator…"), this, &MainWindow::fitAccumulator);
    fitAction_->setToolTip(tr("Shrink integer weights so every layer's accumulator fits P bits (undoable)"));

    exportPlotAction_ = new QAction(tr("Export &Plot…"), this);
    connect(exportPlotAction_, &QAction::triggered, this, &MainWindow::exportPlot);
    exportTableAction_ = new QAction(tr("Export Layer &Table as CSV…"), this);
    connect(exportTableAction_, &QAction::triggered, this, &MainWindow::exportLayerTable);

    auto updateEnabled = [this] {
        const bool loaded = document_->isLoaded();
        for (QAction* a :
            {firstDivergenceAction_, inputsAction_, fitAction_, exportPlotAction_, exportTableAction_})
            a->setEnabled(loaded);
    };
    connect(document_, &QuantDocument::modelReset, this, updateEnabled);
    updateEnabled();
}

void MainWindow::connectAnalysisViews()
{
    connect(analysis_, &AnalysisController::analysisReady, this, &MainWindow::onAnalysisReady);
    connect(analysis_, &AnalysisController::thresholdChanged, this, [this](double db) {
        layerTable_->setDivergenceThresholdDb(db);
        graph_->setDivergenceThresholdDb(db);
        if (plots_)
            plots_->sqnrPlot()->setThresholdDb(db);
    });
    connect(analysis_, &AnalysisController::settingsChanged, this, [this] {
        accBits_->setValue(analysis_->accumulatorBits());
        if (plots_)
            plots_->setAccumulatorBits(analysis_->accumulatorBits());
    });
    layerTable_->setDivergenceThresholdDb(analysis_->divergenceThresholdDb());
    graph_->setDivergenceThresholdDb(analysis_->divergenceThresholdDb());
    if (plots_) {
        plots_->setAccumulatorBits(analysis_->accumulatorBits());
        plots_->sqnrPlot()->setThresholdDb(analysis_->divergenceThresholdDb());
        connect(document_, &QuantDocument::currentNodeChanged, plots_, [this](int node) {
            plots_->setCurrentLayer(document_->isLoaded() ? layerOfNode(document_->doc(), node) : -1);
        });
        connect(plots_, &AnalysisPlots::layerActivated, this, [this](int layer) {
            if (document_->isLoaded() && layer >= 0
                && static_cast<std::size_t>(layer) < document_->doc().layers().size())
                document_->setCurrentNode(document_->doc().layers()[static_cast<std::size_t>(layer)].node);
        });
    }
}

void MainWindow::onAnalysisReady()
{
    const auto current = analysis_->current();
    layerTable_->setAnalysis(current);
    graph_->setAnalysis(current);
    if (plots_) {
        plots_->setAnalysis(current, analysis_->baseline());
        if (document_->isLoaded())
            plots_->setCurrentLayer(layerOfNode(document_->doc(), document_->currentNode()));
    }
    if (current) {
        analysisStatus_->setText(tr("analysis %1 ms").arg(analysis_->lastLatencyMs(), 0, 'f', 0));
        analysisStatus_->setToolTip(tr("Edit to updated analyses in %1 ms (after a %2 ms pause); P = %3 bits")
                                        .arg(analysis_->lastLatencyMs(), 0, 'f', 0)
                                        .arg(analysis_->debounceMs())
                                        .arg(analysis_->accumulatorBits()));
    } else {
        analysisStatus_->clear();
    }
}

void MainWindow::goToFirstDivergence()
{
    if (!analysis_->current()) {
        statusBar()->showMessage(tr("The analysis is still running"), 5000);
        return;
    }
    const int layer = analysis_->firstDivergence();
    if (layer < 0 || analysis_->firstDivergenceNode() < 0) {
        statusBar()->showMessage(
            tr("No layer is under %1 dB SQNR").arg(analysis_->divergenceThresholdDb()), 8000);
        return;
    }
    const qs::Layer& l = document_->doc().layers()[static_cast<std::size_t>(layer)];
    document_->setCurrentNode(analysis_->firstDivergenceNode()); // the graph centres it, the table scrolls
    const auto& summary = analysis_->current()->layers[static_cast<std::size_t>(layer)];
    statusBar()->showMessage(tr("First layer under %1 dB: %2 (%3 dB)")
                                 .arg(analysis_->divergenceThresholdDb())
                                 .arg(QString::fromStdString(l.name))
                                 .arg(summary.sqnrDb ? *summary.sqnrDb : std::nan(""), 0, 'f', 1),
        8000);
}

void MainWindow::editInputs()
{
    if (!document_->isLoaded())
        return;
    InputsDialog dialog(document_->doc(), analysis_->settings(), this);
    if (dialog.exec() == QDialog::Accepted)
        analysis_->setSettings(dialog.settings());
}

void MainWindow::fitAccumulator()
{
    if (!document_->isLoaded())
        return;
    FitAccumulatorDialog dialog(document_, analysis_->accumulatorBits(), this);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(fitSummary(dialog.report()), 10000);
}

void MainWindow::exportPlot()
{
    if (!plots_)
        return;
    const QString name = plots_->currentPlotName();
    const QString base = QFileInfo(document_->filePath()).completeBaseName();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"),
        QFileInfo(document_->filePath())
            .absoluteDir()
            .filePath(base + QLatin1Char('_') + name + QStringLiteral(".png")),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    try {
        qs::gui::exportPlot(plots_->plot(name), path);
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportLayerTable()
{
    const QString base = QFileInfo(document_->filePath()).completeBaseName();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export layer table"),
        QFileInfo(document_->filePath()).absoluteDir().filePath(base + QStringLiteral("_layers.csv")),
        tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        exportTableCsv(layerTable_->proxy(), path); // as shown: sorted and filtered
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

} // namespace qs::gui
