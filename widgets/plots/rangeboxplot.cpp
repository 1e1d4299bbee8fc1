#include "widgets/plots/rangeboxplot.h"

#include "widgets/plots/plotformat.h"

#include <cmath>

namespace qs::gui {
namespace {

constexpr double kBoxOffset = 0.2;
constexpr double kBoxWidth = 0.3;
constexpr double kBandWidth = 0.38;
constexpr int kRowPixels = 34;
constexpr double kMinBandLog2 = 0.12; // narrowest band drawn

QString statsText(const qs::TensorRange& r)
{
    const qs::Log2Stats& s = r.stats;
    QString text = QObject::tr("%1 elements").arg(s.count);
    if (s.zeroCount > 0)
        text += QObject::tr(", %1 zero (%2 %)")
                    .arg(s.zeroCount)
                    .arg(100.0 * double(s.zeroCount) / double(std::max<std::int64_t>(1, s.count)), 0, 'f', 1);
    if (s.nonFiniteCount > 0)
        text += QObject::tr(", %1 NaN/inf").arg(s.nonFiniteCount);
    if (s.nonzeroCount() == 0)
        return text + QObject::tr("<br>no nonzero finite values");
    auto v = [](double x) { return QString::number(x, 'f', 3); };
    text += QObject::tr("<br>log2|x|: min %1, 5 % %2, 25 % %3, median %4, 75 % %5, 95 % %6, max %7")
                .arg(v(s.minLog2), v(s.p5Log2), v(s.p25Log2), v(s.medianLog2), v(s.p75Log2), v(s.p95Log2),
                    v(s.maxLog2));
    text += QObject::tr("<br>|x| from %1 to %2")
                .arg(std::exp2(s.minLog2), 0, 'g', 6)
                .arg(std::exp2(s.maxLog2), 0, 'g', 6);
    return text;
}

QString representableText(const qs::TensorRange& r)
{
    if (r.quantizer < 0)
        return QObject::tr("<br>not quantized");
    if (!r.representable.known)
        return QObject::tr("<br>quantizer range unknown");
    QString text = QObject::tr("<br>representable: log2 %1 … %2 (|x| %3 … %4)")
                       .arg(r.representable.lowLog2, 0, 'f', 3)
                       .arg(r.representable.highLog2, 0, 'f', 3)
                       .arg(std::exp2(r.representable.lowLog2), 0, 'g', 6)
                       .arg(std::exp2(r.representable.highLog2), 0, 'g', 6);
    if (r.stats.nonzeroCount() > 0) {
        if (r.stats.maxLog2 > r.representable.highLog2)
            text += QObject::tr("<br>⚠ largest values exceed the range by %1 bits (clipped)")
                        .arg(r.stats.maxLog2 - r.representable.highLog2, 0, 'f', 2);
        if (r.stats.medianLog2 < r.representable.lowLog2)
            text += QObject::tr("<br>⚠ more than half the values are below one step (rounded to 0)");
    }
    return text;
}

} // namespace

RangeBoxPlot::RangeBoxPlot(QWidget* parent)
    : AnalysisPlotBase(Qt::Vertical, parent)
{
    rebuild();
}

void RangeBoxPlot::setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    rebuild();
}

QColor RangeBoxPlot::color(Operand operand)
{
    return operand == Weight ? QColor(0x3b, 0x7d, 0xd8) : QColor(0xe8, 0x8a, 0x1a);
}

double RangeBoxPlot::boxKey(int layer, Operand operand) const
{
    return positionOfLayer(layer) + (operand == Weight ? -kBoxOffset : kBoxOffset);
}

int RangeBoxPlot::preferredHeight() const
{
    return std::max(260, 120 + kRowPixels * layerCount());
}

void RangeBoxPlot::rebuild()
{
    beginRebuild();
    weightBoxes_ = inputBoxes_ = nullptr;
    bands_.clear();
    xAxis2->setVisible(false);
    setTitle(tr("log2|x| per layer — weights and layer inputs vs the quantizer's range"));
    if (!analysis_) {
        showEmptyState(tr("No analysis yet."));
        finishRebuild();
        return;
    }
    const auto& ranges = analysis_->ranges.layers;
    std::vector<int> layers;
    QStringList names, opTypes;
    for (const qs::LayerRanges& r : ranges) {
        layers.push_back(r.layer);
        names << layerDisplayName(r.name, r.opType, r.layer);
        opTypes << QString::fromStdString(r.opType);
    }
    setCategories(layers, shortLayerLabels(names, opTypes, 28));
    setMinimumHeight(preferredHeight());

    const QColor fg = foreground();
    auto makeBoxes = [&](Operand operand, const QString& name) {
        auto* boxes = new QCPStatisticalBox(yAxis, xAxis);
        boxes->setName(name);
        boxes->setWidth(kBoxWidth);
        boxes->setWhiskerWidth(kBoxWidth * 0.6);
        QColor fill = color(operand);
        boxes->setPen(QPen(fill.darker(150), 1));
        fill.setAlpha(200);
        boxes->setBrush(fill);
        boxes->setMedianPen(QPen(fg, 2));
        boxes->setWhiskerPen(QPen(fg.lighter(130), 1, Qt::SolidLine));
        boxes->setWhiskerBarPen(QPen(fg, 1));
        boxes->setOutlierStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color(operand).darker(150), 4));
        return boxes;
    };
    weightBoxes_ = makeBoxes(Weight, tr("weights (float, before quantization)"));
    inputBoxes_ = makeBoxes(Input, tr("layer input (activations)"));
    // A legend entry for the bands, which are items.
    auto* bandKey = new QCPBars(yAxis, xAxis);
    bandKey->setName(tr("representable range (scale · 1 … scale · qmax)"));
    QColor bandFill = fg;
    bandFill.setAlpha(40);
    bandKey->setBrush(bandFill);
    bandKey->setPen(QPen(QColor(fg.red(), fg.green(), fg.blue(), 90), 1));

    double lo = INFINITY, hi = -INFINITY;
    auto addOperand = [&](const qs::LayerRanges& r, const std::optional<qs::TensorRange>& range,
                          Operand operand) {
        if (!range)
            return;
        const double key = boxKey(r.layer, operand);
        if (range->representable.known) {
            auto* band = new QCPItemRect(this);
            band->setLayer(behindLayer());
            // A quantizer with one magnitude (ternary, bipolar) has a band of width 0: draw a sliver.
            const double widen
                = std::max(0.0, kMinBandLog2 - (range->representable.highLog2 - range->representable.lowLog2))
                / 2;
            band->topLeft->setCoords(range->representable.lowLog2 - widen, key - kBandWidth / 2);
            band->bottomRight->setCoords(range->representable.highLog2 + widen, key + kBandWidth / 2);
            band->setBrush(bandFill);
            band->setPen(bandKey->pen());
            bands_.push_back(
                {r.layer, operand, range->representable.lowLog2, range->representable.highLog2, band});
            lo = std::min(lo, range->representable.lowLog2);
            hi = std::max(hi, range->representable.highLog2);
        }
        const qs::Log2Stats& s = range->stats;
        if (s.nonzeroCount() == 0)
            return;
        QVector<double> extremes;
        if (s.minLog2 < s.p5Log2)
            extremes << s.minLog2;
        if (s.maxLog2 > s.p95Log2)
            extremes << s.maxLog2;
        boxes(operand)->addData(key, s.p5Log2, s.p25Log2, s.medianLog2, s.p75Log2, s.p95Log2, extremes);
        lo = std::min(lo, s.minLog2);
        hi = std::max(hi, s.maxLog2);
    };
    for (const qs::LayerRanges& r : ranges) {
        addOperand(r, r.weight, Weight);
        addOperand(r, r.input, Input);
    }
    if (!(hi >= lo)) {
        showEmptyState(tr("No value ranges: the layers have no constant weights and no run captured "
                          "their inputs."));
        finishRebuild();
        return;
    }
    if (inputBoxes_->dataCount() == 0) {
        inputBoxes_->removeFromLegend();
        setTitle(tr("log2|x| per layer — weights vs the quantizer's range (layer inputs need a run)"));
    }
    if (bands_.empty())
        bandKey->removeFromLegend();
    lo = std::floor(lo) - 1;
    hi = std::ceil(hi) + 1;
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(hi - lo > 40 ? 4 : hi - lo > 20 ? 2 : 1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    xAxis->setTicker(ticker);
    xAxis->setSubTicks(false);
    xAxis->setRange(lo, hi);
    xAxis->setLabel(tr("log2 |x|  (zeros left out; whiskers 5–95 %, dots min/max)"));
    // The same scale on top: easier to read against the first layers of a long network.
    xAxis2->setVisible(true);
    xAxis2->setTicker(ticker);
    xAxis2->setSubTicks(false);
    xAxis2->setRange(lo, hi);
    xAxis2->setBasePen(QPen(fg));
    xAxis2->setTickPen(QPen(fg));
    xAxis2->setTickLabelColor(fg);
    xAxis2->setTickLabels(true);
    showLegend(3);
    finishRebuild();
}

QString RangeBoxPlot::layerToolTip(int layer) const
{
    if (!analysis_)
        return {};
    for (const qs::LayerRanges& r : analysis_->ranges.layers) {
        if (r.layer != layer)
            continue;
        QString text = QStringLiteral("<b>%1</b> (%2)")
                           .arg(layerDisplayName(r.name, r.opType, r.layer).toHtmlEscaped(),
                               QString::fromStdString(r.opType));
        auto operand = [&](const std::optional<qs::TensorRange>& range, const QString& what, Operand kind) {
            text += QStringLiteral("<br><br><span style='color:%1'>■</span> <b>%2</b> ")
                        .arg(color(kind).name(), what);
            if (!range) {
                text += kind == Weight ? tr("none (no constant weight)")
                                       : tr("not captured (static analysis)");
                return;
            }
            text += QString::fromStdString(range->name).toHtmlEscaped() + QStringLiteral("<br>");
            text += statsText(*range) + representableText(*range);
        };
        operand(r.weight, tr("weights"), Weight);
        operand(r.input, tr("input"), Input);
        return text;
    }
    return {};
}

} // namespace qs::gui
