#include "widgets/graphnodeitem.h"

#include "widgets/metriccolours.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace qs::gui {
namespace {

constexpr qreal kRadius = 5.0;
constexpr qreal kMargin = 3.0; // room for the selection border outside the box

} // namespace

GraphNodeItem::GraphNodeItem(int index, const QRectF& box, const QString& title, const QString& subtitle,
    OpCategory category, const GraphTheme* theme)
    : index_(index)
    , box_(box)
    , title_(title)
    , subtitle_(subtitle)
    , category_(category)
    , theme_(theme)
{
    setFlag(ItemIsSelectable);
    setCacheMode(DeviceCoordinateCache);
    setZValue(1);
    title_.setTextFormat(Qt::PlainText);
    subtitle_.setTextFormat(Qt::PlainText);
    title_.prepare(QTransform(), theme_->titleFont);
    subtitle_.prepare(QTransform(), theme_->subtitleFont);
    updateToolTip();
}

void GraphNodeItem::setSubtitle(const QString& subtitle)
{
    if (subtitle == subtitle_.text())
        return;
    subtitle_.setText(subtitle);
    subtitle_.prepare(QTransform(), theme_->subtitleFont);
    updateToolTip();
    repaint();
}

void GraphNodeItem::setOverlayText(const QString& text)
{
    if (text == overlayText_)
        return;
    overlayText_ = text;
    updateToolTip();
}

void GraphNodeItem::updateToolTip()
{
    QString tip = title();
    if (!subtitle().isEmpty())
        tip += QLatin1Char('\n') + subtitle();
    if (!overlayText_.isEmpty())
        tip += QLatin1Char('\n') + overlayText_;
    setToolTip(tip);
}

void GraphNodeItem::setMark(Mark mark)
{
    if (mark == mark_)
        return;
    mark_ = mark;
    repaint();
}

void GraphNodeItem::repaint()
{
    // The device cache is per view (the graph view and the minimap) but its "exposed" flag is shared:
    // whichever view paints first would clear it and leave the other view's pixels stale. Dropping
    // the cache makes every view paint the new state.
    setCacheMode(NoCache);
    setCacheMode(DeviceCoordinateCache);
    update();
}

QVariant GraphNodeItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    if (change == ItemSelectedHasChanged)
        repaint();
    return QGraphicsItem::itemChange(change, value);
}

void GraphNodeItem::setTint(const QColor& tint)
{
    if (tint == tint_)
        return;
    tint_ = tint;
    tintBrush_ = tint.isValid() ? QBrush(tint) : QBrush();
    repaint();
}

void GraphNodeItem::setMuted(bool muted)
{
    if (muted == muted_)
        return;
    muted_ = muted;
    if (muted) {
        const GraphTheme& t = *theme_;
        mutedBrush_ = QBrush(t.dark ? t.background.lighter(135) : t.background.darker(104));
        QColor border = t.mutedText;
        border.setAlphaF(0.6f);
        mutedPen_ = QPen(border, 1);
    }
    repaint();
}

QRectF GraphNodeItem::boundingRect() const
{
    return box_.adjusted(-kMargin, -kMargin, kMargin, kMargin);
}

void GraphNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const GraphTheme& t = *theme_;
    const auto c = static_cast<std::size_t>(category_);
    const bool muted = muted_ && !tint_.isValid();
    painter->setPen(isSelected()       ? t.selectionPen
            : mark_ == Mark::Neighbour ? t.neighbourPen
            : muted                    ? mutedPen_
                                       : t.borderPen[c]);
    painter->setBrush(tint_.isValid() ? tintBrush_ : muted ? mutedBrush_ : t.fillBrush[c]);
    const bool io = category_ == OpCategory::Io;
    if (io)
        painter->drawRoundedRect(box_, box_.height() / 2, box_.height() / 2);
    else
        painter->drawRoundedRect(box_, kRadius, kRadius);

    // Far out, text is unreadable anyway: the boxes alone keep the overview fast.
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    if (lod < 0.3)
        return;
    painter->setPen(tint_.isValid() ? textOnMetricColour() : muted ? t.mutedText : t.text);
    painter->setFont(t.titleFont);
    const QSizeF titleSize = title_.size();
    const bool hasSubtitle = !subtitle_.text().isEmpty();
    const qreal titleY = hasSubtitle ? box_.top() + 5 : box_.center().y() - titleSize.height() / 2;
    painter->drawStaticText(QPointF(box_.center().x() - titleSize.width() / 2, titleY), title_);
    if (!hasSubtitle)
        return;
    painter->setFont(t.subtitleFont);
    if (muted)
        painter->setPen(t.mutedText);
    else if (category_ == OpCategory::Quantizer && !tint_.isValid())
        painter->setPen(t.dark ? t.badgeText : t.borderOf(category_).darker(130));
    else if (!tint_.isValid())
        painter->setPen(t.mutedText);
    const QSizeF subSize = subtitle_.size();
    painter->drawStaticText(
        QPointF(box_.center().x() - subSize.width() / 2, titleY + titleSize.height() + 2), subtitle_);
}

} // namespace qs::gui
