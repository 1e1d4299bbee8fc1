#pragma once
// The graph panel: toolbar (collapse quantizers, zoom, overlay), the view, the overview minimap and
// the overlay's legend.
// It follows the document: a new model is laid out in the background, a quantizer edit only
// refreshes badge texts, and the current node is selected and centred.
#include "widgets/graphlayoutcache.h"
#include "widgets/graphoverlay.h"

#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QToolBar;

namespace qs::gui {

class GraphMinimap;
class OverlayLegend;
class GraphScene;
class GraphView;
class QuantDocument;
class TaskRunner;

class GraphWidget : public QWidget {
    Q_OBJECT
public:
    explicit GraphWidget(QuantDocument* document, QWidget* parent = nullptr);

    GraphScene* scene() const { return scene_; }
    GraphView* view() const { return view_; }
    TaskRunner* layoutRunner() const;
    const GraphLayoutCache& layoutCache() const { return *cache_; }
    bool isLayoutPending() const { return pending_; }
    bool collapseQuantizers() const;
    void setCollapseQuantizers(bool on);
    void setOverlay(GraphOverlay overlay);
    GraphOverlay overlay() const { return overlay_; }
    // The analysis behind the SQNR / BOPs / headroom / risk overlays (null: none yet).
    void setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis);
    void setDivergenceThresholdDb(double thresholdDb);
    // The analysis could not run: the analysis overlays say so instead of waiting.
    void setAnalysisFailed(const QString& message);
    // What the overlay shows now: a value and a colour per box, and the legend.
    const OverlayResult& overlayResult() const { return overlayResult_; }
    OverlayLegend* legend() const { return legend_; }

    QAction* collapseAction() const { return collapseAction_; }
    QAction* zoomInAction() const { return zoomInAction_; }
    QAction* zoomOutAction() const { return zoomOutAction_; }
    QAction* zoomFitAction() const { return zoomFitAction_; }

signals:
    void layoutReady(); // the scene shows the current document
    void layoutFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void onModelReset();
    void onLayoutReady(bool collapsed, const LaidOutGraph& result);
    void onCurrentNodeChanged(int node);
    void onBoxSelected(int box);
    void applyOverlay();
    void placeMinimap();
    void placeLegend();

    QuantDocument* document_;
    GraphLayoutCache* cache_;
    GraphScene* scene_;
    GraphView* view_;
    GraphMinimap* minimap_;
    OverlayLegend* legend_;
    QToolBar* toolbar_;
    QLabel* status_;
    QComboBox* overlayBox_;
    QAction* collapseAction_;
    QAction* zoomInAction_;
    QAction* zoomOutAction_;
    QAction* zoomFitAction_;
    GraphOverlay overlay_ = GraphOverlay::None;
    OverlayResult overlayResult_;
    std::shared_ptr<const qs::ModelAnalysis> analysis_;
    double thresholdDb_ = 20.0;
    QString analysisError_;
    bool pending_ = false;
    bool syncing_ = false;
};

} // namespace qs::gui
