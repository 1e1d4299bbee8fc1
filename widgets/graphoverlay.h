#pragma once
// Metric overlays: a colour per box of the graph and the legend that explains it. Bits and MACs come
// from the document; SQNR, BOPs, accumulator headroom and overflow risk from an analysis
// (qs::ModelAnalysis). Colours are shared with the layer table (metriccolours.h).
#include "core/analysis/modelanalysis.h"
#include "core/model/modeldocument.h"
#include "core/modelgraph/modelgraph.h"

#include <QColor>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace qs::gui {

enum class GraphOverlay { None, Bits, Macs, Sqnr, Bops, Headroom, Risk };

QStringList overlayNames(); // "none", "bits", "macs", "sqnr", "bops", "headroom", "risk" (enum order)
QString overlayName(GraphOverlay overlay);
QString overlayLabel(GraphOverlay overlay); // for menus: "Bit width", "SQNR", ...
// Throws nothing: returns false for an unknown name.
bool parseOverlay(const QString& name, GraphOverlay& out);
bool overlayNeedsAnalysis(GraphOverlay overlay);

struct OverlayLegendData {
    QString title;
    // A continuous metric: colours from the low end to the high end of the values shown.
    std::vector<QColor> ramp;
    QString lowLabel;
    QString highLabel;
    // A categorical metric (risk): one swatch per class.
    std::vector<std::pair<QString, QColor>> swatches;
    QString note; // e.g. "analysing…", "threshold 20 dB"
};

struct OverlayResult {
    std::vector<double> values; // per box: the metric (NaN: none); risk as int(qs::RiskClass)
    std::vector<QColor> colours; // per box: invalid = untinted
    std::vector<QString> labels; // per box: the value as text ("12.3 dB"), empty when none
    OverlayLegendData legend;
};

// `analysis` may be null (the metrics that need it stay untinted and the legend says so).
OverlayResult computeOverlay(const qs::ModelDocument& doc, const qs::ModelGraph& graph, GraphOverlay overlay,
    const qs::ModelAnalysis* analysis, double thresholdDb);

} // namespace qs::gui
