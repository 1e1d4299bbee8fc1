#pragma once
// The interactive view of a GraphScene: wheel zoom around the cursor, drag to pan, zoom to fit, and
// keyboard navigation (Up = producer, Down = consumer, Left/Right = siblings).
#include <QGraphicsView>

namespace qs::gui {

class GraphScene;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);

    GraphScene* graphScene() const { return scene_; }
    double zoom() const { return transform().m11(); }
    void zoomBy(double factor);
    void zoomToFit(); // the whole graph
    // The whole graph when it can be read that way, else a readable zoom at its top.
    void zoomToReadable();
    void centreOnBox(int box);
    QRectF visibleSceneRect() const;

signals:
    void viewportMoved(); // zoom, scroll or resize: the minimap follows

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    GraphScene* scene_;
};

} // namespace qs::gui
