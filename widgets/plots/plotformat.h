#pragma once
// Text helpers shared by the analysis plots: SI-prefixed numbers ("1.23 G"), signed percentages with a
// real minus sign, and layer names short enough for a rotated tick label.
#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>

namespace qs::gui {

// The SI exponent (0, 3, 6, ... 15) that suits |value|: 1234 -> 3, 0.5 -> 0.
int siExponent(double value);
// `value` in units of 10^exponent with three significant digits where possible: (1.234e9, 9) -> "1.23 G".
QString formatWithSiExponent(double value, int exponent);
// Both in one step: 1.234e9 -> "1.23 G", 812e6 -> "812 M", 17 -> "17".
QString formatSi(double value);
// A relative change as "−34 %", "+5.2 %", "±0 %"; "" when `before` is 0.
QString formatChangePercent(double before, double after);

// The layer's name, or "<opType> #<layer>" when the node is unnamed.
QString layerDisplayName(const std::string& name, const std::string& opType, int layer);
// First line of a layer's tooltip: "<b>name</b> (op, K = k)", HTML-escaped.
QString layerToolTipHeader(const std::string& name, const std::string& opType, int layer, std::int64_t k);
// Tick labels for layers in one plot: of each ONNX path name the fewest trailing segments that still
// tell the layers apart, without a last segment that just repeats the op type
// ("/features/features.3/Conv" -> "features.3", "/layer1/layer1.0/conv1/Conv" -> "layer1.0/conv1"),
// elided to `maxChars`. `names` are display names (layerDisplayName), `opTypes` the same length.
QStringList shortLayerLabels(const QStringList& names, const QStringList& opTypes, int maxChars = 24);

// At most `maxChars` characters, keeping the end (the distinctive part of "/block1/conv2/Conv").
QString elideLayerLabel(const QString& label, int maxChars = 24);

} // namespace qs::gui
