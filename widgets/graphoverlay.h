#pragma once
// Metric overlays: a value per box in [0, 1] that tints the graph (a heat map), computed from the
// document's quantization view. More metrics (error, accumulator risk) plug in here as analyses land.
#include "core/model/modeldocument.h"
#include "core/modelgraph/modelgraph.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace qs::gui {

enum class GraphOverlay { None, Bits, Macs };

QStringList overlayNames(); // "none", "bits", "macs"
// Throws nothing: returns false for an unknown name.
bool parseOverlay(const QString& name, GraphOverlay& out);
// Per box of `graph`: negative = untinted.
std::vector<double> overlayValues(
    const qs::ModelDocument& doc, const qs::ModelGraph& graph, GraphOverlay overlay);

} // namespace qs::gui
