// Find matches node names, op types and tensor names, and Enter cycles through the hits.
#include "widgets/findbar.h"
#include "widgets/nodesearch.h"
#include "widgettestutil.h"

#include <QLineEdit>
#include <QtTest>

using namespace qs::gui;

class TestFindBar : public QObject {
    Q_OBJECT
private slots:
    void findsByOpNameAndTensor();
    void enterCyclesThroughHits();
};

void TestFindBar::findsByOpNameAndTensor()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const qs::ModelDocument& doc = document.doc();
    const auto adds = findNodes(doc, QStringLiteral("add"));
    QVERIFY(!adds.empty());
    int addOps = 0;
    for (qs::NodeId id = 0; id < doc.graph().nodeCount(); ++id)
        addOps += doc.node(id).opType == "Add";
    QVERIFY(static_cast<int>(adds.size()) >= addOps);
    // A tensor name finds its producer and its consumers.
    const qs::NodeId first = doc.graph().topologicalOrder().front();
    const std::string tensor = doc.tensor(doc.node(first).outputs.front()).name;
    const auto byTensor = findNodes(doc, QString::fromStdString(tensor));
    QVERIFY(std::find(byTensor.begin(), byTensor.end(), first) != byTensor.end());
    QVERIFY(findNodes(doc, QStringLiteral("no-such-thing-anywhere")).empty());
}

void TestFindBar::enterCyclesThroughHits()
{
    QuantDocument document;
    FindBar bar(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    bar.show();
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>();
    QTest::keyClicks(edit, QStringLiteral("Conv"));
    const auto hits = findNodes(document.doc(), QStringLiteral("Conv"));
    QCOMPARE(bar.hitCount(), static_cast<int>(hits.size()));
    QVERIFY(hits.size() >= 2);
    for (std::size_t i = 0; i < hits.size(); ++i) {
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(document.currentNode(), hits[i]);
    }
    QTest::keyClick(edit, Qt::Key_Return); // wraps around
    QCOMPARE(document.currentNode(), hits.front());
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier); // and back
    QCOMPARE(document.currentNode(), hits.back());
}

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
