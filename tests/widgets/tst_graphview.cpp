// The graph view draws one item per layout box and edge, collapsing quantizers removes boxes, the
// layout cache is reused, and keyboard navigation follows the edges.
#include "widgets/graphedgeitem.h"
#include "widgets/graphnodeitem.h"
#include "widgets/graphscene.h"
#include "widgets/graphview.h"
#include "widgettestutil.h"

#include <QtTest>

using namespace qs::gui;

class TestGraphView : public QObject {
    Q_OBJECT
private slots:
    void oneItemPerLayoutNode_data();
    void oneItemPerLayoutNode();
    void collapseReducesItemsAndReusesLayouts();
    void keyboardNavigationFollowsEdges();
    void selectionHighlightsNeighbours();
    void collapsedQuantizerSelectsItsConsumer();
};

void TestGraphView::oneItemPerLayoutNode_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("resnet8") << "resnet8_cifar10_w4a4.onnx";
    QTest::newRow("vww qcdq") << "vww_mobilenet128_qcdq.onnx";
    QTest::newRow("tfc") << "tfc_w2a2.onnx";
}

void TestGraphView::oneItemPerLayoutNode()
{
    QFETCH(QString, model);
    QuantDocument document;
    GraphWidget graph(&document);
    test::load(document, model.toUtf8().constData());
    QVERIFY(test::waitForLayout(graph));
    const GraphScene* scene = graph.scene();
    QVERIFY(scene->graph() != nullptr);
    QCOMPARE(scene->boxCount(), static_cast<int>(scene->graph()->layout.nodes.size()));
    QCOMPARE(scene->edgeCount(), static_cast<int>(scene->graph()->layout.edges.size()));
    int boxes = 0, edges = 0;
    for (QGraphicsItem* item : scene->items()) {
        boxes += item->type() == GraphNodeItem::Type;
        edges += item->type() == GraphEdgeItem::Type;
    }
    QCOMPARE(boxes, scene->boxCount());
    QCOMPARE(edges, scene->edgeCount());
    // Initializers are not boxes: every node box stands for a real node, plus graph inputs/outputs.
    const int io = static_cast<int>(
        document.doc().graph().graphInputs().size() + document.doc().graph().graphOutputs().size());
    QCOMPARE(boxes, document.doc().graph().nodeCount() + io);
}

void TestGraphView::collapseReducesItemsAndReusesLayouts()
{
    QuantDocument document;
    GraphWidget graph(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    const int expanded = graph.scene()->boxCount();
    graph.setCollapseQuantizers(true);
    QVERIFY(test::waitForLayout(graph));
    const int collapsed = graph.scene()->boxCount();
    QVERIFY2(collapsed < expanded, qPrintable(QStringLiteral("%1 vs %2").arg(collapsed).arg(expanded)));
    QCOMPARE(collapsed + static_cast<int>(document.doc().quantizers().size()), expanded);
    bool badgeOnEdge = false;
    for (int e = 0; e < graph.scene()->edgeCount(); ++e) {
        const int q = graph.scene()->graph()->edges[static_cast<std::size_t>(e)].quantizer;
        if (q >= 0)
            badgeOnEdge |= graph.scene()->edge(e)->label().startsWith(QString::fromStdString(
                qs::quantizerBadge(document.doc().quantizers()[static_cast<std::size_t>(q)])));
    }
    QVERIFY(badgeOnEdge);
    QCOMPARE(graph.layoutCache().layoutsComputed(), 2);
    graph.setCollapseQuantizers(false); // cached: no new layout
    QVERIFY(test::waitForLayout(graph));
    QCOMPARE(graph.scene()->boxCount(), expanded);
    QCOMPARE(graph.layoutCache().layoutsComputed(), 2);
}

void TestGraphView::keyboardNavigationFollowsEdges()
{
    QuantDocument document;
    GraphWidget graph(&document);
    graph.resize(800, 600);
    graph.show();
    test::load(document, "tfc_w2a2.onnx");
    QVERIFY(test::waitForLayout(graph));
    const qs::GraphIndex& index = document.doc().graph();
    // Start at the second node in topological order and go up to its producer.
    const int start = index.topologicalOrder()[1];
    document.setCurrentNode(start);
    QCOMPARE(graph.scene()->selectedBox(), graph.scene()->boxOfNode(start));
    const auto preds = index.predecessors(start);
    QVERIFY(!preds.empty());
    QTest::keyClick(graph.view(), Qt::Key_Up);
    QCOMPARE(document.currentNode(), preds.front());
    QTest::keyClick(graph.view(), Qt::Key_Down);
    const auto succs = index.successors(preds.front());
    QVERIFY(std::find(succs.begin(), succs.end(), document.currentNode()) != succs.end());
}

void TestGraphView::selectionHighlightsNeighbours()
{
    QuantDocument document;
    GraphWidget graph(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    const qs::GraphIndex& index = document.doc().graph();
    int node = -1;
    for (qs::NodeId id : index.topologicalOrder())
        if (index.node(id).opType == "Add")
            node = id;
    QVERIFY(node >= 0);
    document.setCurrentNode(node);
    GraphScene* scene = graph.scene();
    for (qs::NodeId p : index.predecessors(node))
        QCOMPARE(scene->box(scene->boxOfNode(p))->mark(), GraphNodeItem::Mark::Neighbour);
    for (qs::NodeId s : index.successors(node))
        QCOMPARE(scene->box(scene->boxOfNode(s))->mark(), GraphNodeItem::Mark::Neighbour);
    int highlighted = 0;
    for (int e = 0; e < scene->edgeCount(); ++e)
        highlighted += scene->edge(e)->isHighlighted();
    QCOMPARE(highlighted, 3); // two inputs and one output
    document.setCurrentNode(-1);
    for (qs::NodeId p : index.predecessors(node))
        QCOMPARE(scene->box(scene->boxOfNode(p))->mark(), GraphNodeItem::Mark::None);
}

void TestGraphView::collapsedQuantizerSelectsItsConsumer()
{
    QuantDocument document;
    GraphWidget graph(&document);
    graph.setCollapseQuantizers(true);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    const qs::Quantizer& q = document.doc().quantizers().front();
    QCOMPARE(graph.scene()->boxOfNode(q.mainNode), -1);
    document.setCurrentNode(q.mainNode);
    const int consumer = document.doc().tensor(q.output).consumers.front().node;
    QCOMPARE(graph.scene()->selectedBox(), graph.scene()->boxOfNode(consumer));
    QCOMPARE(document.currentNode(), q.mainNode); // the document keeps what the user asked for
}

QTEST_MAIN(TestGraphView)
#include "tst_graphview.moc"
