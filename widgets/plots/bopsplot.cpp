#include "widgets/plots/bopsplot.h"

#include "widgets/plots/plotformat.h"

#include <cmath>

namespace qs::gui {
namespace {

double totalBops(const qs::ModelAnalysis& analysis)
{
    double total = 0;
    for (const qs::LayerSummary& row : analysis.layers)
        total += row.bopsUniq;
    return total;
}

QString exactBops(double bops)
{
    return QStringLiteral("%1 (%2)").arg(QString::number(bops, 'f', 0), formatSi(bops));
}

} // namespace

BopsPlot::BopsPlot(QWidget* parent)
    : AnalysisPlotBase(Qt::Horizontal, parent)
{
    rebuild();
}

void BopsPlot::setAnalysis(
    std::shared_ptr<const qs::ModelAnalysis> current, std::shared_ptr<const qs::ModelAnalysis> baseline)
{
    current_ = std::move(current);
    baseline_ = std::move(baseline);
    rebuild();
}

bool BopsPlot::hasBaseline() const
{
    return current_ && baseline_ && baseline_ != current_;
}

double BopsPlot::totalBefore() const
{
    return hasBaseline() ? totalBops(*baseline_) : 0.0;
}

double BopsPlot::totalAfter() const
{
    return current_ ? totalBops(*current_) : 0.0;
}

QString BopsPlot::totalsTitle(double after, const std::optional<double>& before)
{
    if (!before)
        return tr("BOPs %1").arg(formatSi(after));
    const int exponent = siExponent(std::max(std::abs(*before), std::abs(after)));
    QString title = tr("BOPs %1 → %2")
                        .arg(formatWithSiExponent(*before, exponent), formatWithSiExponent(after, exponent));
    if (const QString change = formatChangePercent(*before, after); !change.isEmpty())
        title += QStringLiteral(" (%1)").arg(change);
    return title;
}

const qs::LayerSummary* BopsPlot::baselineRow(int position) const
{
    if (!hasBaseline() || position < 0)
        return nullptr;
    const qs::LayerSummary& row = current_->layers[static_cast<std::size_t>(position)];
    const auto& base = baseline_->layers;
    if (static_cast<std::size_t>(position) < base.size()
        && base[static_cast<std::size_t>(position)].name == row.name)
        return &base[static_cast<std::size_t>(position)];
    if (row.name.empty())
        return nullptr;
    for (const qs::LayerSummary& b : base)
        if (b.name == row.name)
            return &b;
    return nullptr;
}

void BopsPlot::rebuild()
{
    beginRebuild();
    baselineBars_ = currentBars_ = nullptr;
    if (!current_) {
        setTitle(tr("BOPs per layer"));
        showEmptyState(tr("No analysis yet."));
        finishRebuild();
        return;
    }
    const bool before = hasBaseline();
    setTitle(totalsTitle(totalAfter(), before ? std::optional<double>(totalBefore()) : std::nullopt));
    const auto& rows = current_->layers;
    const int n = static_cast<int>(rows.size());
    std::vector<int> layers;
    QStringList names, opTypes;
    for (const qs::LayerSummary& row : rows) {
        layers.push_back(row.layer);
        names << layerDisplayName(row.name, row.opType, row.layer);
        opTypes << QString::fromStdString(row.opType);
    }
    setCategories(layers, shortLayerLabels(names, opTypes));

    auto* group = new QCPBarsGroup(this);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(1);
    auto makeBars = [&](const QColor& colour, const QString& name) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setName(name);
        bars->setWidth(before ? 0.38 : 0.72);
        bars->setPen(QPen(colour.darker(125), 1));
        bars->setBrush(colour);
        if (before)
            bars->setBarsGroup(group);
        return bars;
    };
    if (before)
        baselineBars_ = makeBars(baselineColor(), tr("as loaded"));
    currentBars_ = makeBars(currentColor(), before ? tr("current") : tr("BOPs"));
    double lo = INFINITY, hi = 0;
    auto add = [&](QCPBars* bars, int i, double bops) {
        if (!(bops > 0))
            return; // nothing to draw on a log axis
        bars->addData(i, bops);
        lo = std::min(lo, bops);
        hi = std::max(hi, bops);
    };
    for (int i = 0; i < n; ++i) {
        add(currentBars_, i, rows[static_cast<std::size_t>(i)].bopsUniq);
        if (const qs::LayerSummary* b = baselineRow(i))
            add(baselineBars_, i, b->bopsUniq);
    }
    if (!before)
        currentBars_->removeFromLegend();
    if (hi == 0) {
        showEmptyState(tr("No layer has a BOPs count (shapes or bit widths unknown)."));
        finishRebuild();
        return;
    }
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    yAxis->setTicker(ticker);
    yAxis->setNumberFormat(QStringLiteral("eb"));
    yAxis->setNumberPrecision(0);
    yAxis->setRange(
        std::pow(10, std::floor(std::log10(lo)) - 0.05), std::pow(10, std::ceil(std::log10(hi) + 0.15)));
    yAxis->setLabel(tr("BOPs (UNIQ: mult + add), log"));
    xAxis->setLabel(tr("layer (topological order)"));
    showLegend(2);
    finishRebuild();
}

QString BopsPlot::layerToolTip(int layer) const
{
    const int position = positionOfLayer(layer);
    if (!current_ || position < 0)
        return {};
    const qs::LayerSummary& row = current_->layers[static_cast<std::size_t>(position)];
    QString text = layerToolTipHeader(row.name, row.opType, row.layer, row.k);
    const qs::LayerSummary* base = baselineRow(position);
    if (base)
        text += tr("<br>as loaded: %1 BOPs").arg(exactBops(base->bopsUniq));
    text += tr("<br>%1: %2 BOPs").arg(hasBaseline() ? tr("current") : tr("BOPs"), exactBops(row.bopsUniq));
    if (base)
        if (const QString change = formatChangePercent(base->bopsUniq, row.bopsUniq); !change.isEmpty())
            text += tr(" (%1)").arg(change);
    text += tr("<br>MACs %1, qonnx BOPs (mult only) %2").arg(formatSi(row.macs), formatSi(row.bopsQonnx));
    auto bits = [](const std::optional<double>& b) { return b ? QString::number(*b) : QStringLiteral("–"); };
    text += tr("<br>bits: input %1, weight %2").arg(bits(row.inputBits), bits(row.weightBits));
    if (base)
        text += tr(" (as loaded: %1, %2)").arg(bits(base->inputBits), bits(base->weightBits));
    return text;
}

} // namespace qs::gui
