#pragma once
// One box of the graph: a node, a graph input or a graph output. Geometry and texts are prepared
// once; paint() only draws (no allocations), and the item caches its pixels in device coordinates.
#include "widgets/graphtheme.h"

#include <QGraphicsItem>
#include <QStaticText>

namespace qs::gui {

class GraphNodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    enum class Mark { None, Neighbour };

    GraphNodeItem(int index, const QRectF& box, const QString& title, const QString& subtitle,
        OpCategory category, const GraphTheme* theme);

    int index() const { return index_; } // into ModelGraph::items
    OpCategory category() const { return category_; }
    QString title() const { return title_.text(); }
    QString subtitle() const { return subtitle_.text(); }
    void setSubtitle(const QString& subtitle);
    void setMark(Mark mark);
    Mark mark() const { return mark_; }
    // Tints the box by a metric (0..1, negative = no tint), for --overlay.
    void setHeat(double heat);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    int index_;
    QRectF box_;
    QStaticText title_;
    QStaticText subtitle_;
    OpCategory category_;
    const GraphTheme* theme_;
    Mark mark_ = Mark::None;
    double heat_ = -1;
    QBrush heatBrush_;
};

} // namespace qs::gui
