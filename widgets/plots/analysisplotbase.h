#pragma once
// The common ground of the analysis plots: a QCustomPlot with one category per layer on its category
// axis (x for the bar charts, y for the horizontal box plot with the first layer at the top), the layer
// names as tick labels, the palette's colours, a title row and a legend row above the axis rect, an
// empty-state message, a band behind the current layer, hover tooltips with the exact values and a
// click that activates the layer under the cursor.
#include <QString>
#include <QStringList>
#include <qcustomplot.h>

#include <vector>

namespace qs::gui {

class AnalysisPlotBase : public QCustomPlot {
    Q_OBJECT
public:
    // `categories`: Qt::Horizontal puts the layers along x, Qt::Vertical along y (top to bottom).
    explicit AnalysisPlotBase(Qt::Orientation categories, QWidget* parent = nullptr);

    // (Not setCurrentLayer: QCustomPlot already has one, for its drawing layers.)
    void setHighlightedLayer(int layer); // index into doc.layers(), -1 for none
    int highlightedLayer() const { return highlightedLayer_; }

    int layerCount() const { return static_cast<int>(layers_.size()); }
    int positionOfLayer(int layer) const; // category position, -1 when the layer is not drawn
    int layerAtPosition(int position) const; // -1 outside
    // The layer whose category holds a widget pixel inside the axis rect, -1 when none.
    int layerAt(const QPoint& pixel) const;
    // The pixel of (category of `layer`, `value` on the value axis) — what a click on it would hit.
    QPoint pixelOf(int layer, double value) const;
    // What hovering over `pixel` shows (rich text), empty outside every layer.
    QString toolTipAt(const QPoint& pixel) const;
    // The message drawn instead of data (no analysis, nothing measured); empty when data is shown.
    QString emptyText() const { return emptyText_; }
    QString titleText() const;

    QCPAxis* categoryAxis() const { return categories_ == Qt::Horizontal ? xAxis : yAxis; }
    QCPAxis* valueAxis() const { return categories_ == Qt::Horizontal ? yAxis : xAxis; }

signals:
    void layerActivated(int layer);

protected:
    // Redraws everything from the subclass's data (also on palette changes).
    virtual void rebuild() = 0;
    // Rich-text tooltip for one layer; empty for none.
    virtual QString layerToolTip(int layer) const = 0;

    // Clears plottables and items, applies the palette, hides the legend and the message.
    void beginRebuild();
    // One category per entry of `layers` (indices into doc.layers()), labelled with `labels`.
    void setCategories(const std::vector<int>& layers, const QStringList& labels);
    void setTitle(const QString& text);
    // Shows `text` in the middle of the empty axis rect instead of data.
    void showEmptyState(const QString& text);
    // Shows the legend (when it has items) in at most `maxColumns` columns, fewer when narrow.
    void showLegend(int maxColumns);
    // Draws the current-layer band and replots.
    void finishRebuild();

    QColor foreground() const;
    QColor faintForeground(int alpha = 60) const;
    // The layer that items drawn behind the data (bands, highlights) go on.
    QCPLayer* behindLayer() const { return layer(QStringLiteral("behind")); }

    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeHighlight();
    // Tick labels for the current size: every k-th layer when they would not fit, rotated when long.
    void updateCategoryLabels(int available);
    void fitLegend(int available);

    Qt::Orientation categories_;
    std::vector<int> layers_; // layer at each category position
    QStringList labels_;
    int legendMaxColumns_ = 4;
    int highlightedLayer_ = -1;
    bool built_ = false; // rebuild() ran once: palette changes may call it
    QString emptyText_;
    QCPTextElement* title_;
    QCPItemRect* highlight_ = nullptr;
    QPoint pressPos_;
    bool pressed_ = false;
    bool rebuilding_ = false;
};

} // namespace qs::gui
