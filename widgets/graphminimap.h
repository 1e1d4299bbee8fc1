#pragma once
// An overview of the whole graph (the same scene, fitted) with the main view's visible rectangle;
// clicking or dragging moves the main view there.
#include <QGraphicsView>

namespace qs::gui {

class GraphView;

class GraphMinimap : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphMinimap(GraphView* view, QWidget* parent = nullptr);

    void refit(); // after the scene got new items

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void moveMainView(const QPoint& pos);

    GraphView* view_;
};

} // namespace qs::gui
