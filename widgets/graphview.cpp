#include "widgets/graphview.h"

#include "widgets/graphnodeitem.h"
#include "widgets/graphscene.h"

#include <QKeyEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace qs::gui {
namespace {

constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 6.0;
constexpr double kReadableZoom = 0.85; // box titles stay legible

} // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent)
    , scene_(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setCacheMode(CacheBackground);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
}

void GraphView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double applied = target / zoom();
    scale(applied, applied);
    emit viewportMoved();
}

void GraphView::zoomToFit()
{
    if (!scene_ || scene_->items().isEmpty())
        return;
    fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.5)
        zoomBy(1.5 / zoom());
    emit viewportMoved();
}

void GraphView::zoomToReadable()
{
    zoomToFit();
    if (!scene_ || zoom() >= kReadableZoom)
        return;
    zoomBy(kReadableZoom / zoom());
    // Start where the data enters: the top-most box (segmented layouts drift sideways, so the
    // scene's centre may be empty).
    QRectF top;
    for (int i = 0; i < scene_->boxCount(); ++i) {
        const QRectF r = scene_->box(i)->sceneBoundingRect();
        if (top.isNull() || r.top() < top.top())
            top = r;
    }
    const QRectF visible = visibleSceneRect();
    centerOn(top.center().x(), scene_->sceneRect().top() + visible.height() / 2);
    emit viewportMoved();
}

void GraphView::centreOnBox(int box)
{
    if (!scene_ || box < 0 || box >= scene_->boxCount())
        return;
    GraphNodeItem* item = scene_->box(box);
    if (zoom() < 0.5)
        zoomBy(0.8 / zoom());
    centerOn(item);
    emit viewportMoved();
}

QRectF GraphView::visibleSceneRect() const
{
    return mapToScene(viewport()->rect()).boundingRect();
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ShiftModifier) {
        QGraphicsView::wheelEvent(event); // scroll sideways / vertically
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.2, steps));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    const int current = scene_ ? scene_->selectedBox() : -1;
    int next = -1;
    switch (event->key()) {
    case Qt::Key_Up:
        next = scene_->producerOf(current);
        break;
    case Qt::Key_Down:
        next = scene_->consumerOf(current);
        break;
    case Qt::Key_Left:
        next = scene_->siblingOf(current, -1);
        break;
    case Qt::Key_Right:
        next = scene_->siblingOf(current, +1);
        break;
    default:
        QGraphicsView::keyPressEvent(event);
        return;
    }
    if (current < 0 && scene_->boxCount() > 0)
        next = 0; // start at the first box
    if (next >= 0) {
        scene_->selectBox(next);
        ensureVisible(scene_->box(next), 60, 60);
        emit viewportMoved();
    }
    event->accept();
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    emit viewportMoved();
}

void GraphView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    emit viewportMoved();
}

} // namespace qs::gui
