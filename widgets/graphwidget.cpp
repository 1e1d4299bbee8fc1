#include "widgets/graphwidget.h"

#include "widgets/documentmodel.h"
#include "widgets/graphminimap.h"
#include "widgets/graphnodeitem.h"
#include "widgets/graphscene.h"
#include "widgets/graphview.h"
#include "widgets/overlaylegend.h"
#include "widgets/taskrunner.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace qs::gui {

GraphWidget::GraphWidget(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
    , cache_(new GraphLayoutCache(document, this))
    , scene_(new GraphScene(this))
{
    toolbar_ = new QToolBar(tr("Graph"), this);
    toolbar_->setIconSize(QSize(16, 16));
    toolbar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    collapseAction_ = toolbar_->addAction(tr("Collapse quantizers"));
    collapseAction_->setCheckable(true);
    collapseAction_->setToolTip(tr("Show every quantizer as a badge on the edge it quantizes"));
    toolbar_->addSeparator();
    zoomInAction_ = toolbar_->addAction(tr("Zoom in"));
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    zoomOutAction_ = toolbar_->addAction(tr("Zoom out"));
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    zoomFitAction_ = toolbar_->addAction(tr("Fit"));
    zoomFitAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    toolbar_->addSeparator();
    toolbar_->addWidget(new QLabel(tr(" Overlay: "), toolbar_));
    overlayBox_ = new QComboBox(toolbar_);
    for (const QString& name : overlayNames()) {
        GraphOverlay overlay = GraphOverlay::None;
        parseOverlay(name, overlay);
        overlayBox_->addItem(overlayLabel(overlay), name);
    }
    overlayBox_->setToolTip(tr("Colour the boxes by a metric"));
    toolbar_->addWidget(overlayBox_);
    status_ = new QLabel(toolbar_);
    status_->setContentsMargins(12, 0, 0, 0);
    toolbar_->addWidget(status_);

    view_ = new GraphView(scene_, this);
    minimap_ = new GraphMinimap(view_, view_);
    minimap_->hide();
    legend_ = new OverlayLegend(view_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar_);
    layout->addWidget(view_, 1);

    connect(collapseAction_, &QAction::toggled, this, [this](bool on) { setCollapseQuantizers(on); });
    connect(zoomInAction_, &QAction::triggered, this, [this] { view_->zoomBy(1.25); });
    connect(zoomOutAction_, &QAction::triggered, this, [this] { view_->zoomBy(0.8); });
    connect(zoomFitAction_, &QAction::triggered, view_, &GraphView::zoomToFit);
    connect(overlayBox_, &QComboBox::currentIndexChanged, this, [this] {
        GraphOverlay overlay = GraphOverlay::None;
        parseOverlay(overlayBox_->currentData().toString(), overlay);
        setOverlay(overlay);
    });
    connect(cache_, &GraphLayoutCache::ready, this, &GraphWidget::onLayoutReady);
    connect(cache_, &GraphLayoutCache::failed, this, [this](const QString& message) {
        pending_ = false;
        status_->setText(tr("Layout failed"));
        emit layoutFailed(message);
    });
    connect(document_, &QuantDocument::modelReset, this, &GraphWidget::onModelReset);
    connect(document_, &QuantDocument::topologyChanged, this, &GraphWidget::onModelReset);
    connect(document_, &QuantDocument::quantizerChanged, this, [this](int q) {
        scene_->refreshBadges(document_->doc(), q); // never a new layout for a parameter edit
        applyOverlay();
    });
    connect(document_, &QuantDocument::currentNodeChanged, this, &GraphWidget::onCurrentNodeChanged);
    connect(scene_, &GraphScene::boxSelected, this, &GraphWidget::onBoxSelected);
}

TaskRunner* GraphWidget::layoutRunner() const
{
    return cache_->runner();
}

bool GraphWidget::collapseQuantizers() const
{
    return collapseAction_->isChecked();
}

void GraphWidget::setCollapseQuantizers(bool on)
{
    if (collapseAction_->isChecked() != on) {
        collapseAction_->setChecked(on); // re-enters through toggled()
        return;
    }
    if (!document_->isLoaded())
        return;
    pending_ = true;
    status_->setText(tr("Laying out…"));
    cache_->request(on);
}

void GraphWidget::setOverlay(GraphOverlay overlay)
{
    overlay_ = overlay;
    const int index = overlayBox_->findData(overlayName(overlay));
    if (index != overlayBox_->currentIndex())
        overlayBox_->setCurrentIndex(index);
    applyOverlay();
}

void GraphWidget::setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    analysisError_.clear();
    if (overlayNeedsAnalysis(overlay_))
        applyOverlay();
}

void GraphWidget::setAnalysisFailed(const QString& message)
{
    analysis_.reset();
    analysisError_ = message;
    if (overlayNeedsAnalysis(overlay_))
        applyOverlay();
}

void GraphWidget::setDivergenceThresholdDb(double thresholdDb)
{
    thresholdDb_ = thresholdDb;
    if (overlay_ == GraphOverlay::Sqnr)
        applyOverlay();
}

void GraphWidget::applyOverlay()
{
    if (!scene_->graph() || !document_->isLoaded()) {
        overlayResult_ = OverlayResult();
        legend_->setContents({});
        return;
    }
    overlayResult_
        = computeOverlay(document_->doc(), *scene_->graph(), overlay_, analysis_.get(), thresholdDb_);
    if (!analysis_ && !analysisError_.isEmpty() && overlayNeedsAnalysis(overlay_))
        overlayResult_.legend.note = tr("the analysis failed");
    scene_->setTints(overlayResult_.colours);
    for (int i = 0; i < scene_->boxCount(); ++i) {
        const QString& label = overlayResult_.labels[static_cast<std::size_t>(i)];
        scene_->box(i)->setOverlayText(
            label.isEmpty() ? QString() : overlayResult_.legend.title + QStringLiteral(": ") + label);
    }
    legend_->setContents(overlayResult_.legend);
    placeLegend();
}

void GraphWidget::onModelReset()
{
    analysis_.reset(); // the new model's analysis follows
    analysisError_.clear();
    cache_->invalidate();
    scene_->clearGraph();
    minimap_->hide();
    if (!document_->isLoaded())
        return;
    pending_ = true;
    status_->setText(tr("Laying out…"));
    cache_->request(collapseQuantizers());
}

void GraphWidget::onLayoutReady(bool collapsed, const LaidOutGraph& result)
{
    if (collapsed != collapseQuantizers())
        return; // the user toggled again meanwhile; that request follows
    scene_->setGraph(result.graph, result.layout);
    scene_->refreshBadges(document_->doc(), -1); // the cached graph may predate parameter edits
    applyOverlay();
    status_->setText(
        tr("%1 boxes · layout %2 ms").arg(scene_->boxCount()).arg(result.layout->layoutMs, 0, 'f', 0));
    placeMinimap();
    minimap_->show();
    minimap_->refit();
    view_->zoomToReadable();
    pending_ = false;
    onCurrentNodeChanged(document_->currentNode());
    emit layoutReady();
}

void GraphWidget::onCurrentNodeChanged(int node)
{
    if (syncing_)
        return;
    syncing_ = true;
    int box = scene_->boxOfNode(node);
    if (box < 0 && node >= 0 && document_->isLoaded()) {
        // A collapsed quantizer has no box: show the box its output feeds instead.
        const qs::ModelDocument& doc = document_->doc();
        const int q = doc.quantizerOfNode(node);
        const qs::TensorId out = q >= 0 ? doc.quantizers()[static_cast<std::size_t>(q)].output : -1;
        if (out >= 0)
            for (const qs::TensorUse& use : doc.tensor(out).consumers)
                if ((box = scene_->boxOfNode(use.node)) >= 0)
                    break;
    }
    scene_->selectBox(box);
    if (box >= 0)
        view_->centreOnBox(box);
    syncing_ = false;
}

void GraphWidget::onBoxSelected(int box)
{
    if (syncing_ || !scene_->graph())
        return;
    syncing_ = true;
    const int node = box >= 0 ? scene_->graph()->items[static_cast<std::size_t>(box)].node : -1;
    document_->setCurrentNode(node);
    syncing_ = false;
}

void GraphWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        scene_->setTheme(GraphTheme::fromPalette(palette()));
        minimap_->setBackgroundBrush(palette().color(QPalette::AlternateBase));
    }
    QWidget::changeEvent(event);
}

void GraphWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    placeMinimap();
    placeLegend();
}

void GraphWidget::placeLegend()
{
    legend_->move(8, 8);
    legend_->raise();
}

void GraphWidget::placeMinimap()
{
    // As tall as a third of the view at most, as wide as the graph's aspect asks (a tall graph gets a
    // narrow strip), so the overview covers little of the graph.
    const QSize area = view_->viewport()->size();
    const QRectF scene = scene_->sceneRect();
    const int h = std::clamp(area.height() / 3, 60, 220);
    const double aspect = scene.height() > 0 ? scene.width() / scene.height() : 1.0;
    const int w = std::clamp(static_cast<int>(h * aspect), 50, std::max(50, area.width() / 4));
    minimap_->setGeometry(area.width() - w - 8, area.height() - h - 8, w, h);
    minimap_->refit();
}

} // namespace qs::gui
