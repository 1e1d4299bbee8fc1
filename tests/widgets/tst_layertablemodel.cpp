// The layer table: one row per layer with bits, K and MACs = prod(output shape) * K; analysis
// columns come from setRows(); sorting is numeric.
#include "widgets/layertablemodel.h"
#include "widgettestutil.h"

#include <QSortFilterProxyModel>
#include <QtTest>

using namespace qs::gui;

class TestLayerTableModel : public QObject {
    Q_OBJECT
private slots:
    void rowsFromDocument();
    void analysisColumnsFromRows();
    void sortsNumerically();
};

void TestLayerTableModel::rowsFromDocument()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    LayerTableModel model;
    model.setRows(layerRowsFromDocument(document.doc()));
    const auto& layers = document.doc().layers();
    QCOMPARE(model.rowCount(), static_cast<int>(layers.size()));
    for (int r = 0; r < model.rowCount(); ++r) {
        const qs::Layer& layer = layers[static_cast<std::size_t>(r)];
        QCOMPARE(model.index(r, LayerTableModel::Name).data().toString(), QString::fromStdString(layer.name));
        QVERIFY(layer.outputShape && layer.dotProductLength);
        double macs = static_cast<double>(*layer.dotProductLength);
        for (auto d : *layer.outputShape)
            macs *= static_cast<double>(d);
        QCOMPARE(model.index(r, LayerTableModel::Macs).data(LayerTableModel::SortRole).toDouble(), macs);
        QCOMPARE(
            model.index(r, LayerTableModel::K).data().toString(), QString::number(*layer.dotProductLength));
    }
    // ResNet-8 w4a4: 4-bit weights on every conv.
    QCOMPARE(model.index(1, LayerTableModel::WeightBits).data().toString(), QStringLiteral("4"));
}

void TestLayerTableModel::analysisColumnsFromRows()
{
    LayerTableModel model;
    LayerRow row;
    row.name = QStringLiteral("conv");
    row.bops = 2.5e9;
    row.accumulatorBits = 19;
    row.overflowRisk = QStringLiteral("none");
    row.sqnrDb = 31.25;
    model.setRows({row});
    QCOMPARE(model.index(0, LayerTableModel::Bops).data().toString(), QStringLiteral("2.50G"));
    QCOMPARE(model.index(0, LayerTableModel::AccBits).data().toString(), QStringLiteral("19"));
    QCOMPARE(model.index(0, LayerTableModel::Risk).data().toString(), QStringLiteral("none"));
    QCOMPARE(model.index(0, LayerTableModel::Sqnr).data().toString(), QStringLiteral("31.3"));
    QCOMPARE(model.index(0, LayerTableModel::Macs).data().toString(), QString());
}

void TestLayerTableModel::sortsNumerically()
{
    LayerTableModel model;
    std::vector<LayerRow> rows(3);
    rows[0].macs = 9e3;
    rows[1].macs = 1e6;
    rows[2].macs = 50;
    model.setRows(rows);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(LayerTableModel::SortRole);
    proxy.sort(LayerTableModel::Macs, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, LayerTableModel::Macs).data().toString(), QStringLiteral("1.00M"));
    QCOMPARE(proxy.index(2, LayerTableModel::Macs).data().toString(), QStringLiteral("50"));
}

QTEST_MAIN(TestLayerTableModel)
#include "tst_layertablemodel.moc"
