#pragma once
// The bit-width profile of the network, layer by layer (input and weight bits as bars, MACs as a
// line on a log axis), in the spirit of hls4ml's profiling plots. Follows every edit.
#include <QWidget>

class QCustomPlot;

namespace qs::gui {

class QuantDocument;

class LayerPlot : public QWidget {
    Q_OBJECT
public:
    explicit LayerPlot(QuantDocument* document, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }

private:
    void reload();

    QuantDocument* document_;
    QCustomPlot* plot_;
};

} // namespace qs::gui
