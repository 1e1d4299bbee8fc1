// The property panel shows a layer's node data and quantizers, and the histogram of its weights
// with the quantizer's clipping range.
#include "widgets/propertypanel.h"
#include "widgets/weighthistogram.h"
#include "widgettestutil.h"

#include <QTreeWidget>
#include <QtTest>
#include <qcustomplot.h>

using namespace qs::gui;

class TestPropertyPanel : public QObject {
    Q_OBJECT
private slots:
    void showsLayerAndWeights();
    void clipRangeFollowsQuantizer();
};

namespace {

QStringList topLevelTitles(QTreeWidget* tree)
{
    QStringList titles;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        titles << tree->topLevelItem(i)->text(0);
    return titles;
}

} // namespace

void TestPropertyPanel::showsLayerAndWeights()
{
    QuantDocument document;
    PropertyPanel panel(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const qs::Layer& layer = document.doc().layers().at(1);
    document.setCurrentNode(layer.node);
    const QStringList titles = topLevelTitles(panel.tree());
    QVERIFY2(titles.contains(QStringLiteral("Layer")), qPrintable(titles.join(',')));
    QVERIFY(titles.contains(QStringLiteral("Attributes")));
    QVERIFY(titles.contains(QStringLiteral("Inputs")));
    QCOMPARE(panel.histogram()->plot()->plottableCount(), 1);
    // Two clip lines at least (the 4-bit grid adds more).
    QVERIFY(panel.histogram()->plot()->itemCount() >= 2);
    document.setCurrentNode(-1); // back to the model summary
    QCOMPARE(panel.tree()->topLevelItem(0)->text(0), QStringLiteral("Model"));
    QCOMPARE(panel.histogram()->plot()->plottableCount(), 0);
}

void TestPropertyPanel::clipRangeFollowsQuantizer()
{
    qs::Quantizer q;
    q.scale.known = true;
    q.scale.values = {0.5};
    q.zeroPoint.known = true;
    q.zeroPoint.values = {0};
    q.qmin = -8;
    q.qmax = 7;
    const auto range = clipRange(q);
    QVERIFY(range.has_value());
    QCOMPARE(range->low, -4.0);
    QCOMPARE(range->high, 3.5);
    QCOMPARE(range->step, 0.5);
    const WeightStats stats = weightStats(qs::Tensor::fromFloats({4}, {0.f, 1.f, -1.f, 0.f}));
    QCOMPARE(stats.sparsity, 0.5);
    QCOMPARE(stats.mean, 0.0);
}

QTEST_MAIN(TestPropertyPanel)
#include "tst_propertypanel.moc"
