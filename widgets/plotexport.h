#pragma once
// Saving what the analysis shows: a plot as PNG, SVG or PDF (chosen by the file suffix) and a table
// model as CSV. Both write to a temporary file next to the target and rename it over the target, so a
// failed export never leaves a half-written file; failures throw qs::Error with a one-line message.
#include <QString>

class QAbstractItemModel;
class QCustomPlot;

namespace qs::gui {

// The plot at its current widget size; PNG at twice the pixel density for sharp text.
void exportPlot(QCustomPlot* plot, const QString& path);

// A header row from headerData(), then one row per model row (RFC 4180: CRLF line ends, fields with
// commas, quotes or line breaks quoted, quotes doubled). Cells hold Qt::DisplayRole text, except that a
// finite number in Qt::UserRole (the layer table's sort value) is written in full precision instead
// of the rounded display text.
void exportTableCsv(const QAbstractItemModel* model, const QString& path);

// One field, quoted when RFC 4180 requires it.
QString csvField(const QString& text);

} // namespace qs::gui
