#include "widgets/graphoverlay.h"

#include "widgets/layerstats.h"
#include "widgets/metriccolours.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace qs::gui {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr int kRampStops = 12;

struct Names {
    GraphOverlay overlay;
    const char* name;
    const char* label;
};

constexpr Names kNames[] = {
    {GraphOverlay::None, "none", QT_TRANSLATE_NOOP("GraphOverlay", "None")},
    {GraphOverlay::Bits, "bits", QT_TRANSLATE_NOOP("GraphOverlay", "Bit width")},
    {GraphOverlay::Macs, "macs", QT_TRANSLATE_NOOP("GraphOverlay", "MACs")},
    {GraphOverlay::Sqnr, "sqnr", QT_TRANSLATE_NOOP("GraphOverlay", "SQNR")},
    {GraphOverlay::Bops, "bops", QT_TRANSLATE_NOOP("GraphOverlay", "BOPs")},
    {GraphOverlay::Headroom, "headroom", QT_TRANSLATE_NOOP("GraphOverlay", "Accumulator headroom")},
    {GraphOverlay::Risk, "risk", QT_TRANSLATE_NOOP("GraphOverlay", "Overflow risk")},
};

QString tr(const char* text)
{
    return QCoreApplication::translate("GraphOverlay", text);
}

QString countText(double value)
{
    static const char* suffix[] = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (value >= 1000 && i < 5) {
        value /= 1000;
        ++i;
    }
    return QString::number(value, 'f', i == 0 ? 0 : 1) + QLatin1String(suffix[i]);
}

QString dbText(double db)
{
    return std::isinf(db) ? QStringLiteral("∞ dB") : QString::number(db, 'f', 1) + QStringLiteral(" dB");
}

int boxOf(const qs::ModelGraph& graph, int node)
{
    if (node < 0 || static_cast<std::size_t>(node) >= graph.itemOfNode.size())
        return -1;
    const int box = graph.itemOfNode[static_cast<std::size_t>(node)];
    return box >= 0 && static_cast<std::size_t>(box) < graph.items.size() ? box : -1;
}

// Colours every box with a value by `severity` and describes the ramp between the smallest and the
// largest value shown.
void fillRamp(OverlayResult& out, const std::function<double(double)>& severity,
    const std::function<QString(double)>& label)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < out.values.size(); ++i) {
        const double v = out.values[i];
        if (std::isnan(v))
            continue;
        out.colours[i] = severityColour(severity(v));
        out.labels[i] = label(v);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (lo > hi)
        return;
    // Infinite ends (an error-free layer) draw as the largest finite value's colour.
    double flo = lo, fhi = hi;
    if (std::isinf(flo) || std::isinf(fhi)) {
        flo = std::numeric_limits<double>::infinity();
        fhi = -flo;
        for (double v : out.values)
            if (std::isfinite(v)) {
                flo = std::min(flo, v);
                fhi = std::max(fhi, v);
            }
        if (flo > fhi)
            flo = fhi = 0;
        if (std::isinf(hi))
            fhi += std::max(1.0, (fhi - flo) * 0.1);
    }
    for (int s = 0; s < kRampStops; ++s)
        out.legend.ramp.push_back(
            severityColour(severity(flo + (fhi - flo) * s / static_cast<double>(kRampStops - 1))));
    out.legend.lowLabel = label(lo);
    out.legend.highLabel = label(hi);
}

void bitsOverlay(OverlayResult& out, const qs::ModelDocument& doc, const qs::ModelGraph& graph)
{
    const auto& quantizers = doc.quantizers();
    auto bitsOf = [&](int q) -> std::optional<double> {
        if (q < 0 || static_cast<std::size_t>(q) >= quantizers.size())
            return std::nullopt;
        return quantizers[static_cast<std::size_t>(q)].bitWidth;
    };
    for (std::size_t i = 0; i < graph.items.size(); ++i) {
        const qs::ModelGraphItem& item = graph.items[i];
        double bits = kNone;
        auto consider = [&](int q) {
            if (const auto b = bitsOf(q))
                bits = std::isnan(bits) ? *b : std::min(bits, *b);
        };
        consider(item.quantizer);
        for (int q : item.weightQuantizers)
            consider(q);
        out.values[i] = bits;
    }
    out.legend.title = tr("Bit width (fewest bits of the box)");
    // Fewer bits = hotter: 1 bit is red, 16 bits and more green.
    fillRamp(
        out, [](double b) { return 1.0 - std::clamp((b - 1.0) / 15.0, 0.0, 1.0); },
        [](double b) { return QString::number(b, 'g', 3) + tr(" bits"); });
}

// A per-layer value on a log scale between the lightest and the heaviest layer.
void logOverlay(
    OverlayResult& out, const qs::ModelGraph& graph, const std::vector<std::pair<int, double>>& nodeValues)
{
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (auto [node, v] : nodeValues) {
        const int box = boxOf(graph, node);
        if (box < 0 || v <= 0)
            continue;
        out.values[static_cast<std::size_t>(box)] = v;
        lo = std::min(lo, std::log10(v));
        hi = std::max(hi, std::log10(v));
    }
    const double span = hi > lo ? hi - lo : 1.0;
    fillRamp(
        out, [lo, span](double v) { return (std::log10(v) - lo) / span; }, countText);
}

void sqnrOverlay(OverlayResult& out, const qs::ModelDocument& doc, const qs::ModelGraph& graph,
    const qs::ModelAnalysis& analysis, double thresholdDb)
{
    const qs::QuantErrorReport& error = *analysis.error;
    for (const qs::LayerError& e : error.layers)
        if (e.available && e.layer >= 0 && static_cast<std::size_t>(e.layer) < doc.layers().size())
            if (const int box = boxOf(graph, doc.layers()[static_cast<std::size_t>(e.layer)].node); box >= 0)
                out.values[static_cast<std::size_t>(box)] = e.output.sqnrDb;
    // Quantizer boxes: the error accumulated up to their output.
    for (std::size_t i = 0; i < graph.items.size(); ++i) {
        const int q = graph.items[i].quantizer;
        if (q >= 0 && static_cast<std::size_t>(q) < error.quantizers.size() && std::isnan(out.values[i])
            && error.quantizers[static_cast<std::size_t>(q)].available)
            out.values[i] = error.quantizers[static_cast<std::size_t>(q)].output.sqnrDb;
    }
    out.legend.title = tr("SQNR vs the float shadow");
    out.legend.note = tr("threshold %1 dB").arg(thresholdDb);
    // 0 dB red, the threshold yellow, twice the threshold and more green.
    const double scale = std::max(1.0, 2.0 * thresholdDb);
    fillRamp(
        out, [scale](double db) { return 1.0 - std::clamp(db / scale, 0.0, 1.0); }, dbText);
}

void headroomOverlay(OverlayResult& out, const qs::ModelDocument& doc, const qs::ModelGraph& graph,
    const qs::ModelAnalysis& analysis)
{
    const int p = analysis.accumulator.options.accBits;
    for (const qs::LayerSummary& s : analysis.layers)
        if (s.accApplicable && static_cast<std::size_t>(s.layer) < doc.layers().size())
            if (const int box = boxOf(graph, doc.layers()[static_cast<std::size_t>(s.layer)].node); box >= 0)
                out.values[static_cast<std::size_t>(box)] = p - s.accExactBits;
    out.legend.title = tr("Accumulator headroom at P = %1").arg(p);
    out.legend.note = tr("P − bits the integer weights need");
    // 4 bits to spare and more is green, none left yellow, any overflow orange to red (as the table).
    fillRamp(
        out,
        [](double h) {
            return h >= 0 ? std::clamp((4.0 - h) / 8.0, 0.0, 0.5)
                          : std::clamp(0.7 + (-h - 1.0) * 0.15, 0.7, 1.0);
        },
        [](double h) { return QString::asprintf("%+d", static_cast<int>(h)) + tr(" bits"); });
}

void riskOverlay(OverlayResult& out, const qs::ModelDocument& doc, const qs::ModelGraph& graph,
    const qs::ModelAnalysis& analysis)
{
    for (const qs::LayerSummary& s : analysis.layers) {
        if (static_cast<std::size_t>(s.layer) >= doc.layers().size())
            continue;
        const int box = boxOf(graph, doc.layers()[static_cast<std::size_t>(s.layer)].node);
        if (box < 0)
            continue;
        out.values[static_cast<std::size_t>(box)] = static_cast<double>(s.risk);
        out.colours[static_cast<std::size_t>(box)] = riskColour(s.risk);
        out.labels[static_cast<std::size_t>(box)] = riskText(s.risk)
            + (s.accApplicable ? QString()
                               : QStringLiteral(" (%1)").arg(QString::fromStdString(s.accReason)));
    }
    out.legend.title = tr("Overflow risk at P = %1").arg(analysis.accumulator.options.accBits);
    for (qs::RiskClass r :
        {qs::RiskClass::Safe, qs::RiskClass::Possible, qs::RiskClass::Unverified, qs::RiskClass::Observed})
        out.legend.swatches.emplace_back(riskText(r), riskColour(r));
    out.legend.note = tr("n/a: untinted");
}

} // namespace

QStringList overlayNames()
{
    QStringList names;
    for (const Names& n : kNames)
        names << QString::fromLatin1(n.name);
    return names;
}

QString overlayName(GraphOverlay overlay)
{
    return QString::fromLatin1(kNames[static_cast<int>(overlay)].name);
}

QString overlayLabel(GraphOverlay overlay)
{
    return tr(kNames[static_cast<int>(overlay)].label);
}

bool parseOverlay(const QString& name, GraphOverlay& out)
{
    const QString n = name.trimmed().toLower();
    if (n.isEmpty()) {
        out = GraphOverlay::None;
        return true;
    }
    for (const Names& entry : kNames)
        if (n == QLatin1String(entry.name)) {
            out = entry.overlay;
            return true;
        }
    return false;
}

bool overlayNeedsAnalysis(GraphOverlay overlay)
{
    return overlay == GraphOverlay::Sqnr || overlay == GraphOverlay::Bops || overlay == GraphOverlay::Headroom
        || overlay == GraphOverlay::Risk;
}

OverlayResult computeOverlay(const qs::ModelDocument& doc, const qs::ModelGraph& graph, GraphOverlay overlay,
    const qs::ModelAnalysis* analysis, double thresholdDb)
{
    OverlayResult out;
    out.values.assign(graph.items.size(), kNone);
    out.colours.assign(graph.items.size(), QColor());
    out.labels.assign(graph.items.size(), QString());
    if (overlay == GraphOverlay::None)
        return out;
    if (overlay == GraphOverlay::Bits) {
        bitsOverlay(out, doc, graph);
        return out;
    }
    if (overlay == GraphOverlay::Macs) {
        std::vector<std::pair<int, double>> macs;
        for (const qs::Layer& layer : doc.layers())
            if (const auto m = layerMacs(layer))
                macs.emplace_back(layer.node, *m);
        out.legend.title = tr("MACs per layer (log scale)");
        logOverlay(out, graph, macs);
        return out;
    }
    out.legend.title = overlayLabel(overlay);
    if (!analysis || (overlay == GraphOverlay::Sqnr && !analysis->error)) {
        out.legend.note = analysis ? tr("needs an executor run") : tr("analysing…");
        return out;
    }
    switch (overlay) {
    case GraphOverlay::Sqnr:
        sqnrOverlay(out, doc, graph, *analysis, thresholdDb);
        break;
    case GraphOverlay::Bops: {
        std::vector<std::pair<int, double>> bops;
        for (const qs::LayerSummary& s : analysis->layers)
            if (static_cast<std::size_t>(s.layer) < doc.layers().size())
                bops.emplace_back(doc.layers()[static_cast<std::size_t>(s.layer)].node, s.bopsQonnx);
        out.legend.title = tr("BOPs per layer (qonnx, log scale)");
        logOverlay(out, graph, bops);
        break;
    }
    case GraphOverlay::Headroom:
        headroomOverlay(out, doc, graph, *analysis);
        break;
    case GraphOverlay::Risk:
        riskOverlay(out, doc, graph, *analysis);
        break;
    default:
        break;
    }
    return out;
}

} // namespace qs::gui
