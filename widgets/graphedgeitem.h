#pragma once
// One edge of the graph: the layout's Bezier spline with an arrowhead and its label (tensor shape,
// or a quantizer badge when quantizers are collapsed). Path and label are built once.
#include "core/layout/graphlayout.h"
#include "widgets/graphtheme.h"

#include <QGraphicsItem>
#include <QPainterPath>
#include <QStaticText>

namespace qs::gui {

class GraphEdgeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    GraphEdgeItem(
        int index, const qs::EdgeRoute& route, const QString& label, bool badge, const GraphTheme* theme);

    int index() const { return index_; } // into ModelGraph::edges
    QString label() const { return label_.text(); }
    void setLabel(const QString& label);
    void setHighlighted(bool on);
    bool isHighlighted() const { return highlighted_; }

    int type() const override { return Type; }
    QRectF boundingRect() const override { return bounds_; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    void updateBounds();

    int index_;
    QPainterPath path_;
    QPolygonF arrow_;
    QPointF labelCentre_;
    bool hasLabel_ = false;
    bool badge_;
    QStaticText label_;
    QRectF labelRect_;
    QRectF bounds_;
    const GraphTheme* theme_;
    bool highlighted_ = false;
};

} // namespace qs::gui
