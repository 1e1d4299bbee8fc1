// The layer table: one row per layer with bits, K and MACs = prod(output shape) * K; analysis
// columns (BOPs, accumulator bits per method, headroom, risk, SQNR) come from setRows() with
// colours for risk, overflow and low SQNR; sorting is numeric.
#include "widgets/layertablemodel.h"
#include "widgets/metriccolours.h"
#include "widgettestutil.h"

#include <QSortFilterProxyModel>
#include <QtTest>

#include <limits>

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
    model.setDivergenceThresholdDb(20);
    LayerRow row;
    row.name = QStringLiteral("conv");
    row.bops = 2.5e9;
    row.accDataTypeBits = 21;
    row.accA2qBits = 20;
    row.accExactBits = 19;
    row.accObservedBits = 15;
    row.accBits = 16;
    row.headroomBits = -3;
    row.risk = qs::RiskClass::Possible;
    row.sqnrDb = 12.25;
    LayerRow exact = row;
    exact.name = QStringLiteral("identical");
    exact.sqnrDb = std::numeric_limits<double>::infinity();
    exact.risk = qs::RiskClass::Safe;
    model.setRows({row, exact});
    QCOMPARE(model.index(0, LayerTableModel::Bops).data().toString(), QStringLiteral("2.50G"));
    QCOMPARE(model.index(0, LayerTableModel::AccDataType).data().toString(), QStringLiteral("21"));
    QCOMPARE(model.index(0, LayerTableModel::AccA2q).data().toString(), QStringLiteral("20"));
    QCOMPARE(model.index(0, LayerTableModel::AccA2qPlus).data().toString(), QString()); // n/a
    QCOMPARE(model.index(0, LayerTableModel::AccExact).data().toString(), QStringLiteral("19"));
    QCOMPARE(model.index(0, LayerTableModel::AccObserved).data().toString(), QStringLiteral("15"));
    QCOMPARE(model.index(0, LayerTableModel::Headroom).data().toString(), QStringLiteral("-3"));
    QCOMPARE(model.index(0, LayerTableModel::Risk).data().toString(), QStringLiteral("possible"));
    QCOMPARE(model.index(0, LayerTableModel::Sqnr).data().toString(), QStringLiteral("12.3"));
    QCOMPARE(model.index(1, LayerTableModel::Sqnr).data().toString(), QStringLiteral("∞"));
    QCOMPARE(model.index(0, LayerTableModel::Macs).data().toString(), QString());
    // Colours: the risk class, an overflowing headroom, an SQNR under the threshold.
    QCOMPARE(model.index(0, LayerTableModel::Risk).data(Qt::BackgroundRole).value<QColor>(),
        riskColour(qs::RiskClass::Possible));
    QVERIFY(model.index(0, LayerTableModel::Headroom).data(Qt::BackgroundRole).isValid());
    QVERIFY(model.index(0, LayerTableModel::Sqnr).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(1, LayerTableModel::Sqnr).data(Qt::BackgroundRole).isValid());
    model.setDivergenceThresholdDb(10);
    QVERIFY(!model.index(0, LayerTableModel::Sqnr).data(Qt::BackgroundRole).isValid());
    // Risk sorts by severity, infinite SQNR above every number.
    QVERIFY(model.index(0, LayerTableModel::Risk).data(LayerTableModel::SortRole).toInt()
        > model.index(1, LayerTableModel::Risk).data(LayerTableModel::SortRole).toInt());
    QVERIFY(model.index(1, LayerTableModel::Sqnr).data(LayerTableModel::SortRole).toDouble()
        > model.index(0, LayerTableModel::Sqnr).data(LayerTableModel::SortRole).toDouble());
    // Stale analysis values are greyed.
    QVERIFY(!model.index(0, LayerTableModel::AccExact).data(Qt::ForegroundRole).isValid());
    model.setAnalysisStale(true);
    QVERIFY(model.index(0, LayerTableModel::AccExact).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model.index(0, LayerTableModel::Name).data(Qt::ForegroundRole).isValid());
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
