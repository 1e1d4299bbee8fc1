#include "widgets/graphminimap.h"

#include "widgets/graphscene.h"
#include "widgets/graphview.h"

#include <QMouseEvent>
#include <QPainter>

namespace qs::gui {

GraphMinimap::GraphMinimap(GraphView* view, QWidget* parent)
    : QGraphicsView(view->scene(), parent)
    , view_(view)
{
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHints(QPainter::Antialiasing);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setFrameShape(QFrame::Box);
    setBackgroundBrush(palette().color(QPalette::AlternateBase)); // set apart from the graph behind it
    setToolTip(tr("Overview: click or drag to move the view"));
    connect(view_, &GraphView::viewportMoved, viewport(), qOverload<>(&QWidget::update));
}

void GraphMinimap::refit()
{
    if (scene())
        fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    viewport()->update();
}

void GraphMinimap::drawForeground(QPainter* painter, const QRectF&)
{
    const QRectF visible = view_->visibleSceneRect().intersected(sceneRect());
    if (visible.isEmpty())
        return;
    const QColor highlight = palette().color(QPalette::Highlight);
    QColor fill = highlight;
    fill.setAlpha(40);
    painter->setBrush(fill);
    painter->setPen(QPen(highlight, 0)); // cosmetic pen: 1 px whatever the scale
    painter->drawRect(visible);
}

void GraphMinimap::mousePressEvent(QMouseEvent* event)
{
    moveMainView(event->pos());
}

void GraphMinimap::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        moveMainView(event->pos());
}

void GraphMinimap::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    refit();
}

void GraphMinimap::wheelEvent(QWheelEvent* event)
{
    event->ignore(); // the overview stays fitted
}

void GraphMinimap::moveMainView(const QPoint& pos)
{
    view_->centerOn(mapToScene(pos));
    viewport()->update();
}

} // namespace qs::gui
