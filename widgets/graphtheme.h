#pragma once
// Colours and fonts of the graph drawing, derived once from the application palette (light or dark)
// and shared by every item, so painting allocates nothing.
#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QPen>

#include <array>
#include <string_view>

namespace qs::gui {

enum class OpCategory {
    Compute,
    Activation,
    Pooling,
    Normalization,
    Shape,
    Elementwise,
    Quantizer,
    Io,
    Other
};
constexpr int kOpCategoryCount = 9;

OpCategory opCategory(std::string_view opType, bool isQuantizer);

struct GraphTheme {
    bool dark = false;
    QColor background;
    QColor text;
    QColor mutedText;
    QColor edge;
    QColor edgeHighlight;
    QColor selection;
    QColor neighbour;
    QColor badgeFill;
    QColor badgeText;
    QColor labelBackground; // behind edge labels, so crossing edges do not garble them
    std::array<QColor, kOpCategoryCount> fill;
    std::array<QColor, kOpCategoryCount> border;
    // Pens and brushes built once, so paint() allocates nothing.
    std::array<QPen, kOpCategoryCount> borderPen;
    std::array<QBrush, kOpCategoryCount> fillBrush;
    QPen selectionPen, neighbourPen, edgePen, edgeHighlightPen;
    QBrush edgeBrush, edgeHighlightBrush, badgeBrush, labelBrush;
    QFont titleFont;
    QFont subtitleFont;
    QFont edgeFont;

    static GraphTheme fromPalette(const QPalette& palette);
    const QColor& fillOf(OpCategory c) const { return fill[static_cast<std::size_t>(c)]; }
    const QColor& borderOf(OpCategory c) const { return border[static_cast<std::size_t>(c)]; }
};

} // namespace qs::gui
