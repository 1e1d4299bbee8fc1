#include "widgets/weighthistogram.h"

#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace qs::gui {
namespace {

constexpr int kBins = 80;
constexpr int kMaxGridLines = 64;

void addVerticalLine(QCustomPlot* plot, double x, const QPen& pen)
{
    auto* line = new QCPItemStraightLine(plot);
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    line->setPen(pen);
}

} // namespace

WeightStats weightStats(const qs::Tensor& values)
{
    WeightStats s;
    s.count = values.size();
    if (s.count == 0)
        return s;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;
    double sum = 0;
    std::int64_t zeros = 0;
    for (std::int64_t i = 0; i < s.count; ++i) {
        const double v = values.at(i);
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
        sum += v;
        zeros += v == 0.0;
    }
    s.mean = sum / static_cast<double>(s.count);
    s.sparsity = static_cast<double>(zeros) / static_cast<double>(s.count);
    return s;
}

std::optional<ClipRange> clipRange(const qs::Quantizer& q)
{
    if (!q.scale.known || q.scale.values.empty() || !q.qmin || !q.qmax)
        return std::nullopt;
    const double s = q.scale.maxValue();
    const double z = q.zeroPoint.known && !q.zeroPoint.values.empty() ? q.zeroPoint.values.front() : 0.0;
    return ClipRange {s * (*q.qmin - z), s * (*q.qmax - z), s};
}

WeightHistogram::WeightHistogram(QWidget* parent)
    : QWidget(parent)
    , plot_(new QCustomPlot(this))
{
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_, 1);
    layout->addWidget(summary_);
    layout->addStretch(0);
    plot_->setMinimumHeight(140);
    clear();
}

void WeightHistogram::clear()
{
    plot_->clearPlottables();
    plot_->clearItems();
    plot_->xAxis->setLabel({});
    plot_->hide(); // empty axes say nothing
    summary_->setText(tr("Select a layer or a weight quantizer to see its weights."));
}

void WeightHistogram::showTensor(
    const QString& name, const qs::Tensor& values, const qs::Quantizer* quantizer)
{
    plot_->clearPlottables();
    plot_->clearItems();
    plot_->show();
    const QPalette pal = palette();
    const QColor fg = pal.color(QPalette::WindowText);
    plot_->setBackground(pal.color(QPalette::Base));
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
    }

    const WeightStats stats = weightStats(values);
    const std::optional<ClipRange> range = quantizer ? clipRange(*quantizer) : std::nullopt;
    double lo = stats.min, hi = stats.max;
    if (range) {
        lo = std::min(lo, range->low);
        hi = std::max(hi, range->high);
    }
    if (!(hi > lo)) {
        lo -= 0.5;
        hi += 0.5;
    }
    const double pad = (hi - lo) * 0.04;
    lo -= pad;
    hi += pad;
    const double width = (hi - lo) / kBins;
    QVector<double> keys(kBins), counts(kBins, 0.0);
    for (int b = 0; b < kBins; ++b)
        keys[b] = lo + (b + 0.5) * width;
    for (std::int64_t i = 0; i < stats.count; ++i) {
        const int b = std::clamp(static_cast<int>((values.at(i) - lo) / width), 0, kBins - 1);
        counts[b] += 1;
    }
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setWidth(width);
    bars->setData(keys, counts, true);
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(0x3b, 0x82, 0xf6, 200));

    QString rangeText;
    if (range) {
        const int steps
            = range->step > 0 ? static_cast<int>(std::lround((range->high - range->low) / range->step)) : 0;
        if (steps > 0 && steps <= kMaxGridLines) {
            QPen grid(QColor(0x7a, 0x3f, 0xd1, 150), 0, Qt::DotLine); // cosmetic: 1 px at any zoom
            for (int k = 0; k <= steps; ++k)
                addVerticalLine(plot_, range->low + k * range->step, grid);
        }
        QPen clip(QColor(0xd9, 0x36, 0x36), 1.5, Qt::DashLine);
        addVerticalLine(plot_, range->low, clip);
        addVerticalLine(plot_, range->high, clip);
        rangeText = tr("<br>clip range [%1, %2], step %3%4%5")
                        .arg(range->low, 0, 'g', 4)
                        .arg(range->high, 0, 'g', 4)
                        .arg(range->step, 0, 'g', 4)
                        .arg(quantizer->scale.isPerChannel() ? tr(" (largest per-channel scale)") : QString())
                        .arg(steps > kMaxGridLines ? tr(", grid too fine to draw") : QString());
    }
    plot_->xAxis->setLabel(name);
    plot_->xAxis->setRange(lo, hi);
    plot_->yAxis->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.1 + 1);
    plot_->replot();
    summary_->setText(tr("<b>%1</b> values: min %2, max %3, mean %4, sparsity %5%%6")
                          .arg(stats.count)
                          .arg(stats.min, 0, 'g', 4)
                          .arg(stats.max, 0, 'g', 4)
                          .arg(stats.mean, 0, 'g', 4)
                          .arg(stats.sparsity * 100, 0, 'f', 1)
                          .arg(rangeText));
}

} // namespace qs::gui
