// Live analysis: the controller analyses the model after loading and after every edit (debounced, on
// a snapshot), drops stale runs, and the table, the graph overlay and first divergence show exactly
// the numbers of the analysis (qs::ModelAnalysis, the same structures `quantscope-cli analyze` prints).
#include "core/exec/inputgenerator.h"
#include "core/tensorio/npy.h"
#include "widgets/analysiscontroller.h"
#include "widgets/commands/fitaccumulatorcommand.h"
#include "widgets/graphnodeitem.h"
#include "widgets/graphscene.h"
#include "widgets/layertable.h"
#include "widgets/layertablemodel.h"
#include "widgets/metriccolours.h"
#include "widgets/overlaylegend.h"
#include "widgets/taskrunner.h"
#include "widgettestutil.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace qs::gui;
using AnalysisPtr = std::shared_ptr<const qs::ModelAnalysis>;

class TestAnalysisController : public QObject {
    Q_OBJECT
private slots:
    void readyFillsTable();
    void editLowersSqnr();
    void rapidEditsDeliverOnlyTheLast();
    void editDuringRunCancelsIt();
    void accBitsChangeHeadroomAndRisk();
    void firstDivergenceSelectsNode();
    void fitAccumulatorUndoIsByteIdentical();
    void overlayMatchesAnalysis();
    void inputFilesFeedTheRun();
};

namespace {

const char* const kModel = "resnet8_cifar10_w4a4.onnx";

// A document, its analysis controller and a layer table fed by it, wired as the main window does.
struct LiveTable {
    QuantDocument document;
    AnalysisController controller {&document};
    LayerTable table {&document};
    LiveTable()
    {
        QObject::connect(&controller, &AnalysisController::analysisReady, &table,
            [this](AnalysisPtr current, AnalysisPtr) { table.setAnalysis(current); });
    }
};

// The next analysisReady with a non-null analysis.
std::shared_ptr<const qs::ModelAnalysis> waitForAnalysis(
    AnalysisController& controller, int timeoutMs = 180000)
{
    QSignalSpy ready(&controller, &AnalysisController::analysisReady);
    QSignalSpy failed(&controller, &AnalysisController::analysisFailed);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (!failed.isEmpty())
            qWarning() << "analysis failed:" << failed.front().front().toString();
        if (!failed.isEmpty())
            return nullptr;
        for (const QList<QVariant>& args : ready)
            if (auto a = args.front().value<std::shared_ptr<const qs::ModelAnalysis>>())
                return a;
        ready.wait(200);
    }
    return nullptr;
}

// A layer with a weight quantizer, finite SQNR and an integer accumulator.
int analysedLayer(const qs::ModelDocument& doc, const qs::ModelAnalysis& a)
{
    for (const qs::LayerSummary& s : a.layers)
        if (doc.layers()[static_cast<std::size_t>(s.layer)].weightQuantizer >= 0 && s.sqnrDb
            && std::isfinite(*s.sqnrDb) && s.accApplicable && s.layer > 0)
            return s.layer;
    return -1;
}

QVariant cell(const LayerTableModel& model, int row, int column, int role = LayerTableModel::SortRole)
{
    return model.index(row, column).data(role);
}

} // namespace

void TestAnalysisController::readyFillsTable()
{
    LiveTable live;
    QuantDocument& document = live.document;
    AnalysisController& controller = live.controller;
    LayerTable& table = live.table;
    test::load(document, kModel);
    QVERIFY(controller.isBusy());
    const auto a = waitForAnalysis(controller);
    QVERIFY(a);
    QVERIFY(!controller.isBusy());
    QCOMPARE(controller.analysesDelivered(), 1);
    QVERIFY(controller.lastLatencyMs() > 0);
    QCOMPARE(controller.current(), a);
    QCOMPARE(controller.baseline(), a); // nothing edited: the baseline is the current analysis
    QCOMPARE(a->accumulator.options.accBits, 32);

    const LayerTableModel& model = *table.model();
    QCOMPARE(model.rowCount(), static_cast<int>(a->layers.size()));
    QVERIFY(!model.isAnalysisStale());
    int withSqnr = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const qs::LayerSummary& s = a->layers[static_cast<std::size_t>(r)];
        QCOMPARE(cell(model, r, LayerTableModel::Name).toString(), QString::fromStdString(s.name));
        QCOMPARE(cell(model, r, LayerTableModel::Bops).toDouble(), s.bopsQonnx);
        QCOMPARE(cell(model, r, LayerTableModel::Risk, Qt::DisplayRole).toString(),
            QString::fromLatin1(qs::riskClassLabel(s.risk)));
        if (s.accApplicable) {
            QCOMPARE(cell(model, r, LayerTableModel::AccDataType).toInt(), s.accDataTypeBits);
            QCOMPARE(cell(model, r, LayerTableModel::AccExact).toInt(), s.accExactBits);
            QCOMPARE(cell(model, r, LayerTableModel::Headroom).toInt(), 32 - s.accExactBits);
            if (s.accA2qBits >= 0)
                QCOMPARE(cell(model, r, LayerTableModel::AccA2q).toInt(), s.accA2qBits);
            if (s.accA2qPlusBits >= 0)
                QCOMPARE(cell(model, r, LayerTableModel::AccA2qPlus).toInt(), s.accA2qPlusBits);
            if (s.accObservedBits >= 0)
                QCOMPARE(cell(model, r, LayerTableModel::AccObserved).toInt(), s.accObservedBits);
        }
        if (s.sqnrDb && std::isfinite(*s.sqnrDb)) {
            QCOMPARE(cell(model, r, LayerTableModel::Sqnr).toDouble(), *s.sqnrDb);
            QCOMPARE(cell(model, r, LayerTableModel::Sqnr, Qt::DisplayRole).toString(),
                QString::number(*s.sqnrDb, 'f', 1));
            ++withSqnr;
        }
    }
    QVERIFY(withSqnr > 3);
    // Observed accumulator widths come from the run (batch 16 by default).
    QVERIFY(
        std::any_of(a->layers.begin(), a->layers.end(), [](const auto& s) { return s.accObservedBits > 0; }));
}

void TestAnalysisController::editLowersSqnr()
{
    LiveTable live;
    QuantDocument& document = live.document;
    AnalysisController& controller = live.controller;
    LayerTable& table = live.table;
    test::load(document, kModel);
    const auto before = waitForAnalysis(controller);
    QVERIFY(before);
    const int layer = analysedLayer(document.doc(), *before);
    QVERIFY(layer >= 0);
    const double sqnrBefore = *before->layers[static_cast<std::size_t>(layer)].sqnrDb;

    qs::QuantizerEdit edit;
    edit.bitWidth = 2;
    QCOMPARE(document.editQuantizer(
                 document.doc().layers()[static_cast<std::size_t>(layer)].weightQuantizer, edit),
        QString());
    QVERIFY(table.model()->isAnalysisStale()); // old numbers greyed until the new ones land
    QVERIFY(controller.isBusy());
    const auto after = waitForAnalysis(controller);
    QVERIFY(after);
    QVERIFY(after != before);
    QCOMPARE(controller.baseline(), before); // the document as loaded
    QCOMPARE(*after->layers[static_cast<std::size_t>(layer)].weightBits, 2.0);
    const double sqnrAfter = *after->layers[static_cast<std::size_t>(layer)].sqnrDb;
    QVERIFY2(sqnrAfter < sqnrBefore - 3,
        qPrintable(QStringLiteral("%1 dB -> %2 dB").arg(sqnrBefore).arg(sqnrAfter)));
    QVERIFY(!table.model()->isAnalysisStale());
    QCOMPARE(cell(*table.model(), layer, LayerTableModel::Sqnr).toDouble(), sqnrAfter);
    QCOMPARE(cell(*table.model(), layer, LayerTableModel::WeightBits, Qt::DisplayRole).toString(),
        QStringLiteral("2"));

    // Undo returns to the loaded document, whose analysis is the baseline.
    document.undoStack()->undo();
    const auto undone = waitForAnalysis(controller);
    QVERIFY(undone);
    QCOMPARE(*undone->layers[static_cast<std::size_t>(layer)].sqnrDb, sqnrBefore);
}

void TestAnalysisController::rapidEditsDeliverOnlyTheLast()
{
    QuantDocument document;
    AnalysisController controller(&document);
    test::load(document, kModel);
    QVERIFY(waitForAnalysis(controller));
    const int q = document.doc().layers()[1].weightQuantizer;
    QVERIFY(q >= 0);
    QSignalSpy ready(&controller, &AnalysisController::analysisReady);
    for (int bits : {8, 7, 6, 5, 3}) { // faster than the debounce
        qs::QuantizerEdit edit;
        edit.bitWidth = bits;
        QCOMPARE(document.editQuantizer(q, edit), QString());
    }
    const auto a = waitForAnalysis(controller);
    QVERIFY(a);
    QTest::qWait(2 * controller.debounceMs() + 300); // nothing else arrives
    QCOMPARE(ready.count(), 1);
    QCOMPARE(*a->layers[1].weightBits, 3.0);
    QCOMPARE(controller.analysesDelivered(), 2); // load + the burst
}

void TestAnalysisController::editDuringRunCancelsIt()
{
    QuantDocument document;
    AnalysisController controller(&document);
    test::load(document, kModel);
    QVERIFY(waitForAnalysis(controller));
    const int q = document.doc().layers()[2].weightQuantizer;
    QSignalSpy ready(&controller, &AnalysisController::analysisReady);
    QSignalSpy started(controller.runner(), &TaskRunner::started);
    qs::QuantizerEdit edit;
    edit.bitWidth = 3;
    QCOMPARE(document.editQuantizer(q, edit), QString());
    QVERIFY(started.wait(10000)); // the debounce is over, the run is under way
    edit.bitWidth = 2;
    QCOMPARE(document.editQuantizer(q, edit), QString()); // before the run can deliver
    const auto a = waitForAnalysis(controller);
    QVERIFY(a);
    QTest::qWait(2 * controller.debounceMs() + 300);
    QCOMPARE(ready.count(), 1); // the stale run's result was dropped
    QCOMPARE(started.count(), 2);
    QCOMPARE(*a->layers[2].weightBits, 2.0);
}

void TestAnalysisController::accBitsChangeHeadroomAndRisk()
{
    LiveTable live;
    QuantDocument& document = live.document;
    AnalysisController& controller = live.controller;
    LayerTable& table = live.table;
    test::load(document, kModel);
    const auto wide = waitForAnalysis(controller);
    QVERIFY(wide);
    controller.setAccumulatorBits(12);
    const auto narrow = waitForAnalysis(controller);
    QVERIFY(narrow);
    QCOMPARE(narrow->accumulator.options.accBits, 12);
    QCOMPARE(controller.baseline(), narrow); // the baseline follows the settings
    int unsafe = 0;
    for (const qs::LayerSummary& s : narrow->layers) {
        const int row = s.layer;
        QCOMPARE(cell(*table.model(), row, LayerTableModel::Risk, Qt::DisplayRole).toString(),
            QString::fromLatin1(qs::riskClassLabel(s.risk)));
        if (!s.accApplicable)
            continue;
        QCOMPARE(cell(*table.model(), row, LayerTableModel::Headroom).toInt(), 12 - s.accExactBits);
        QCOMPARE(wide->layers[static_cast<std::size_t>(row)].risk, qs::RiskClass::Safe);
        if (s.accExactBits > 12) {
            QVERIFY(s.risk != qs::RiskClass::Safe);
            QCOMPARE(cell(*table.model(), row, LayerTableModel::Headroom, Qt::BackgroundRole).value<QColor>(),
                severityColour(1.0));
            ++unsafe;
        }
    }
    QVERIFY(unsafe > 0);
}

void TestAnalysisController::firstDivergenceSelectsNode()
{
    QuantDocument document;
    GraphWidget graph(&document);
    AnalysisController controller(&document);
    test::load(document, kModel);
    QVERIFY(test::waitForLayout(graph));
    const auto a = waitForAnalysis(controller);
    QVERIFY(a && a->error);
    // At the analysis' own threshold the controller agrees with the core's first divergence.
    const int coreFirst = a->error->firstDivergence;
    QCOMPARE(controller.firstDivergence(),
        coreFirst < 0 ? -1 : a->error->layers[static_cast<std::size_t>(coreFirst)].layer);
    // A threshold above every layer's SQNR: the first analysed layer in topological order.
    controller.setDivergenceThresholdDb(1000);
    int expected = -1;
    for (const qs::LayerError& e : a->error->layers)
        if (e.available && !std::isnan(e.output.sqnrDb) && e.output.sqnrDb < 1000) {
            expected = e.layer;
            break;
        }
    QVERIFY(expected >= 0);
    QCOMPARE(controller.firstDivergence(), expected);
    const int node = controller.firstDivergenceNode();
    QCOMPARE(node, document.doc().layers()[static_cast<std::size_t>(expected)].node);
    document.setCurrentNode(node); // what the button does
    QCOMPARE(graph.scene()->selectedBox(), graph.scene()->boxOfNode(node));
    // A threshold below every layer: none.
    controller.setDivergenceThresholdDb(-1000);
    QCOMPARE(controller.firstDivergence(), -1);
    QCOMPARE(controller.firstDivergenceNode(), -1);
}

void TestAnalysisController::fitAccumulatorUndoIsByteIdentical()
{
    QuantDocument document;
    AnalysisController controller(&document);
    test::load(document, kModel);
    QVERIFY(waitForAnalysis(controller));
    controller.setAccumulatorBits(14);
    const auto before = waitForAnalysis(controller);
    QVERIFY(before);
    QVERIFY(std::any_of(before->layers.begin(), before->layers.end(),
        [](const qs::LayerSummary& s) { return s.accApplicable && s.accExactBits > 14; }));
    const std::string original = document.doc().serialize();

    qs::FitOptions options;
    options.accBits = controller.accumulatorBits();
    qs::FitReport report;
    QCOMPARE(FitAccumulatorCommand::fit(&document, options, report), QString());
    QVERIFY(!report.record.empty());
    QCOMPARE(document.undoStack()->count(), 1); // one undo step
    const std::string fitted = document.doc().serialize();
    QVERIFY(fitted != original);
    const auto after = waitForAnalysis(controller);
    QVERIFY(after);
    for (const qs::LayerSummary& s : after->layers)
        if (s.accApplicable)
            QVERIFY2(s.accExactBits <= 14, s.name.c_str());

    document.undoStack()->undo();
    QVERIFY(document.doc().serialize() == original);
    QVERIFY(!document.isModified());
    document.undoStack()->redo();
    QVERIFY(document.doc().serialize() == fitted);
    document.undoStack()->undo();
    QVERIFY(document.doc().serialize() == original);
}

void TestAnalysisController::overlayMatchesAnalysis()
{
    QuantDocument document;
    GraphWidget graph(&document);
    AnalysisController controller(&document);
    connect(&controller, &AnalysisController::analysisReady, &graph,
        [&graph](AnalysisPtr current, AnalysisPtr) { graph.setAnalysis(current); });
    test::load(document, kModel);
    QVERIFY(test::waitForLayout(graph));
    controller.setAccumulatorBits(16);
    const auto a = waitForAnalysis(controller);
    QVERIFY(a && a->error);
    const GraphScene& scene = *graph.scene();
    const auto& layers = document.doc().layers();

    graph.setOverlay(GraphOverlay::Sqnr);
    QVERIFY(!graph.legend()->isHidden());
    QVERIFY(!graph.legend()->contents().ramp.empty());
    int compared = 0;
    for (const qs::LayerSummary& s : a->layers) {
        const int box = scene.boxOfNode(layers[static_cast<std::size_t>(s.layer)].node);
        QVERIFY(box >= 0);
        const double v = graph.overlayResult().values[static_cast<std::size_t>(box)];
        if (!s.sqnrDb) {
            QVERIFY(std::isnan(v));
            continue;
        }
        QCOMPARE(v, *s.sqnrDb);
        QVERIFY(graph.overlayResult().colours[static_cast<std::size_t>(box)].isValid());
        ++compared;
    }
    QVERIFY(compared > 3);

    graph.setOverlay(GraphOverlay::Risk);
    QVERIFY(graph.legend()->contents().swatches.size() == 4);
    for (const qs::LayerSummary& s : a->layers) {
        const auto box
            = static_cast<std::size_t>(scene.boxOfNode(layers[static_cast<std::size_t>(s.layer)].node));
        QCOMPARE(graph.overlayResult().values[box], static_cast<double>(s.risk));
        QCOMPARE(graph.overlayResult().colours[box], riskColour(s.risk));
        QCOMPARE(scene.box(static_cast<int>(box))->tint(), riskColour(s.risk));
    }

    graph.setOverlay(GraphOverlay::Headroom);
    for (const qs::LayerSummary& s : a->layers) {
        const auto box
            = static_cast<std::size_t>(scene.boxOfNode(layers[static_cast<std::size_t>(s.layer)].node));
        if (s.accApplicable)
            QCOMPARE(graph.overlayResult().values[box], 16.0 - s.accExactBits);
    }

    graph.setOverlay(GraphOverlay::Bops);
    for (const qs::LayerSummary& s : a->layers) {
        const auto box
            = static_cast<std::size_t>(scene.boxOfNode(layers[static_cast<std::size_t>(s.layer)].node));
        if (s.bopsQonnx > 0)
            QCOMPARE(graph.overlayResult().values[box], s.bopsQonnx);
    }

    // A new analysis (after an edit) refreshes the overlay without a new layout.
    graph.setOverlay(GraphOverlay::Sqnr);
    const auto layer = static_cast<std::size_t>(analysedLayer(document.doc(), *a));
    const int node = layers[layer].node;
    qs::QuantizerEdit edit;
    edit.bitWidth = 2;
    QCOMPARE(document.editQuantizer(layers[layer].weightQuantizer, edit), QString()); // rebuilds `layers`
    const auto edited = waitForAnalysis(controller);
    QVERIFY(edited);
    const auto box = static_cast<std::size_t>(scene.boxOfNode(node));
    QCOMPARE(graph.overlayResult().values[box], *edited->layers[layer].sqnrDb);
    QCOMPARE(graph.layoutCache().layoutsComputed(), 1);
}

void TestAnalysisController::inputFilesFeedTheRun()
{
    QuantDocument document;
    AnalysisController controller(&document);
    test::load(document, kModel);
    QVERIFY(waitForAnalysis(controller));
    const std::string input = document.doc().tensor(document.doc().graph().graphInputs().front()).name;

    // The same tensors as seed 7's random data, from an .npy file: the same numbers as seed 7.
    QTemporaryDir dir;
    const QString npy = dir.filePath(QStringLiteral("x.npy"));
    qs::writeNpy(npy.toStdString(), qs::randomInputs(document.doc(), 7, 4).at(input));
    AnalysisSettings settings = controller.settings();
    settings.seed = 7;
    settings.batch = 4;
    controller.setSettings(settings);
    const auto random = waitForAnalysis(controller);
    QVERIFY(random);
    settings.seed = 0;
    settings.inputFiles.insert(QString::fromStdString(input), {npy});
    controller.setSettings(settings);
    const auto fromFile = waitForAnalysis(controller);
    QVERIFY(fromFile);
    for (std::size_t i = 0; i < fromFile->layers.size(); ++i)
        QCOMPARE(fromFile->layers[i].sqnrDb.has_value(), random->layers[i].sqnrDb.has_value());
    QCOMPARE(*fromFile->layers[1].sqnrDb, *random->layers[1].sqnrDb);

    // Two images: a batch of two.
    QStringList images;
    for (int i = 0; i < 2; ++i) {
        QImage image(40, 30, QImage::Format_RGB888);
        image.fill(QColor(40 + 100 * i, 120, 200 - 80 * i));
        images << dir.filePath(QStringLiteral("img%1.png").arg(i));
        QVERIFY(image.save(images.back()));
    }
    settings.inputFiles.insert(QString::fromStdString(input), images);
    controller.setSettings(settings);
    const auto fromImages = waitForAnalysis(controller);
    QVERIFY(fromImages);
    QVERIFY(fromImages->layers[1].sqnrDb.has_value());

    // A file that does not load fails the analysis with a message naming it.
    settings.inputFiles.insert(QString::fromStdString(input), {dir.filePath(QStringLiteral("missing.npy"))});
    QSignalSpy failed(&controller, &AnalysisController::analysisFailed);
    controller.setSettings(settings);
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.front().front().toString().contains(QStringLiteral("missing.npy")),
        qPrintable(failed.front().front().toString()));
    QVERIFY(!controller.isBusy());
}

QTEST_MAIN(TestAnalysisController)
#include "tst_analysiscontroller.moc"
