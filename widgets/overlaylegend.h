#pragma once
// The legend of the graph overlay, floating over the graph's corner: the metric's name, a colour
// ramp with the smallest and largest value shown, or one swatch per class (risk), and a note.
#include "widgets/graphoverlay.h"

#include <QWidget>

namespace qs::gui {

class OverlayLegend : public QWidget {
    Q_OBJECT
public:
    explicit OverlayLegend(QWidget* parent = nullptr);

    void setContents(const OverlayLegendData& legend);
    const OverlayLegendData& contents() const { return legend_; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    OverlayLegendData legend_;
};

} // namespace qs::gui
