#include "widgets/graphedgeitem.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace qs::gui {
namespace {

QPointF toQt(const qs::PointF& p)
{
    return {p.x, p.y};
}

} // namespace

GraphEdgeItem::GraphEdgeItem(
    int index, const qs::EdgeRoute& route, const QString& label, bool badge, const GraphTheme* theme)
    : index_(index)
    , badge_(badge)
    , label_(label)
    , theme_(theme)
{
    setZValue(0);
    setAcceptedMouseButtons(Qt::NoButton);
    label_.setTextFormat(Qt::PlainText);
    label_.prepare(QTransform(), theme_->edgeFont);
    if (!route.points.empty()) {
        path_.moveTo(toQt(route.points.front()));
        for (std::size_t i = 1; i + 2 < route.points.size(); i += 3)
            path_.cubicTo(toQt(route.points[i]), toQt(route.points[i + 1]), toQt(route.points[i + 2]));
        // Arrowhead from the spline's end (its base) to the tip on the consumer's border.
        const QPointF base = toQt(route.points.back());
        const QPointF tip = toQt(route.arrowTip);
        QPointF dir = tip - base;
        const qreal len = std::hypot(dir.x(), dir.y());
        if (len > 0.01) {
            dir /= len;
            const QPointF normal(-dir.y(), dir.x());
            arrow_ << tip << base + normal * 3.5 << base - normal * 3.5;
        }
    }
    hasLabel_ = route.hasLabel && !label.isEmpty();
    labelCentre_ = toQt(route.labelPos);
    updateBounds();
}

void GraphEdgeItem::updateBounds()
{
    const QSizeF size = label_.size();
    labelRect_ = QRectF(labelCentre_.x() - size.width() / 2 - 3, labelCentre_.y() - size.height() / 2 - 1,
        size.width() + 6, size.height() + 2);
    prepareGeometryChange();
    bounds_ = path_.boundingRect().united(arrow_.boundingRect()).adjusted(-3, -3, 3, 3);
    if (hasLabel_)
        bounds_ = bounds_.united(labelRect_);
}

void GraphEdgeItem::setLabel(const QString& label)
{
    if (label == label_.text())
        return;
    label_.setText(label);
    label_.prepare(QTransform(), theme_->edgeFont);
    hasLabel_ = !label.isEmpty();
    updateBounds();
    update();
}

void GraphEdgeItem::setHighlighted(bool on)
{
    if (on == highlighted_)
        return;
    highlighted_ = on;
    setZValue(on ? 0.5 : 0);
    update();
}

void GraphEdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const GraphTheme& t = *theme_;
    painter->setPen(highlighted_ ? t.edgeHighlightPen : t.edgePen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path_);
    painter->setBrush(highlighted_ ? t.edgeHighlightBrush : t.edgeBrush);
    painter->drawPolygon(arrow_);
    if (!hasLabel_ || option->levelOfDetailFromTransform(painter->worldTransform()) < 0.45)
        return;
    if (badge_) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(t.badgeBrush);
        painter->drawRoundedRect(labelRect_, 3, 3);
        painter->setPen(t.badgeText);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(t.labelBrush);
        painter->drawRect(labelRect_);
        painter->setPen(highlighted_ ? t.edgeHighlight : t.mutedText);
    }
    painter->setFont(t.edgeFont);
    painter->drawStaticText(labelRect_.topLeft() + QPointF(3, 1), label_);
}

} // namespace qs::gui
