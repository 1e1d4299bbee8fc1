#pragma once
// Histogram of a weight tensor with its quantizer overlaid: the quantization grid (scale steps, when
// few enough to see) and the clipping range [s·(qmin−z), s·(qmax−z)], plus min/max/mean/sparsity.
#include "core/model/quantizer.h"
#include "core/util/tensor.h"

#include <QWidget>

#include <optional>

class QCustomPlot;
class QLabel;

namespace qs::gui {

struct WeightStats {
    double min = 0, max = 0, mean = 0;
    double sparsity = 0; // fraction of exact zeros
    std::int64_t count = 0;
};

WeightStats weightStats(const qs::Tensor& values);

// The clipping range of a quantizer, using the largest scale for per-channel quantizers.
struct ClipRange {
    double low = 0, high = 0, step = 0;
};
std::optional<ClipRange> clipRange(const qs::Quantizer& q);

class WeightHistogram : public QWidget {
    Q_OBJECT
public:
    explicit WeightHistogram(QWidget* parent = nullptr);

    // `quantizer` may be null (an unquantized constant).
    void showTensor(const QString& name, const qs::Tensor& values, const qs::Quantizer* quantizer);
    void clear();
    QCustomPlot* plot() const { return plot_; }

private:
    QCustomPlot* plot_;
    QLabel* summary_;
};

} // namespace qs::gui
