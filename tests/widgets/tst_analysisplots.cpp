// The analysis plots draw exactly what qs::analyzeModel computed: one SQNR bar per layer at sqnrDb
// (warnings under the threshold), BOPs before/after with the sums of bopsUniq in the title, the
// accumulator bars coloured by risk class with the P line where setAccumulatorBits() put it, and the
// log2|x| boxes of weights and inputs (first layer's input included) over grey bands at each
// quantizer's representable range (computed here from scale and qmin/qmax, not by the plot's code).
// Clicks activate layers, tooltips carry exact values, exports write real PNG/SVG/PDF files and the
// CSV export round-trips. Screenshots of every plot land in /tmp/quantscope-plots.
#include "core/analysis/modelanalysis.h"
#include "core/edit/quantizeredit.h"
#include "core/model/modeldocument.h"
#include "core/util/error.h"
#include "widgets/analysisplots.h"
#include "widgets/plotexport.h"
#include "widgets/plots/accumulatorplot.h"
#include "widgets/plots/bopsplot.h"
#include "widgets/plots/plotformat.h"
#include "widgets/plots/rangeboxplot.h"
#include "widgets/plots/sqnrplot.h"

#include <QDir>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <memory>

using namespace qs::gui;

namespace {

QString modelPath(const char* name)
{
    return QStringLiteral(QS_TEST_DATA_DIR "/models/") + QLatin1String(name);
}

struct Analysed {
    std::unique_ptr<qs::ModelDocument> doc;
    std::shared_ptr<const qs::ModelAnalysis> analysis;
};

Analysed analyse(const char* model, int accBits = 32, bool dynamic = true)
{
    Analysed a;
    a.doc = qs::ModelDocument::load(modelPath(model).toStdString());
    qs::AnalysisOptions options;
    options.batch = 4;
    options.seed = 1;
    options.dynamic = dynamic;
    options.accumulator.accBits = accBits;
    a.analysis = std::make_shared<const qs::ModelAnalysis>(qs::analyzeModel(*a.doc, options));
    return a;
}

// key -> value of a bar chart or graph.
template <class Plottable> std::map<double, double> points(const Plottable* p)
{
    std::map<double, double> out;
    if (!p)
        return out;
    for (auto it = p->data()->constBegin(); it != p->data()->constEnd(); ++it)
        out[it->key] = it->value;
    return out;
}

const QCPStatisticalBoxData* boxAt(const QCPStatisticalBox* boxes, double key)
{
    for (auto it = boxes->data()->constBegin(); it != boxes->data()->constEnd(); ++it)
        if (std::abs(it->key - key) < 1e-9)
            return &*it;
    return nullptr;
}

// The representable magnitudes of an integer quantizer, log2(scale · 1) to log2(scale · largest code),
// over all channels — written out here so that the plot's bands are checked against independent math.
std::optional<std::pair<double, double>> expectedBand(const qs::Quantizer& q)
{
    if (q.kind == qs::QuantizerKind::FloatQuant || q.kind == qs::QuantizerKind::Trunc || !q.scale.known
        || q.scale.values.empty() || !q.qmin || !q.qmax)
        return std::nullopt;
    double low = INFINITY, high = 0;
    const std::size_t channels = std::max<std::size_t>(q.scale.values.size(), q.zeroPoint.values.size());
    for (std::size_t c = 0; c < channels; ++c) {
        const double s = std::abs(q.scale.values[c % q.scale.values.size()]);
        const double zp
            = q.zeroPoint.values.empty() ? 0.0 : q.zeroPoint.values[c % q.zeroPoint.values.size()];
        const double largestCode = std::max(std::abs(*q.qmax - zp), std::abs(*q.qmin - zp));
        low = std::min(low, s);
        high = std::max(high, s * largestCode);
    }
    return std::pair {std::log2(low), std::log2(high)};
}

// A minimal RFC 4180 reader for the round trip.
QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void showSized(QWidget& w, int width, int height)
{
    w.resize(width, height);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
}

} // namespace

class TestAnalysisPlots : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void formatting();
    void sqnrBarsAreTheLayerSqnr_data();
    void sqnrBarsAreTheLayerSqnr();
    void sqnrEmptyWithoutError();
    void bopsBeforeAfter();
    void accumulatorBarsRiskAndP();
    void accumulatorNotApplicable();
    void rangeBoxesAndBands_data();
    void rangeBoxesAndBands();
    void clickActivatesAndHoverTellsValues();
    void analysisPlotsWidget();
    void exportsPlots();
    void exportRefusesBadTargets();
    void csvRoundTrips();
    void screenshots();

private:
    const Analysed& model(const QString& name) const { return models_.at(name); }
    std::map<QString, Analysed> models_;
};

void TestAnalysisPlots::initTestCase()
{
    // resnet8 at P = 12 has safe, possible and observed layers.
    models_.emplace(QStringLiteral("resnet8"), analyse("resnet8_cifar10_w4a4.onnx", 12));
    models_.emplace(QStringLiteral("tfc"), analyse("tfc_w2a2.onnx"));
    models_.emplace(QStringLiteral("vww_qcdq"), analyse("vww_mobilenet128_qcdq.onnx", 20));
    for (const auto& [name, a] : models_)
        QVERIFY2(!a.analysis->layers.empty() && a.analysis->error, qPrintable(name));
}

void TestAnalysisPlots::formatting()
{
    QCOMPARE(formatSi(1.234e9), QStringLiteral("1.23 G"));
    QCOMPARE(formatSi(812e6), QStringLiteral("812 M"));
    QCOMPARE(formatSi(17), QStringLiteral("17"));
    QCOMPARE(formatWithSiExponent(0.81e9, 9), QStringLiteral("0.81 G"));
    QCOMPARE(formatChangePercent(1.23e9, 0.81e9), QStringLiteral("\u221234 %"));
    QCOMPARE(formatChangePercent(100, 105.2), QStringLiteral("+5.2 %"));
    QCOMPARE(formatChangePercent(100, 100), QStringLiteral("±0 %"));
    QCOMPARE(BopsPlot::totalsTitle(0.81e9, 1.23e9), QStringLiteral("BOPs 1.23 G → 0.81 G (\u221234 %)"));
    QCOMPARE(BopsPlot::totalsTitle(0.81e9, std::nullopt), QStringLiteral("BOPs 810 M"));
    QCOMPARE(
        elideLayerLabel(QStringLiteral("/features/features.12/Conv"), 12), QStringLiteral("…res.12/Conv"));
    QCOMPARE(layerDisplayName("", "Gemm", 3), QStringLiteral("Gemm #3"));
    // Tick labels: the fewest trailing path segments that keep layers apart, op type dropped.
    QCOMPARE(shortLayerLabels(
                 {"/features/features.0/Conv", "/features/features.3/Conv", "/classifier/classifier.0/Conv"},
                 {"Conv", "Conv", "Conv"}),
        (QStringList {"features.0", "features.3", "classifier.0"}));
    QCOMPARE(shortLayerLabels({"/layer1/layer1.0/conv1/Conv", "/layer2/layer2.0/conv1/Conv", "/fc/Gemm"},
                 {"Conv", "Conv", "Gemm"}),
        (QStringList {"layer1.0/conv1", "layer2.0/conv1", "fc"}));
    QCOMPARE(shortLayerLabels({"Conv_0", "MatMul_1", "Gemm #2"}, {"Conv", "MatMul", "Gemm"}),
        (QStringList {"Conv_0", "MatMul_1", "Gemm #2"}));
}

void TestAnalysisPlots::sqnrBarsAreTheLayerSqnr_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : {"resnet8", "tfc", "vww_qcdq"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAnalysisPlots::sqnrBarsAreTheLayerSqnr()
{
    QFETCH(QString, name);
    const Analysed& a = model(name);
    SqnrPlot plot;
    plot.setAnalysis(a.analysis);
    QVERIFY(plot.emptyText().isEmpty());
    QCOMPARE(plot.layerCount(), static_cast<int>(a.doc->layers().size()));
    QCOMPARE(plot.thresholdDb(), 20.0);
    const auto ok = points(plot.okBars());
    const auto warn = points(plot.warningBars());
    QCOMPARE(static_cast<int>(ok.size() + warn.size()), plot.layerCount()); // one bar per layer
    for (const qs::LayerSummary& row : a.analysis->layers) {
        QVERIFY(row.sqnrDb);
        const double key = plot.positionOfLayer(row.layer);
        const bool below = *row.sqnrDb < 20.0;
        const auto& bars = below ? warn : ok;
        QVERIFY2(bars.count(key), row.name.c_str());
        QCOMPARE(bars.at(key), std::isinf(*row.sqnrDb) ? plot.infiniteBarHeight() : *row.sqnrDb);
    }
    QCOMPARE(plot.okBars()->brush().color(), SqnrPlot::okColor());
    QCOMPARE(plot.warningBars()->brush().color(), SqnrPlot::warningColor());
    for (const auto& [key, value] : points(plot.thresholdLine()))
        QCOMPARE(value, 20.0);

    // A lower threshold moves bars out of the warning set.
    plot.setThresholdDb(0.0);
    int below = 0;
    for (const qs::LayerSummary& row : a.analysis->layers)
        below += *row.sqnrDb < 0.0;
    QCOMPARE(static_cast<int>(points(plot.warningBars()).size()), below);
    for (const auto& [key, value] : points(plot.thresholdLine()))
        QCOMPARE(value, 0.0);
}

void TestAnalysisPlots::sqnrEmptyWithoutError()
{
    const Analysed a = analyse("tfc_w2a2.onnx", 32, /*dynamic=*/false);
    QVERIFY(!a.analysis->error);
    SqnrPlot plot;
    QVERIFY(!plot.emptyText().isEmpty()); // no analysis yet
    plot.setAnalysis(a.analysis);
    QVERIFY(plot.emptyText().contains(QStringLiteral("static")));
    QCOMPARE(plot.plottableCount(), 0);
    // And back to data.
    plot.setAnalysis(model(QStringLiteral("tfc")).analysis);
    QVERIFY(plot.emptyText().isEmpty());
}

void TestAnalysisPlots::bopsBeforeAfter()
{
    auto doc = qs::ModelDocument::load(modelPath("tfc_w2a2.onnx").toStdString());
    qs::AnalysisOptions options;
    options.dynamic = false;
    const auto baseline = std::make_shared<const qs::ModelAnalysis>(qs::analyzeModel(*doc, options));
    // 2-bit weights of the second layer down to 1 bit, the third layer's up to 4.
    qs::setBitWidth(*doc, doc->layers()[1].weightQuantizer, 1);
    qs::setBitWidth(*doc, doc->layers()[2].weightQuantizer, 4);
    const auto current = std::make_shared<const qs::ModelAnalysis>(qs::analyzeModel(*doc, options));

    double before = 0, after = 0;
    for (const qs::LayerSummary& row : baseline->layers)
        before += row.bopsUniq;
    for (const qs::LayerSummary& row : current->layers)
        after += row.bopsUniq;
    QVERIFY(before > 0 && after > 0 && before != after);

    BopsPlot plot;
    plot.setAnalysis(current, baseline);
    QVERIFY(plot.hasBaseline());
    QCOMPARE(plot.totalBefore(), before);
    QCOMPARE(plot.totalAfter(), after);
    const int exponent = siExponent(std::max(before, after));
    const QString expectedTitle
        = QStringLiteral("BOPs %1 → %2 (%3)")
              .arg(formatWithSiExponent(before, exponent), formatWithSiExponent(after, exponent),
                  formatChangePercent(before, after));
    QCOMPARE(plot.titleText(), expectedTitle);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.legend->visible() && plot.legend->itemCount() == 2);
    const auto b = points(plot.baselineBars());
    const auto c = points(plot.currentBars());
    QCOMPARE(static_cast<int>(b.size()), static_cast<int>(doc->layers().size()));
    QCOMPARE(static_cast<int>(c.size()), static_cast<int>(doc->layers().size()));
    for (std::size_t i = 0; i < current->layers.size(); ++i) {
        QCOMPARE(c.at(double(i)), current->layers[i].bopsUniq);
        QCOMPARE(b.at(double(i)), baseline->layers[i].bopsUniq);
    }
    QVERIFY(c.at(1.0) < b.at(1.0));
    QVERIFY(c.at(2.0) > b.at(2.0));

    // Without a baseline (or the same analysis twice): one series, total only.
    plot.setAnalysis(current, current);
    QVERIFY(!plot.hasBaseline() && !plot.baselineBars());
    QCOMPARE(plot.titleText(), QStringLiteral("BOPs %1").arg(formatSi(after)));
}

void TestAnalysisPlots::accumulatorBarsRiskAndP()
{
    const Analysed& a = model(QStringLiteral("resnet8"));
    AccumulatorPlot plot;
    plot.setAnalysis(a.analysis);
    QCOMPARE(plot.accumulatorBits(), 12); // the analysis's P until one is chosen
    plot.setAccumulatorBits(12);

    std::map<qs::RiskClass, int> classes;
    std::size_t barCount = 0;
    for (qs::RiskClass risk : {qs::RiskClass::Safe, qs::RiskClass::Possible, qs::RiskClass::Unverified,
             qs::RiskClass::Observed, qs::RiskClass::NotApplicable}) {
        QVERIFY(plot.riskBars(risk));
        QCOMPARE(plot.riskBars(risk)->brush().color(), AccumulatorPlot::riskColor(risk));
        barCount += points(plot.riskBars(risk)).size();
    }
    QCOMPARE(barCount, a.analysis->layers.size()); // one bar per layer
    for (const qs::LayerSummary& row : a.analysis->layers) {
        ++classes[row.risk];
        const auto bars = points(plot.riskBars(row.risk));
        const double key = plot.positionOfLayer(row.layer);
        QVERIFY2(bars.count(key), row.name.c_str());
        QCOMPARE(bars.at(key), double(row.accExactBits));
        const auto markerAt = [&](AccumulatorPlot::Method m) {
            return points(plot.methodMarkers(m)).at(key + AccumulatorPlot::markerOffset(m));
        };
        QCOMPARE(markerAt(AccumulatorPlot::DataType), double(row.accDataTypeBits));
        QCOMPARE(markerAt(AccumulatorPlot::A2Q), double(row.accA2qBits));
        if (row.accA2qPlusBits >= 0)
            QCOMPARE(markerAt(AccumulatorPlot::A2QPlus), double(row.accA2qPlusBits));
        QVERIFY(row.accObservedBits >= 0);
        QCOMPARE(markerAt(AccumulatorPlot::Observed), double(row.accObservedBits));
    }
    // The example has three classes at P = 12, each in its colour family.
    QVERIFY(classes[qs::RiskClass::Safe] > 0 && classes[qs::RiskClass::Possible] > 0
        && classes[qs::RiskClass::Observed] > 0);
    const QColor safe = AccumulatorPlot::riskColor(qs::RiskClass::Safe);
    const QColor possible = AccumulatorPlot::riskColor(qs::RiskClass::Possible);
    const QColor observed = AccumulatorPlot::riskColor(qs::RiskClass::Observed);
    const QColor na = AccumulatorPlot::riskColor(qs::RiskClass::NotApplicable);
    QVERIFY(safe.green() > safe.red() && safe.green() > safe.blue());
    QVERIFY(possible.red() > possible.blue() && possible.green() > possible.blue() + 80); // amber
    QVERIFY(observed.red() > 2 * observed.green() && observed.red() > 2 * observed.blue());
    QVERIFY(na.red() == na.green() && na.green() == na.blue());

    for (const auto& [key, value] : points(plot.pLine()))
        QCOMPARE(value, 12.0);
    plot.setAccumulatorBits(16);
    QCOMPARE(plot.accumulatorBits(), 16);
    QVERIFY(!points(plot.pLine()).empty());
    for (const auto& [key, value] : points(plot.pLine()))
        QCOMPARE(value, 16.0);
    QVERIFY(plot.titleText().contains(QStringLiteral("P = 16")));
    QVERIFY(plot.titleText().contains(QStringLiteral("re-run"))); // colours are still for P = 12

    // A static analysis cannot observe: unsafe layers are unverified, no observed markers.
    const Analysed s = analyse("resnet8_cifar10_w4a4.onnx", 12, /*dynamic=*/false);
    plot.setAnalysis(s.analysis);
    QVERIFY(points(plot.methodMarkers(AccumulatorPlot::Observed)).empty());
    QVERIFY(!points(plot.riskBars(qs::RiskClass::Unverified)).empty());
    QVERIFY(points(plot.riskBars(qs::RiskClass::Observed)).empty());
}

void TestAnalysisPlots::accumulatorNotApplicable()
{
    // A float model has no integer accumulator anywhere: grey n/a bars with the reason on hover.
    const Analysed a = analyse("mnist_conv_float.onnx", 32, /*dynamic=*/false);
    AccumulatorPlot plot;
    showSized(plot, 700, 400);
    plot.setAnalysis(a.analysis);
    QCOMPARE(points(plot.riskBars(qs::RiskClass::NotApplicable)).size(), a.analysis->layers.size());
    const qs::LayerSummary& row = a.analysis->layers.front();
    QVERIFY(!row.accApplicable);
    plot.replot();
    const QString tip = plot.toolTipAt(plot.pixelOf(row.layer, 1));
    QVERIFY2(tip.contains(QStringLiteral("n/a")) && tip.contains(QString::fromStdString(row.accReason)),
        qPrintable(tip));
}

void TestAnalysisPlots::rangeBoxesAndBands_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : {"resnet8", "tfc", "vww_qcdq"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAnalysisPlots::rangeBoxesAndBands()
{
    QFETCH(QString, name);
    const Analysed& a = model(name);
    RangeBoxPlot plot;
    plot.setAnalysis(a.analysis);
    const auto& layers = a.doc->layers();
    QCOMPARE(plot.layerCount(), static_cast<int>(layers.size()));
    QCOMPARE(plot.yAxis->rangeReversed(), true); // first layer at the top

    std::map<std::pair<int, RangeBoxPlot::Operand>, RangeBoxPlot::Band> bands;
    for (const RangeBoxPlot::Band& band : plot.bands())
        bands[{band.layer, band.operand}] = band;
    int expectedBands = 0;
    for (const qs::LayerRanges& r : a.analysis->ranges.layers) {
        const qs::Layer& layer = layers[static_cast<std::size_t>(r.layer)];
        const std::pair<const std::optional<qs::TensorRange>*, RangeBoxPlot::Operand> operands[]
            = {{&r.weight, RangeBoxPlot::Weight}, {&r.input, RangeBoxPlot::Input}};
        for (const auto& [range, operand] : operands) {
            // Every layer has a weight and (after a run) a captured input, the first layer's included.
            QVERIFY2(range->has_value(), r.name.c_str());
            const qs::Log2Stats& s = (*range)->stats;
            const QCPStatisticalBoxData* box = boxAt(plot.boxes(operand), plot.boxKey(r.layer, operand));
            if (s.nonzeroCount() == 0) {
                QVERIFY(!box);
                continue;
            }
            QVERIFY2(box, r.name.c_str());
            QCOMPARE(box->minimum, s.p5Log2);
            QCOMPARE(box->lowerQuartile, s.p25Log2);
            QCOMPARE(box->median, s.medianLog2);
            QCOMPARE(box->upperQuartile, s.p75Log2);
            QCOMPARE(box->maximum, s.p95Log2);
            const int quantizer
                = operand == RangeBoxPlot::Weight ? layer.weightQuantizer : layer.inputQuantizer;
            const auto expected = quantizer >= 0
                ? expectedBand(a.doc->quantizers()[static_cast<std::size_t>(quantizer)])
                : std::nullopt;
            const auto it = bands.find({r.layer, operand});
            QCOMPARE(it != bands.end(), expected.has_value());
            if (!expected)
                continue;
            ++expectedBands;
            QVERIFY(std::abs(it->second.lowLog2 - expected->first) < 1e-9);
            QVERIFY(std::abs(it->second.highLog2 - expected->second) < 1e-9);
            // The grey rectangle spans exactly that range, around the box.
            // (a band of width 0, e.g. of a ternary quantizer, is widened a little to stay visible)
            QVERIFY(std::abs(it->second.item->topLeft->coords().x() - it->second.lowLog2) < 0.1);
            QVERIFY(std::abs(it->second.item->bottomRight->coords().x() - it->second.highLog2) < 0.1);
            QVERIFY(it->second.item->topLeft->coords().x() <= it->second.lowLog2);
            QVERIFY(it->second.item->bottomRight->coords().x() >= it->second.highLog2);
            QVERIFY(it->second.item->topLeft->coords().y() < plot.boxKey(r.layer, operand));
            QVERIFY(it->second.item->bottomRight->coords().y() > plot.boxKey(r.layer, operand));
        }
    }
    QCOMPARE(static_cast<int>(plot.bands().size()), expectedBands);
    // The first layer's input (the graph input or its quantizer's output) is drawn.
    const int first = a.analysis->ranges.layers.front().layer;
    QVERIFY(boxAt(plot.boxes(RangeBoxPlot::Input), plot.boxKey(first, RangeBoxPlot::Input)));
}

void TestAnalysisPlots::clickActivatesAndHoverTellsValues()
{
    const Analysed& a = model(QStringLiteral("resnet8"));
    SqnrPlot plot;
    showSized(plot, 900, 500);
    plot.setAnalysis(a.analysis);
    QSignalSpy spy(&plot, &AnalysisPlotBase::layerActivated);
    const qs::LayerSummary& row = a.analysis->layers[3];
    const QPoint pixel = plot.pixelOf(row.layer, *row.sqnrDb / 2);
    QCOMPARE(plot.layerAt(pixel), row.layer);
    QTest::mouseClick(&plot, Qt::LeftButton, {}, pixel);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), row.layer);
    const QString tip = plot.toolTipAt(pixel);
    QVERIFY2(tip.contains(QString::fromStdString(row.name)), qPrintable(tip));
    QVERIFY2(tip.contains(QString::number(*row.sqnrDb, 'f', 3)), qPrintable(tip));
    // Outside the axis rect: nothing.
    QTest::mouseClick(&plot, Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(spy.count(), 1);
    QVERIFY(plot.toolTipAt(QPoint(2, 2)).isEmpty());

    RangeBoxPlot boxes;
    showSized(boxes, 900, 600);
    boxes.setAnalysis(a.analysis);
    QSignalSpy boxSpy(&boxes, &AnalysisPlotBase::layerActivated);
    const qs::LayerRanges& r = a.analysis->ranges.layers[2];
    const QPoint boxPixel = boxes.pixelOf(r.layer, r.weight->stats.medianLog2);
    QTest::mouseClick(&boxes, Qt::LeftButton, {}, boxPixel);
    QCOMPARE(boxSpy.count(), 1);
    QCOMPARE(boxSpy.at(0).at(0).toInt(), r.layer);
    QVERIFY(boxes.toolTipAt(boxPixel).contains(QString::number(r.weight->stats.medianLog2, 'f', 3)));
}

void TestAnalysisPlots::analysisPlotsWidget()
{
    const Analysed& a = model(QStringLiteral("resnet8"));
    AnalysisPlots plots;
    showSized(plots, 1000, 560);
    QCOMPARE(plots.plotNames(), (QStringList {"sqnr", "bops", "accumulator", "ranges"}));
    QSet<QCustomPlot*> distinct;
    for (const QString& name : plots.plotNames()) {
        QVERIFY(plots.plot(name));
        distinct.insert(plots.plot(name));
    }
    QCOMPARE(distinct.size(), 4);
    QVERIFY(!plots.plot(QStringLiteral("nope")));
    plots.setAnalysis(a.analysis, nullptr);
    plots.setAccumulatorBits(14);
    QCOMPARE(plots.accumulatorPlot()->accumulatorBits(), 14);
    plots.showPlot(QStringLiteral("accumulator"));
    QCOMPARE(plots.currentPlotName(), QStringLiteral("accumulator"));
    plots.setCurrentLayer(2);
    for (const QString& name : plots.plotNames())
        QCOMPARE(static_cast<AnalysisPlotBase*>(plots.plot(name))->highlightedLayer(), 2);

    // A click in any plot is forwarded and highlights the layer everywhere.
    QSignalSpy spy(&plots, &AnalysisPlots::layerActivated);
    AccumulatorPlot* acc = plots.accumulatorPlot();
    QApplication::processEvents();
    const qs::LayerSummary& row = a.analysis->layers[5];
    QTest::mouseClick(acc, Qt::LeftButton, {}, acc->pixelOf(row.layer, row.accExactBits / 2.0));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), row.layer);
    QCOMPARE(plots.sqnrPlot()->highlightedLayer(), row.layer);

    plots.setAnalysis(nullptr, nullptr);
    for (const QString& name : plots.plotNames())
        QVERIFY(!static_cast<AnalysisPlotBase*>(plots.plot(name))->emptyText().isEmpty());
}

void TestAnalysisPlots::exportsPlots()
{
    QTemporaryDir dir;
    AccumulatorPlot plot;
    plot.resize(800, 450);
    plot.setAnalysis(model(QStringLiteral("resnet8")).analysis);
    const std::pair<const char*, QByteArray> formats[] = {{"plot.png", QByteArray("\x89PNG\r\n\x1a\n")},
        {"plot.pdf", QByteArray("%PDF-")}, {"plot.svg", QByteArray()}};
    for (const auto& [file, magic] : formats) {
        const QString path = dir.filePath(QLatin1String(file));
        exportPlot(&plot, path);
        const QByteArray bytes = readFile(path);
        QVERIFY2(bytes.size() > 1000, file);
        if (!magic.isEmpty())
            QVERIFY2(bytes.startsWith(magic), file);
        else
            QVERIFY(bytes.startsWith("<?xml") && bytes.contains("<svg"));
        // Exporting again replaces the file.
        exportPlot(&plot, path);
        QCOMPARE(readFile(path).left(5), bytes.left(5));
    }
    const QImage image(dir.filePath(QStringLiteral("plot.png")));
    QCOMPARE(image.size(), QSize(1600, 900)); // twice the widget for sharp text
    // No temporary files left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 3);
}

void TestAnalysisPlots::exportRefusesBadTargets()
{
    QTemporaryDir dir;
    SqnrPlot plot;
    plot.setAnalysis(model(QStringLiteral("tfc")).analysis);
    QVERIFY_THROWS_EXCEPTION(qs::Error, exportPlot(&plot, dir.filePath(QStringLiteral("plot.bmp"))));
    QVERIFY_THROWS_EXCEPTION(qs::Error, exportPlot(&plot, dir.filePath(QStringLiteral("plot"))));
    try {
        exportPlot(&plot, dir.filePath(QStringLiteral("plot.jpeg")));
        QFAIL("no exception");
    } catch (const qs::Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral(".jpeg")), e.what());
    }
    const QString missing = dir.filePath(QStringLiteral("no/such/folder/plot."));
    for (const char* suffix : {"png", "svg", "pdf"})
        QVERIFY_THROWS_EXCEPTION(qs::Error, exportPlot(&plot, missing + QLatin1String(suffix)));
    QVERIFY_THROWS_EXCEPTION(qs::Error, exportPlot(nullptr, dir.filePath(QStringLiteral("plot.png"))));
    QStandardItemModel table(1, 1);
    QVERIFY_THROWS_EXCEPTION(qs::Error, exportTableCsv(&table, missing + QLatin1String("csv")));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void TestAnalysisPlots::csvRoundTrips()
{
    const QStringList headers {"name", "note, with comma", "value \"dB\"", "count"};
    const QList<QStringList> cells {
        {"conv,1", "says \"hi\"", "31.3", "7"},
        {"plain", "two\nlines", "", "12"},
        {"  spaced  ", "", "-0.5", "0"},
    };
    QStandardItemModel model(static_cast<int>(cells.size()), static_cast<int>(headers.size()));
    model.setHorizontalHeaderLabels(headers);
    for (int r = 0; r < cells.size(); ++r)
        for (int c = 0; c < headers.size(); ++c)
            model.setItem(r, c, new QStandardItem(cells[r][c]));
    // Row 0's value column shows "31.3" but sorts by the full-precision number; row 1 shows nothing
    // (a missing value) although its sort value is the table's sentinel.
    model.item(0, 2)->setData(31.25791234567891, Qt::UserRole);
    model.item(1, 2)->setData(-1e300, Qt::UserRole);
    model.item(0, 3)->setData(QVariant(qint64(7)), Qt::UserRole);
    model.item(2, 0)->setData(QStringLiteral("sort key"), Qt::UserRole); // text sort values are ignored

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("layers.csv"));
    exportTableCsv(&model, path);
    const QString text = QString::fromUtf8(readFile(path));
    QVERIFY(text.startsWith(QStringLiteral("name,\"note, with comma\",\"value \"\"dB\"\"\",count\r\n")));
    QVERIFY(text.endsWith(QStringLiteral("\r\n")));
    const QList<QStringList> rows = parseCsv(text);
    QCOMPARE(rows.size(), 1 + cells.size());
    QCOMPARE(rows[0], headers);
    QList<QStringList> expected = cells;
    expected[0][2] = QStringLiteral("31.25791234567891");
    for (int r = 0; r < cells.size(); ++r)
        QCOMPARE(rows[r + 1], expected[r]);
    QCOMPARE(rows[1][2].toDouble(), 31.25791234567891);
    QCOMPARE(csvField(QStringLiteral("a\"b")), QStringLiteral("\"a\"\"b\""));
}

void TestAnalysisPlots::screenshots()
{
    const QString outDir = QStringLiteral("/tmp/quantscope-plots");
    QDir().mkpath(outDir);
    auto doc = qs::ModelDocument::load(modelPath("resnet8_cifar10_w4a4.onnx").toStdString());
    // "After": first conv down to 3-bit weights, the last two up to 6 — for the BOPs comparison.
    qs::setBitWidth(*doc, doc->layers()[1].weightQuantizer, 3);
    qs::setBitWidth(*doc, doc->layers()[8].weightQuantizer, 6);
    qs::AnalysisOptions options;
    options.batch = 4;
    options.seed = 1;
    options.accumulator.accBits = 12;
    const auto current = std::make_shared<const qs::ModelAnalysis>(qs::analyzeModel(*doc, options));

    AnalysisPlots plots;
    showSized(plots, 1100, 620);
    plots.setAnalysis(current, model(QStringLiteral("resnet8")).analysis);
    plots.setAccumulatorBits(12);
    plots.setCurrentLayer(4);
    for (const QString& name : plots.plotNames()) {
        plots.showPlot(name);
        QApplication::processEvents();
        const QString path = outDir + QStringLiteral("/resnet8_%1.png").arg(name);
        QVERIFY(plots.plot(name)->grab().save(path));
        exportPlot(plots.plot(name), outDir + QStringLiteral("/resnet8_%1.svg").arg(name));
    }
    AnalysisPlots vww;
    showSized(vww, 1100, 620);
    vww.setAnalysis(model(QStringLiteral("vww_qcdq")).analysis, nullptr);
    for (const QString& name : vww.plotNames()) {
        vww.showPlot(name);
        QApplication::processEvents();
        QVERIFY(vww.plot(name)->grab().save(outDir + QStringLiteral("/vww_qcdq_%1.png").arg(name)));
    }
    // A dark palette (as the app's dark theme sets it) redraws the plots in its colours.
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Base, QColor(0x26, 0x27, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xdc, 0xdd, 0xde));
    dark.setColor(QPalette::Text, QColor(0xdc, 0xdd, 0xde));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
    vww.setPalette(dark);
    vww.setCurrentLayer(5);
    for (const QString& name : {QStringLiteral("accumulator"), QStringLiteral("ranges")}) {
        vww.showPlot(name);
        QApplication::processEvents();
        const QImage shot = vww.plot(name)->grab().toImage();
        QCOMPARE(shot.pixelColor(2, shot.height() - 2), dark.color(QPalette::Base));
        QVERIFY(shot.save(outDir + QStringLiteral("/vww_qcdq_dark_%1.png").arg(name)));
    }
    AnalysisPlots tfc;
    showSized(tfc, 900, 520);
    tfc.setAnalysis(analyse("tfc_w2a2.onnx", 32, false).analysis, nullptr);
    for (const QString& name : {QStringLiteral("sqnr"), QStringLiteral("ranges")}) {
        tfc.showPlot(name);
        QApplication::processEvents();
        QVERIFY(tfc.plot(name)->grab().save(outDir + QStringLiteral("/tfc_static_%1.png").arg(name)));
    }
}

QTEST_MAIN(TestAnalysisPlots)
#include "tst_analysisplots.moc"
