#pragma once
// The scene of a laid-out model graph: one item per layout box and edge, the neighbourhood highlight
// of the selected box, and navigation between boxes. It draws a ModelGraph + GraphLayout and never
// lays out itself; badge texts can be refreshed in place after a quantizer edit.
#include "core/layout/graphlayout.h"
#include "core/modelgraph/modelgraph.h"
#include "widgets/graphtheme.h"

#include <QGraphicsScene>

#include <memory>
#include <vector>

namespace qs::gui {

class GraphEdgeItem;
class GraphNodeItem;

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(QObject* parent = nullptr);
    ~GraphScene() override;

    // Replaces every item. `graph` and `layout` must be parallel (layout of graph.layout).
    void setGraph(std::shared_ptr<const qs::ModelGraph> graph, std::shared_ptr<const qs::GraphLayout> layout);
    void clearGraph();
    const qs::ModelGraph* graph() const { return graph_.get(); }
    void setTheme(const GraphTheme& theme);
    const GraphTheme& theme() const { return theme_; }

    int boxCount() const { return static_cast<int>(nodes_.size()); }
    int edgeCount() const { return static_cast<int>(edges_.size()); }
    GraphNodeItem* box(int index) const { return nodes_[static_cast<std::size_t>(index)]; }
    GraphEdgeItem* edge(int index) const { return edges_[static_cast<std::size_t>(index)]; }
    int boxOfNode(int node) const; // -1 when hidden or absent

    int selectedBox() const { return selected_; }
    void selectBox(int index); // -1 clears; highlights the box's edges and neighbours

    // Keyboard navigation from a box: its producer, a consumer, or a sibling (-1 when none).
    int producerOf(int box) const;
    int consumerOf(int box) const;
    int siblingOf(int box, int step) const;

    // Recomputes the badge texts that mention `quantizer` (-1: all), keeping every position.
    void refreshBadges(const qs::ModelDocument& doc, int quantizer);
    // Fills boxes with a colour per box (an overlay; invalid: the theme's fill); empty clears.
    void setTints(const std::vector<QColor>& tintPerBox);

signals:
    void boxSelected(int index); // by the user (mouse) or selectBox()

private:
    void onSelectionChanged();
    void markNeighbours(int index, bool on);

    GraphTheme theme_;
    std::shared_ptr<const qs::ModelGraph> graph_;
    std::shared_ptr<const qs::GraphLayout> layout_;
    std::vector<GraphNodeItem*> nodes_;
    std::vector<GraphEdgeItem*> edges_;
    std::vector<std::vector<int>> inEdges_; // per box
    std::vector<std::vector<int>> outEdges_; // per box
    int selected_ = -1;
    bool selecting_ = false;
};

} // namespace qs::gui
