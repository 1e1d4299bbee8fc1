#include "widgets/plots/accumulatorplot.h"

#include "widgets/plots/plotformat.h"

#include <cmath>

namespace qs::gui {
namespace {

constexpr std::array<qs::RiskClass, 5> kRiskOrder = {qs::RiskClass::Safe, qs::RiskClass::Possible,
    qs::RiskClass::Unverified, qs::RiskClass::Observed, qs::RiskClass::NotApplicable};

std::size_t riskIndex(qs::RiskClass risk)
{
    return static_cast<std::size_t>(risk);
}

QString methodName(AccumulatorPlot::Method method)
{
    switch (method) {
    case AccumulatorPlot::DataType:
        return QObject::tr("data-type bound");
    case AccumulatorPlot::A2Q:
        return QObject::tr("A2Q (L1)");
    case AccumulatorPlot::A2QPlus:
        return QObject::tr("A2Q+");
    case AccumulatorPlot::Observed:
        return QObject::tr("observed in the run");
    case AccumulatorPlot::MethodCount:
        break;
    }
    return {};
}

int methodBits(const qs::LayerSummary& row, AccumulatorPlot::Method method)
{
    switch (method) {
    case AccumulatorPlot::DataType:
        return row.accDataTypeBits;
    case AccumulatorPlot::A2Q:
        return row.accA2qBits;
    case AccumulatorPlot::A2QPlus:
        return row.accA2qPlusBits;
    case AccumulatorPlot::Observed:
        return row.accObservedBits;
    case AccumulatorPlot::MethodCount:
        break;
    }
    return -1;
}

QCPScatterStyle methodStyle(AccumulatorPlot::Method method, const QColor& fg)
{
    const QColor ink = fg;
    switch (method) {
    case AccumulatorPlot::DataType:
        return QCPScatterStyle(QCPScatterStyle::ssTriangle, ink, QColor(0x6d, 0x4c, 0xc2), 8);
    case AccumulatorPlot::A2Q:
        return QCPScatterStyle(QCPScatterStyle::ssSquare, ink, QColor(0x1f, 0x9e, 0xb3), 7);
    case AccumulatorPlot::A2QPlus:
        return QCPScatterStyle(QCPScatterStyle::ssDiamond, ink, QColor(0xf4, 0xf4, 0xf4), 8);
    case AccumulatorPlot::Observed:
    case AccumulatorPlot::MethodCount:
        break;
    }
    return QCPScatterStyle(QCPScatterStyle::ssDisc, ink, ink, 6);
}

QString bitsOrDash(int bits)
{
    return bits >= 0 ? QString::number(bits) : QStringLiteral("–");
}

} // namespace

AccumulatorPlot::AccumulatorPlot(QWidget* parent)
    : AnalysisPlotBase(Qt::Horizontal, parent)
{
    rebuild();
}

void AccumulatorPlot::setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    rebuild();
}

void AccumulatorPlot::setAccumulatorBits(int p)
{
    if (p == accBits_)
        return;
    accBits_ = p;
    rebuild();
}

int AccumulatorPlot::accumulatorBits() const
{
    if (accBits_ > 0)
        return accBits_;
    return analysis_ ? analysis_->accumulator.options.accBits : qs::AccumulatorOptions {}.accBits;
}

QColor AccumulatorPlot::riskColor(qs::RiskClass risk)
{
    switch (risk) {
    case qs::RiskClass::Safe:
        return QColor(0x2e, 0x9a, 0x4a);
    case qs::RiskClass::Possible:
        return QColor(0xf2, 0xb7, 0x05);
    case qs::RiskClass::Unverified:
        return QColor(0xf0, 0x7c, 0x1a);
    case qs::RiskClass::Observed:
        return QColor(0xd6, 0x27, 0x28);
    case qs::RiskClass::NotApplicable:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QString AccumulatorPlot::riskLegend(qs::RiskClass risk)
{
    switch (risk) {
    case qs::RiskClass::Safe:
        return tr("safe");
    case qs::RiskClass::Possible:
        return tr("overflow possible");
    case qs::RiskClass::Unverified:
        return tr("unverified (no run)");
    case qs::RiskClass::Observed:
        return tr("overflow observed");
    case qs::RiskClass::NotApplicable:
        break;
    }
    return tr("n/a");
}

QCPBars* AccumulatorPlot::riskBars(qs::RiskClass risk) const
{
    return riskBars_[riskIndex(risk)];
}

double AccumulatorPlot::markerOffset(Method method)
{
    static constexpr double offsets[] = {-0.24, -0.08, 0.08, 0.24};
    return method < MethodCount ? offsets[method] : 0.0;
}

void AccumulatorPlot::rebuild()
{
    beginRebuild();
    riskBars_.fill(nullptr);
    markers_.fill(nullptr);
    pLine_ = nullptr;
    const int p = accumulatorBits();
    if (!analysis_) {
        setTitle(tr("Accumulator bits needed vs P"));
        showEmptyState(tr("No analysis yet."));
        finishRebuild();
        return;
    }
    const int analysedP = analysis_->accumulator.options.accBits;
    QString title = tr("Accumulator bits needed vs P = %1").arg(p);
    if (p != analysedP)
        title += tr("  (risk colours are for P = %1: re-run the analysis)").arg(analysedP);
    setTitle(title);

    const auto& rows = analysis_->layers;
    const int n = static_cast<int>(rows.size());
    std::vector<int> layers;
    QStringList names, opTypes;
    for (const qs::LayerSummary& row : rows) {
        layers.push_back(row.layer);
        names << layerDisplayName(row.name, row.opType, row.layer);
        opTypes << QString::fromStdString(row.opType);
    }
    setCategories(layers, shortLayerLabels(names, opTypes));

    const QColor fg = foreground();
    for (qs::RiskClass risk : kRiskOrder) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setName(riskLegend(risk));
        bars->setWidth(0.72);
        const QColor colour = riskColor(risk);
        bars->setPen(QPen(colour.darker(130), 1));
        bars->setBrush(colour);
        riskBars_[riskIndex(risk)] = bars;
    }
    for (int m = 0; m < MethodCount; ++m) {
        auto* graph = addGraph(xAxis, yAxis);
        graph->setName(methodName(Method(m)));
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(methodStyle(Method(m), fg));
        markers_[static_cast<std::size_t>(m)] = graph;
    }
    int top = p;
    for (int i = 0; i < n; ++i) {
        const qs::LayerSummary& row = rows[static_cast<std::size_t>(i)];
        if (!row.accApplicable) {
            riskBars(qs::RiskClass::NotApplicable)->addData(i, 0);
            auto* label = new QCPItemText(this);
            label->position->setCoords(i, 0);
            label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            label->setPadding(QMargins(0, 0, 0, 3));
            label->setText(tr("n/a"));
            label->setColor(riskColor(qs::RiskClass::NotApplicable).darker(120));
            continue;
        }
        riskBars(row.risk)->addData(i, row.accExactBits);
        top = std::max(top, row.accExactBits);
        for (int m = 0; m < MethodCount; ++m) {
            const int bits = methodBits(row, Method(m));
            if (bits < 0 || (m == Observed && row.accObservedBits < 0))
                continue;
            markers_[static_cast<std::size_t>(m)]->addData(i + markerOffset(Method(m)), bits);
            top = std::max(top, bits);
        }
    }
    for (QCPBars* bars : riskBars_)
        if (bars->dataCount() == 0)
            bars->removeFromLegend();
    for (QCPGraph* graph : markers_)
        if (graph->dataCount() == 0)
            graph->removeFromLegend();

    pLine_ = addGraph(xAxis, yAxis);
    pLine_->setName(tr("P = %1 bits").arg(p));
    pLine_->setData({-0.6, std::max(0, n - 1) + 0.6}, {double(p), double(p)});
    pLine_->setPen(QPen(fg, 2, Qt::DashLine));

    yAxis->setRange(0, std::ceil(top * 1.08) + 1);
    yAxis->setLabel(tr("accumulator bits (bars: exact bound of the integer weights)"));
    xAxis->setLabel(tr("layer (topological order)"));
    showLegend(10);
    finishRebuild();
}

QString AccumulatorPlot::layerToolTip(int layer) const
{
    const int position = positionOfLayer(layer);
    if (!analysis_ || position < 0)
        return {};
    const qs::LayerSummary& row = analysis_->layers[static_cast<std::size_t>(position)];
    QString text = layerToolTipHeader(row.name, row.opType, row.layer, row.k);
    if (!row.accApplicable)
        return text + tr("<br>n/a: %1").arg(QString::fromStdString(row.accReason).toHtmlEscaped());
    const int analysedP = analysis_->accumulator.options.accBits;
    text += tr("<br><span style='color:%1'>■</span> %2 at P = %3")
                .arg(riskColor(row.risk).name(), riskLegend(row.risk))
                .arg(analysedP);
    if (static_cast<std::size_t>(layer) < analysis_->accumulator.layers.size()) {
        const qs::LayerAccumulatorResult& a = analysis_->accumulator.layers[static_cast<std::size_t>(layer)];
        if (a.risk.risk == qs::RiskClass::Safe && a.risk.proof != qs::SafeProof::None)
            text += tr(", proven by the %1 bound").arg(QString::fromLatin1(qs::safeProofName(a.risk.proof)));
        if (a.biasPreloaded)
            text += tr("<br>bias analysed inside the accumulator");
    }
    text += tr("<br>exact bound (integer weights): %1 bits").arg(row.accExactBits);
    text += tr("<br>data-type bound: %1, A2Q: %2, A2Q+: %3")
                .arg(bitsOrDash(row.accDataTypeBits), bitsOrDash(row.accA2qBits),
                    bitsOrDash(row.accA2qPlusBits));
    if (row.accObservedBits >= 0)
        text += tr("<br>observed in the run: %1 bits, %2 overflowing elements")
                    .arg(row.accObservedBits)
                    .arg(row.overflowElements);
    else
        text += tr("<br>not observed (static analysis)");
    auto bits = [](const std::optional<double>& b) { return b ? QString::number(*b) : QStringLiteral("–"); };
    text += tr("<br>bits: input %1, weight %2").arg(bits(row.inputBits), bits(row.weightBits));
    return text;
}

} // namespace qs::gui
