// The dockable panels around the graph: properties (right), layers and plots (bottom).
#include "mainwindow.h"
#include "widgets/analysisplots.h"
#include "widgets/layerplot.h"
#include "widgets/layertable.h"
#include "widgets/layertablemodel.h"
#include "widgets/propertypanel.h"

#include <QDockWidget>
#include <QStatusBar>

namespace qs::gui {

void MainWindow::createDocks()
{
    auto* propertiesDock = new QDockWidget(tr("Properties"), this);
    propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    properties_ = new PropertyPanel(document_, propertiesDock);
    propertiesDock->setWidget(properties_);
    addDockWidget(Qt::RightDockWidgetArea, propertiesDock);

    auto* layersDock = new QDockWidget(tr("Layers"), this);
    layersDock->setObjectName(QStringLiteral("layersDock"));
    layerTable_ = new LayerTable(document_, layersDock);
    layersDock->setWidget(layerTable_);
    addDockWidget(Qt::BottomDockWidgetArea, layersDock);
    connect(layerTable_->model(), &LayerTableModel::editRefused, this,
        [this](const QString& message) { statusBar()->showMessage(message, 8000); });

    // The analysis plots (SQNR, BOPs, accumulator, ranges) follow every analysis; the bit-width
    // profile needs none and sits in a tab behind them.
    auto* plotsDock = new QDockWidget(tr("Plots"), this);
    plotsDock->setObjectName(QStringLiteral("plotsDock"));
    plots_ = new AnalysisPlots(plotsDock);
    plotsDock->setWidget(plots_);
    addDockWidget(Qt::BottomDockWidgetArea, plotsDock);
    splitDockWidget(layersDock, plotsDock, Qt::Horizontal);
    auto* bitsDock = new QDockWidget(tr("Bit widths"), this);
    bitsDock->setObjectName(QStringLiteral("bitsDock"));
    bitsDock->setWidget(new LayerPlot(document_, bitsDock));
    tabifyDockWidget(plotsDock, bitsDock);
    plotsDock->raise();

    resizeDocks({propertiesDock}, {420}, Qt::Horizontal);
    resizeDocks({layersDock}, {260}, Qt::Vertical);
    resizeDocks({layersDock, plotsDock}, {900, 500}, Qt::Horizontal);
}

} // namespace qs::gui
