#include "widgets/graphscene.h"

#include "widgets/graphedgeitem.h"
#include "widgets/graphnodeitem.h"

#include <QGuiApplication>

#include <algorithm>

namespace qs::gui {
namespace {

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

OpCategory categoryOf(const qs::ModelGraphItem& item)
{
    if (item.kind != qs::GraphItemKind::Node)
        return OpCategory::Io;
    return opCategory(item.title, item.quantizer >= 0);
}

} // namespace

GraphScene::GraphScene(QObject* parent)
    : QGraphicsScene(parent)
    , theme_(GraphTheme::fromPalette(QGuiApplication::palette()))
{
    setItemIndexMethod(BspTreeIndex);
    setBackgroundBrush(theme_.background);
    connect(this, &QGraphicsScene::selectionChanged, this, &GraphScene::onSelectionChanged);
}

GraphScene::~GraphScene()
{
    clearGraph();
}

void GraphScene::clearGraph()
{
    selecting_ = true; // clear() emits selectionChanged; nothing is selected afterwards anyway
    selected_ = -1;
    nodes_.clear();
    edges_.clear();
    inEdges_.clear();
    outEdges_.clear();
    clear();
    selecting_ = false;
    graph_.reset();
    layout_.reset();
}

void GraphScene::setGraph(
    std::shared_ptr<const qs::ModelGraph> graph, std::shared_ptr<const qs::GraphLayout> layout)
{
    clearGraph();
    graph_ = std::move(graph);
    layout_ = std::move(layout);
    const qs::ModelGraph& g = *graph_;
    const qs::GraphLayout& l = *layout_;
    const std::size_t boxes = std::min(g.items.size(), l.nodes.size());
    nodes_.reserve(boxes);
    inEdges_.assign(boxes, {});
    outEdges_.assign(boxes, {});
    // Index while building is wasted work; the BSP tree is built once at the end.
    setItemIndexMethod(NoIndex);
    for (std::size_t i = 0; i < boxes; ++i) {
        const qs::NodeBox& b = l.nodes[i];
        auto* item = new GraphNodeItem(static_cast<int>(i), QRectF(b.x, b.y, b.width, b.height),
            fromStd(g.items[i].title), fromStd(g.items[i].subtitle), categoryOf(g.items[i]), &theme_);
        addItem(item);
        nodes_.push_back(item);
    }
    const std::size_t edges = std::min(g.edges.size(), l.edges.size());
    edges_.reserve(edges);
    for (std::size_t i = 0; i < edges; ++i) {
        auto* item = new GraphEdgeItem(
            static_cast<int>(i), l.edges[i], fromStd(g.edges[i].label), g.edges[i].quantizer >= 0, &theme_);
        addItem(item);
        edges_.push_back(item);
        const qs::LayoutEdge& e = g.layout.edges[i];
        if (e.from >= 0 && static_cast<std::size_t>(e.from) < boxes && e.to >= 0
            && static_cast<std::size_t>(e.to) < boxes) {
            outEdges_[static_cast<std::size_t>(e.from)].push_back(static_cast<int>(i));
            inEdges_[static_cast<std::size_t>(e.to)].push_back(static_cast<int>(i));
        }
    }
    setItemIndexMethod(BspTreeIndex);
    setSceneRect(QRectF(-20, -20, l.width + 40, l.height + 40));
}

void GraphScene::setTheme(const GraphTheme& theme)
{
    theme_ = theme;
    setBackgroundBrush(theme_.background);
    for (GraphNodeItem* item : nodes_)
        item->update(); // drops the cached pixels
    update();
}

int GraphScene::boxOfNode(int node) const
{
    if (!graph_ || node < 0 || static_cast<std::size_t>(node) >= graph_->itemOfNode.size())
        return -1;
    const int box = graph_->itemOfNode[static_cast<std::size_t>(node)];
    return box < boxCount() ? box : -1;
}

void GraphScene::selectBox(int index)
{
    if (index >= boxCount())
        index = -1;
    if (index == selected_ && (index < 0 || nodes_[static_cast<std::size_t>(index)]->isSelected()))
        return;
    selecting_ = true;
    clearSelection();
    if (index >= 0)
        nodes_[static_cast<std::size_t>(index)]->setSelected(true);
    selecting_ = false;
    onSelectionChanged();
}

void GraphScene::onSelectionChanged()
{
    if (selecting_)
        return;
    const QList<QGraphicsItem*> items = selectedItems();
    int index = -1;
    if (!items.isEmpty() && items.front()->type() == GraphNodeItem::Type)
        index = static_cast<GraphNodeItem*>(items.front())->index();
    if (index == selected_)
        return;
    markNeighbours(selected_, false);
    selected_ = index;
    markNeighbours(selected_, true);
    emit boxSelected(index);
}

void GraphScene::markNeighbours(int index, bool on)
{
    if (index < 0 || index >= boxCount())
        return;
    const auto mark = on ? GraphNodeItem::Mark::Neighbour : GraphNodeItem::Mark::None;
    const qs::ModelGraph& g = *graph_;
    for (int e : inEdges_[static_cast<std::size_t>(index)]) {
        edges_[static_cast<std::size_t>(e)]->setHighlighted(on);
        nodes_[static_cast<std::size_t>(g.layout.edges[static_cast<std::size_t>(e)].from)]->setMark(mark);
    }
    for (int e : outEdges_[static_cast<std::size_t>(index)]) {
        edges_[static_cast<std::size_t>(e)]->setHighlighted(on);
        nodes_[static_cast<std::size_t>(g.layout.edges[static_cast<std::size_t>(e)].to)]->setMark(mark);
    }
}

int GraphScene::producerOf(int box) const
{
    if (box < 0 || box >= boxCount() || inEdges_[static_cast<std::size_t>(box)].empty())
        return -1;
    return graph_->layout.edges[static_cast<std::size_t>(inEdges_[static_cast<std::size_t>(box)].front())]
        .from;
}

int GraphScene::consumerOf(int box) const
{
    if (box < 0 || box >= boxCount() || outEdges_[static_cast<std::size_t>(box)].empty())
        return -1;
    return graph_->layout.edges[static_cast<std::size_t>(outEdges_[static_cast<std::size_t>(box)].front())]
        .to;
}

int GraphScene::siblingOf(int box, int step) const
{
    // Siblings: the other consumers of this box's producer, ordered left to right.
    const int producer = producerOf(box);
    if (producer < 0)
        return -1;
    std::vector<int> siblings;
    for (int e : outEdges_[static_cast<std::size_t>(producer)]) {
        const int to = graph_->layout.edges[static_cast<std::size_t>(e)].to;
        if (std::find(siblings.begin(), siblings.end(), to) == siblings.end())
            siblings.push_back(to);
    }
    std::sort(siblings.begin(), siblings.end(), [this](int a, int b) {
        return layout_->nodes[static_cast<std::size_t>(a)].x < layout_->nodes[static_cast<std::size_t>(b)].x;
    });
    const auto it = std::find(siblings.begin(), siblings.end(), box);
    const auto pos = static_cast<int>(it - siblings.begin()) + step;
    if (it == siblings.end() || pos < 0 || pos >= static_cast<int>(siblings.size()))
        return -1;
    return siblings[static_cast<std::size_t>(pos)];
}

void GraphScene::refreshBadges(const qs::ModelDocument& doc, int quantizer)
{
    if (!graph_)
        return;
    const auto& quantizers = doc.quantizers();
    auto badge = [&](int q) { return qs::quantizerBadge(quantizers[static_cast<std::size_t>(q)]); };
    auto valid = [&](int q) { return q >= 0 && static_cast<std::size_t>(q) < quantizers.size(); };
    const qs::ModelGraph& g = *graph_;
    for (int i = 0; i < boxCount(); ++i) {
        const qs::ModelGraphItem& item = g.items[static_cast<std::size_t>(i)];
        const bool mentions = quantizer < 0 || item.quantizer == quantizer
            || std::find(item.weightQuantizers.begin(), item.weightQuantizers.end(), quantizer)
                != item.weightQuantizers.end();
        if (!mentions || (item.quantizer < 0 && item.weightQuantizers.empty()))
            continue;
        std::string text = valid(item.quantizer) ? badge(item.quantizer) : std::string();
        for (int wq : item.weightQuantizers) {
            if (!valid(wq))
                continue;
            const bool bias = quantizers[static_cast<std::size_t>(wq)].role == qs::QuantizerRole::Bias;
            text += (text.empty() ? "" : " ") + std::string(bias ? "B:" : "W:") + badge(wq);
        }
        nodes_[static_cast<std::size_t>(i)]->setSubtitle(fromStd(text));
    }
    for (int i = 0; i < edgeCount(); ++i) {
        const qs::ModelGraphEdge& e = g.edges[static_cast<std::size_t>(i)];
        if (!valid(e.quantizer) || (quantizer >= 0 && e.quantizer != quantizer))
            continue;
        // The label is "badge  shape"; keep the shape part as laid out.
        const std::string& old = e.label;
        const std::string oldBadge = badge(e.quantizer);
        const auto sep = old.find("  ");
        const std::string shape = sep == std::string::npos ? std::string() : old.substr(sep);
        edges_[static_cast<std::size_t>(i)]->setLabel(fromStd(oldBadge + shape));
    }
}

void GraphScene::setTints(const std::vector<QColor>& tintPerBox)
{
    const bool overlay
        = std::any_of(tintPerBox.begin(), tintPerBox.end(), [](const QColor& c) { return c.isValid(); });
    for (int i = 0; i < boxCount(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        const QColor tint = k < tintPerBox.size() ? tintPerBox[k] : QColor();
        nodes_[k]->setTint(tint);
        nodes_[k]->setMuted(overlay && !tint.isValid());
    }
}

} // namespace qs::gui
