#pragma once
// The colours of metric values, shared by the graph overlay, its legend and the layer table so that a
// colour means the same everywhere: a green -> yellow -> red ramp by severity, and one colour per
// overflow risk class. Pastel, so that dark text stays readable on top in both themes.
#include "core/numerics/overflow.h"

#include <QColor>
#include <QString>

namespace qs::gui {

// 0 = fine (green) ... 1 = bad or heavy (red); clamped.
QColor severityColour(double severity);
// Invalid for N/A (no tint).
QColor riskColour(qs::RiskClass risk);
QString riskText(qs::RiskClass risk); // "safe", "possible", "unverified", "observed", "n/a"
// Text on top of any of these colours.
QColor textOnMetricColour();

} // namespace qs::gui
