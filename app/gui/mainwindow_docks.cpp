// The dockable panels around the graph: properties (right), layers (bottom).
#include "mainwindow.h"
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

    auto* plotsDock = new QDockWidget(tr("Plots"), this);
    plotsDock->setObjectName(QStringLiteral("plotsDock"));
    plotsDock->setWidget(new LayerPlot(document_, plotsDock));
    addDockWidget(Qt::BottomDockWidgetArea, plotsDock);
    splitDockWidget(layersDock, plotsDock, Qt::Horizontal);

    resizeDocks({propertiesDock}, {420}, Qt::Horizontal);
    resizeDocks({layersDock}, {260}, Qt::Vertical);
    resizeDocks({layersDock, plotsDock}, {900, 500}, Qt::Horizontal);
}

} // namespace qs::gui
