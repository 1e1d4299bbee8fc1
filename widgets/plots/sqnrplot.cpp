#include "widgets/plots/sqnrplot.h"

#include "widgets/plots/plotformat.h"

#include <cmath>

namespace qs::gui {
namespace {

QString bitsText(const std::optional<double>& bits)
{
    return bits ? QString::number(*bits) : QStringLiteral("–");
}

QString dbText(double db)
{
    if (std::isinf(db))
        return db > 0 ? QStringLiteral("+∞ dB (identical)") : QStringLiteral("−∞ dB (reference all zero)");
    return QStringLiteral("%1 dB").arg(db, 0, 'f', 3);
}

} // namespace

SqnrPlot::SqnrPlot(QWidget* parent)
    : AnalysisPlotBase(Qt::Horizontal, parent)
{
    rebuild();
}

void SqnrPlot::setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    rebuild();
}

void SqnrPlot::setThresholdDb(std::optional<double> thresholdDb)
{
    thresholdOverrideDb_ = thresholdDb;
    rebuild();
}

double SqnrPlot::thresholdDb() const
{
    if (thresholdOverrideDb_)
        return *thresholdOverrideDb_;
    if (analysis_ && analysis_->error)
        return analysis_->error->divergenceThresholdDb;
    return qs::AnalysisOptions {}.divergenceThresholdDb;
}

void SqnrPlot::rebuild()
{
    beginRebuild();
    okBars_ = warningBars_ = nullptr;
    thresholdLine_ = nullptr;
    infiniteBarHeight_ = 0;
    setTitle(tr("SQNR per layer — layer output vs float shadow"));
    if (!analysis_) {
        showEmptyState(tr("No analysis yet."));
        finishRebuild();
        return;
    }
    if (!analysis_->error) {
        showEmptyState(tr("No quantization error in this analysis: it was static only.\n"
                          "Run the analysis with data to compare every layer's output against the float "
                          "shadow."));
        finishRebuild();
        return;
    }
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

    const double threshold = thresholdDb();
    double lo = 0, hi = threshold;
    bool anyInfinite = false, anyNegativeInfinite = false;
    for (const qs::LayerSummary& row : rows) {
        if (!row.sqnrDb)
            continue;
        if (std::isfinite(*row.sqnrDb)) {
            lo = std::min(lo, *row.sqnrDb);
            hi = std::max(hi, *row.sqnrDb);
        } else {
            (*row.sqnrDb > 0 ? anyInfinite : anyNegativeInfinite) = true;
        }
    }
    const double span = std::max(10.0, hi - lo);
    infiniteBarHeight_ = std::ceil((hi + 0.12 * span) / 5) * 5;
    const double negativeInfiniteBar = std::floor((lo - 0.12 * span) / 5) * 5;

    auto makeBars = [&](const QColor& colour, const QString& name) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setName(name);
        bars->setWidth(0.72);
        bars->setPen(QPen(colour.darker(125), 1));
        bars->setBrush(colour);
        return bars;
    };
    okBars_ = makeBars(okColor(), tr("≥ %1 dB").arg(threshold, 0, 'g', 4));
    warningBars_ = makeBars(warningColor(), tr("< %1 dB (diverging)").arg(threshold, 0, 'g', 4));
    auto label = [&](double x, double y, const QString& text, const QColor& colour) {
        auto* item = new QCPItemText(this);
        item->position->setCoords(x, y);
        item->setPositionAlignment(Qt::AlignHCenter | (y >= 0 ? Qt::AlignBottom : Qt::AlignTop));
        item->setText(text);
        item->setColor(colour);
        return item;
    };
    for (int i = 0; i < n; ++i) {
        const std::optional<double>& sqnr = rows[static_cast<std::size_t>(i)].sqnrDb;
        if (!sqnr)
            continue;
        double height = *sqnr;
        if (std::isinf(*sqnr)) {
            height = *sqnr > 0 ? infiniteBarHeight_ : negativeInfiniteBar;
            label(i, height, *sqnr > 0 ? QStringLiteral("∞") : QStringLiteral("−∞"), foreground());
        }
        (*sqnr < threshold ? warningBars_ : okBars_)->addData(i, height);
    }
    const int first = analysis_->error->firstDivergence;
    if (first >= 0 && first < static_cast<int>(analysis_->error->layers.size())) {
        const int position = positionOfLayer(analysis_->error->layers[static_cast<std::size_t>(first)].layer);
        const std::optional<double> sqnr
            = position >= 0 ? rows[static_cast<std::size_t>(position)].sqnrDb : std::nullopt;
        if (sqnr && std::isfinite(*sqnr)) {
            QCPItemText* marker
                = label(position, std::max(*sqnr, 0.0) + 0.02 * span, tr("first"), warningColor());
            QFont bold = font();
            bold.setBold(true);
            marker->setFont(bold);
        }
    }
    for (QCPBars* bars : {okBars_, warningBars_})
        if (bars->dataCount() == 0)
            bars->removeFromLegend();

    thresholdLine_ = addGraph(xAxis, yAxis);
    thresholdLine_->setName(tr("threshold %1 dB").arg(threshold, 0, 'g', 4));
    thresholdLine_->setData({-0.6, std::max(0, n - 1) + 0.6}, {threshold, threshold});
    thresholdLine_->setPen(QPen(warningColor().darker(130), 1.5, Qt::DashLine));

    const double top = anyInfinite ? infiniteBarHeight_ + 0.1 * span : hi + 0.1 * span;
    const double bottom
        = anyNegativeInfinite ? negativeInfiniteBar - 0.1 * span : std::min(0.0, lo - 0.05 * span);
    yAxis->setRange(bottom, top);
    yAxis->setLabel(tr("SQNR (dB)"));
    xAxis->setLabel(tr("layer (topological order)"));
    showLegend(3);
    finishRebuild();
}

QString SqnrPlot::layerToolTip(int layer) const
{
    if (!analysis_ || !analysis_->error)
        return {};
    const int position = positionOfLayer(layer);
    if (position < 0)
        return {};
    const qs::LayerSummary& row = analysis_->layers[static_cast<std::size_t>(position)];
    QString text = QStringLiteral("<b>%1</b> (%2)")
                       .arg(layerDisplayName(row.name, row.opType, row.layer).toHtmlEscaped(),
                           QString::fromStdString(row.opType));
    if (!row.sqnrDb)
        return text + tr("<br>not compared (the output was not captured in both runs)");
    const double threshold = thresholdDb();
    text += tr("<br>SQNR %1").arg(dbText(*row.sqnrDb));
    if (*row.sqnrDb < threshold)
        text += tr(" — <span style='color:%1'>below the %2 dB threshold</span>")
                    .arg(warningColor().name())
                    .arg(threshold, 0, 'g', 4);
    for (const qs::LayerError& e : analysis_->error->layers) {
        if (e.layer != layer || !e.available)
            continue;
        text += tr("<br>MSE %1, max |error| %2, cosine %3<br>signal power %4 over %5 elements")
                    .arg(e.output.mse, 0, 'g', 6)
                    .arg(e.output.maxAbsError, 0, 'g', 6)
                    .arg(e.output.cosineSimilarity, 0, 'f', 6)
                    .arg(e.output.signalPower, 0, 'g', 6)
                    .arg(e.output.count);
    }
    text += tr("<br>bits: input %1, weight %2, output %3")
                .arg(bitsText(row.inputBits), bitsText(row.weightBits), bitsText(row.outputBits));
    return text;
}

} // namespace qs::gui
