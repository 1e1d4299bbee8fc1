// Editing through the document: every edit is one undo step (spin-box drags merge), undoing all
// restores the file byte for byte, bulk edits change exactly their quantizers, table cells edit via
// commands, and a bit-width edit updates badges without a new layout.
#include "core/edit/bulkedit.h"
#include "widgets/bulkeditdialog.h"
#include "widgets/graphnodeitem.h"
#include "widgets/graphscene.h"
#include "widgets/layertablemodel.h"
#include "widgets/propertypanel.h"
#include "widgets/quantizereditor.h"
#include "widgettestutil.h"

#include <QSpinBox>
#include <QtTest>

using namespace qs::gui;

class TestEditing : public QObject {
    Q_OBJECT
private slots:
    void undoAllIsByteIdentical_data();
    void undoAllIsByteIdentical();
    void spinBoxDragMergesIntoOneStep();
    void refusedEditChangesNothing();
    void bulkEditChangesExactlyItsQuantizers();
    void tableCellEditPushesCommand();
    void editUpdatesBadgesWithoutLayout();
};

namespace {

std::vector<std::optional<double>> bitWidths(const QuantDocument& document)
{
    std::vector<std::optional<double>> bits;
    for (const qs::Quantizer& q : document.doc().quantizers())
        bits.push_back(q.bitWidth);
    return bits;
}

int firstQuantizerWithBits(const QuantDocument& document, qs::QuantizerRole role)
{
    for (const qs::Quantizer& q : document.doc().quantizers())
        if (q.role == role && q.bitWidth
            && (q.kind == qs::QuantizerKind::IntQuant || q.kind == qs::QuantizerKind::QCDQ
                || q.kind == qs::QuantizerKind::QDQ))
            return q.id;
    return -1;
}

} // namespace

void TestEditing::undoAllIsByteIdentical_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("qonnx") << "resnet8_cifar10_w4a4.onnx";
    QTest::newRow("qcdq") << "vww_mobilenet128_qcdq.onnx";
}

void TestEditing::undoAllIsByteIdentical()
{
    QFETCH(QString, model);
    QuantDocument document;
    test::load(document, model.toUtf8().constData());
    const std::string original = document.doc().serialize();
    const int weight = firstQuantizerWithBits(document, qs::QuantizerRole::Weight);
    const int activation = firstQuantizerWithBits(document, qs::QuantizerRole::Activation);
    QVERIFY(weight >= 0 && activation >= 0);
    QSignalSpy changed(&document, &QuantDocument::quantizerChanged);
    QSignalSpy restructured(&document, &QuantDocument::topologyChanged); // e.g. a Clip inserted
    qs::QuantizerEdit bits;
    bits.bitWidth = 3;
    QVERIFY(document.editQuantizer(weight, bits).isEmpty());
    qs::QuantizerEdit narrow;
    narrow.narrow = !document.doc().quantizers()[static_cast<std::size_t>(activation)].narrow;
    QVERIFY(document.editQuantizer(activation, narrow).isEmpty());
    QCOMPARE(document.undoStack()->count(), 2);
    QVERIFY(document.isModified());
    QCOMPARE(*document.doc().quantizers()[static_cast<std::size_t>(weight)].bitWidth, 3.0);
    QCOMPARE(changed.count() + restructured.count(), 2);
    QVERIFY(document.doc().serialize() != original);
    while (document.undoStack()->canUndo())
        document.undoStack()->undo();
    QVERIFY(!document.isModified());
    QVERIFY(document.doc().serialize() == original);
    document.undoStack()->redo();
    QCOMPARE(*document.doc().quantizers()[static_cast<std::size_t>(weight)].bitWidth, 3.0);
}

void TestEditing::spinBoxDragMergesIntoOneStep()
{
    QuantDocument document;
    PropertyPanel panel(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const std::string original = document.doc().serialize();
    const qs::Layer layer = document.doc().layers().at(2); // a copy: edits rebuild the list
    document.setCurrentNode(layer.node);
    QuantizerEditor* editor = panel.editor();
    QCOMPARE(editor->quantizer(), layer.weightQuantizer);
    for (int bits : {5, 6, 7, 8})
        editor->bitsBox()->setValue(bits);
    QCOMPARE(document.undoStack()->count(), 1);
    QCOMPARE(*document.doc().quantizers()[static_cast<std::size_t>(layer.weightQuantizer)].bitWidth, 8.0);
    document.undoStack()->undo();
    QVERIFY(document.doc().serialize() == original);
    QCOMPARE(editor->bitsBox()->value(), 4); // the editor follows the document
}

void TestEditing::refusedEditChangesNothing()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const std::string original = document.doc().serialize();
    qs::QuantizerEdit edit;
    edit.bitWidth = 0; // no quantizer has zero bits
    const QString error
        = document.editQuantizer(firstQuantizerWithBits(document, qs::QuantizerRole::Weight), edit);
    QVERIFY(!error.isEmpty());
    QCOMPARE(document.undoStack()->count(), 0);
    QVERIFY(document.doc().serialize() == original);
}

void TestEditing::bulkEditChangesExactlyItsQuantizers()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const std::string original = document.doc().serialize();
    const auto before = bitWidths(document);
    const std::vector<int> targets = bulkTargetQuantizers(document, BulkTarget::ConvWeights);
    QVERIFY(targets.size() >= 5);
    QVERIFY(applyBulkBits(document, BulkTarget::ConvWeights, 2).isEmpty());
    QCOMPARE(document.undoStack()->count(), 1);
    const auto after = bitWidths(document);
    QCOMPARE(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        const bool targeted = std::find(targets.begin(), targets.end(), static_cast<int>(i)) != targets.end();
        if (targeted)
            QCOMPARE(*after[i], 2.0);
        else
            QCOMPARE(after[i], before[i]);
    }
    document.undoStack()->undo();
    QVERIFY(document.doc().serialize() == original);
}

void TestEditing::tableCellEditPushesCommand()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    LayerTableModel model;
    model.setDocument(&document);
    model.setRows(layerRowsFromDocument(document.doc()));
    const QModelIndex cell = model.index(1, LayerTableModel::WeightBits);
    QVERIFY(model.flags(cell) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(1, LayerTableModel::Name)) & Qt::ItemIsEditable));
    QVERIFY(model.setData(cell, 6, Qt::EditRole));
    QCOMPARE(document.undoStack()->count(), 1);
    const int q = model.rows()[1].weightQuantizer;
    QCOMPARE(*document.doc().quantizers()[static_cast<std::size_t>(q)].bitWidth, 6.0);
    QSignalSpy refused(&model, &LayerTableModel::editRefused);
    QVERIFY(!model.setData(cell, 0, Qt::EditRole));
    QCOMPARE(refused.count(), 1);
    QCOMPARE(document.undoStack()->count(), 1);
}

void TestEditing::editUpdatesBadgesWithoutLayout()
{
    QuantDocument document;
    GraphWidget graph(&document);
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QVERIFY(test::waitForLayout(graph));
    const int layouts = graph.layoutCache().layoutsComputed();
    const int q = firstQuantizerWithBits(document, qs::QuantizerRole::Weight);
    const int box
        = graph.scene()->boxOfNode(document.doc().quantizers()[static_cast<std::size_t>(q)].mainNode);
    QVERIFY(box >= 0);
    const QPointF position = graph.scene()->box(box)->boundingRect().topLeft();
    const QString before = graph.scene()->box(box)->subtitle();
    qs::QuantizerEdit edit;
    edit.bitWidth = 3;
    QVERIFY(document.editQuantizer(q, edit).isEmpty());
    QVERIFY(graph.scene()->box(box)->subtitle().startsWith(QLatin1String("INT3")));
    QCOMPARE(graph.scene()->box(box)->boundingRect().topLeft(), position);
    QVERIFY(!graph.isLayoutPending());
    QCOMPARE(graph.layoutCache().layoutsComputed(), layouts);
    document.undoStack()->undo();
    QCOMPARE(graph.scene()->box(box)->subtitle(), before);
}

QTEST_MAIN(TestEditing)
#include "tst_editing.moc"
