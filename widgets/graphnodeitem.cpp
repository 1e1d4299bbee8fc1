#include "widgets/graphnodeitem.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace qs::gui {
namespace {

constexpr qreal kRadius = 5.0;
constexpr qreal kMargin = 3.0; // room for the selection border outside the box

QColor heatColor(double heat)
{
    // Green (low) -> yellow -> red (high).
    const double h = std::clamp(heat, 0.0, 1.0);
    return QColor::fromHsvF(static_cast<float>((1.0 - h) * 0.33), 0.55f, 0.95f);
}

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
    setToolTip(subtitle.isEmpty() ? title : title + QLatin1Char('\n') + subtitle);
}

void GraphNodeItem::setSubtitle(const QString& subtitle)
{
    if (subtitle == subtitle_.text())
        return;
    subtitle_.setText(subtitle);
    subtitle_.prepare(QTransform(), theme_->subtitleFont);
    setToolTip(subtitle.isEmpty() ? title() : title() + QLatin1Char('\n') + subtitle);
    update();
}

void GraphNodeItem::setMark(Mark mark)
{
    if (mark == mark_)
        return;
    mark_ = mark;
    update();
}

void GraphNodeItem::setHeat(double heat)
{
    heat_ = heat;
    if (heat >= 0)
        heatBrush_ = QBrush(heatColor(heat));
    update();
}

QRectF GraphNodeItem::boundingRect() const
{
    return box_.adjusted(-kMargin, -kMargin, kMargin, kMargin);
}

void GraphNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const GraphTheme& t = *theme_;
    const auto c = static_cast<std::size_t>(category_);
    painter->setPen(
        isSelected() ? t.selectionPen : (mark_ == Mark::Neighbour ? t.neighbourPen : t.borderPen[c]));
    painter->setBrush(heat_ >= 0 ? heatBrush_ : t.fillBrush[c]);
    const bool io = category_ == OpCategory::Io;
    if (io)
        painter->drawRoundedRect(box_, box_.height() / 2, box_.height() / 2);
    else
        painter->drawRoundedRect(box_, kRadius, kRadius);

    // Far out, text is unreadable anyway: the boxes alone keep the overview fast.
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    if (lod < 0.3)
        return;
    painter->setPen(heat_ >= 0 ? QColor(0x1d, 0x1f, 0x24) : t.text);
    painter->setFont(t.titleFont);
    const QSizeF titleSize = title_.size();
    const bool hasSubtitle = !subtitle_.text().isEmpty();
    const qreal titleY = hasSubtitle ? box_.top() + 5 : box_.center().y() - titleSize.height() / 2;
    painter->drawStaticText(QPointF(box_.center().x() - titleSize.width() / 2, titleY), title_);
    if (!hasSubtitle)
        return;
    painter->setFont(t.subtitleFont);
    if (category_ == OpCategory::Quantizer && heat_ < 0)
        painter->setPen(t.dark ? t.badgeText : t.borderOf(category_).darker(130));
    else if (heat_ < 0)
        painter->setPen(t.mutedText);
    const QSizeF subSize = subtitle_.size();
    painter->drawStaticText(
        QPointF(box_.center().x() - subSize.width() / 2, titleY + titleSize.height() + 2), subtitle_);
}

} // namespace qs::gui
