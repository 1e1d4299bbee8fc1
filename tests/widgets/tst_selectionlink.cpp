// Selecting a layer row selects (and centres) its node in the graph; selecting a node in the graph
// selects its row. Both go through the document's current node.
#include "widgets/graphscene.h"
#include "widgets/layertable.h"
#include "widgets/layertablemodel.h"
#include "widgettestutil.h"

#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

using namespace qs::gui;

class TestSelectionLink : public QObject {
    Q_OBJECT
private slots:
    void tableSelectsGraph();
    void graphSelectsTable();
    void sortedTableStillLinks();
};

void TestSelectionLink::tableSelectsGraph()
{
    QuantDocument document;
    GraphWidget graph(&document);
    LayerTable table(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    QVERIFY(table.model()->rowCount() > 3);
    const QModelIndex row = table.proxy()->index(3, 0);
    table.view()->selectionModel()->select(
        row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const int node = row.data(LayerTableModel::NodeRole).toInt();
    QCOMPARE(document.currentNode(), node);
    QCOMPARE(graph.scene()->selectedBox(), graph.scene()->boxOfNode(node));
    QVERIFY(graph.scene()->selectedBox() >= 0);
}

void TestSelectionLink::graphSelectsTable()
{
    QuantDocument document;
    GraphWidget graph(&document);
    LayerTable table(&document);
    test::load(document, "vww_mobilenet128_qcdq.onnx");
    QVERIFY(test::waitForLayout(graph));
    const int node = table.model()->rows().back().node;
    graph.scene()->selectBox(graph.scene()->boxOfNode(node)); // as a mouse click would
    QCOMPARE(document.currentNode(), node);
    QCOMPARE(table.currentLayerNode(), node);
    // A non-layer node clears the table selection but stays selected in the graph.
    const int input = document.doc().graph().topologicalOrder().front();
    QVERIFY(table.model()->rowOfNode(input) < 0);
    graph.scene()->selectBox(graph.scene()->boxOfNode(input));
    QCOMPARE(document.currentNode(), input);
    QCOMPARE(table.currentLayerNode(), -1);
}

void TestSelectionLink::sortedTableStillLinks()
{
    QuantDocument document;
    GraphWidget graph(&document);
    LayerTable table(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    table.view()->sortByColumn(LayerTableModel::Macs, Qt::DescendingOrder);
    const QModelIndex top = table.proxy()->index(0, 0);
    const QModelIndex second = table.proxy()->index(1, 0);
    QVERIFY(top.sibling(0, LayerTableModel::Macs).data(LayerTableModel::SortRole).toDouble()
        >= second.sibling(1, LayerTableModel::Macs).data(LayerTableModel::SortRole).toDouble());
    table.view()->selectionModel()->select(
        top, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(document.currentNode(), top.data(LayerTableModel::NodeRole).toInt());
    document.setCurrentNode(second.data(LayerTableModel::NodeRole).toInt());
    QCOMPARE(table.view()->selectionModel()->selectedRows().front().row(), 1);
}

QTEST_MAIN(TestSelectionLink)
#include "tst_selectionlink.moc"
