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
    // The overlay's value for the tooltip ("SQNR vs the float shadow: 12.3 dB"); empty: none.
    void setOverlayText(const QString& text);
    void setMark(Mark mark);
    Mark mark() const { return mark_; }
    // Fills the box with a metric's colour (the overlay); an invalid colour restores the theme's fill.
    void setTint(const QColor& tint);
    QColor tint() const { return tint_; }
    // Drawn neutral (an overlay is on and has no value for this box), so tinted boxes stand out.
    void setMuted(bool muted);
    bool isMuted() const { return muted_; }

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    void updateToolTip();
    void repaint();

    int index_;
    QRectF box_;
    QStaticText title_;
    QStaticText subtitle_;
    OpCategory category_;
    const GraphTheme* theme_;
    Mark mark_ = Mark::None;
    QString overlayText_;
    QColor tint_;
    QBrush tintBrush_;
    bool muted_ = false;
    QPen mutedPen_;
    QBrush mutedBrush_;
};

} // namespace qs::gui
