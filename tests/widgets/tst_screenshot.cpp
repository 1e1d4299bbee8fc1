// `quantscope MODEL --screenshot FILE.png` renders the whole window headless once layout and analysis
// are done and exits 0; the PNG is not blank (its pixels vary), also with analysis overlays. Also
// --version and bad arguments.
#include "core/util/versions.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

class TestScreenshot : public QObject {
    Q_OBJECT
private slots:
    void rendersModels_data();
    void rendersModels();
    void versionListsLibraries();
    void badArgumentsFail();

private:
    static QProcess::ExitStatus run(const QStringList& args, int& code, QByteArray& out, QByteArray& err);
};

QProcess::ExitStatus TestScreenshot::run(const QStringList& args, int& code, QByteArray& out, QByteArray& err)
{
    QProcess process;
    process.start(QStringLiteral(QS_GUI_PATH), args);
    process.waitForFinished(180000);
    code = process.exitCode();
    out = process.readAllStandardOutput();
    err = process.readAllStandardError();
    return process.exitStatus();
}

void TestScreenshot::rendersModels_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("extra");
    QTest::newRow("resnet8") << "resnet8_cifar10_w4a4.onnx" << QStringList();
    QTest::newRow("vww qcdq selected")
        << "vww_mobilenet128_qcdq.onnx"
        << QStringList {QStringLiteral("--overlay"), QStringLiteral("bits"), QStringLiteral("--select"),
               QStringLiteral("/features/features.3/Conv"), QStringLiteral("--theme"),
               QStringLiteral("dark")};
    QTest::newRow("kws mlp collapsed")
        << "kws_mlp_w3a3_mlperf.onnx" << QStringList {QStringLiteral("--collapse")};
    QTest::newRow("radioml small") << "radioml_cnn_2mods.onnx"
                                   << QStringList {QStringLiteral("--size"), QStringLiteral("800x600")};
    QTest::newRow("resnet8 sqnr overlay")
        << "resnet8_cifar10_w4a4.onnx" << QStringList {QStringLiteral("--overlay"), QStringLiteral("sqnr")};
    QTest::newRow("resnet8 risk at 16 bits")
        << "resnet8_cifar10_w4a4.onnx"
        << QStringList {QStringLiteral("--overlay"), QStringLiteral("risk"), QStringLiteral("--acc-bits"),
               QStringLiteral("16"), QStringLiteral("--select"), QStringLiteral("Conv_3")};
}

void TestScreenshot::rendersModels()
{
    QFETCH(QString, model);
    QFETCH(QStringList, extra);
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("shot.png"));
    int code = -1;
    QByteArray out, err;
    const QStringList args = QStringList {QStringLiteral(QS_TEST_DATA_DIR "/models/") + model,
                                 QStringLiteral("--screenshot"), png}
        + extra;
    QCOMPARE(run(args, code, out, err), QProcess::NormalExit);
    QVERIFY2(code == 0, err.constData());
    QVERIFY2(err.contains("painted"), err.constData());
    QVERIFY2(err.contains("analysed"), err.constData()); // the shot waits for the analysis
    QVERIFY2(!err.contains("analysis failed"), err.constData());
    QImage image(png);
    QVERIFY(!image.isNull());
    const QSize expected = extra.contains(QStringLiteral("--size")) ? QSize(800, 600) : QSize(1600, 1000);
    QCOMPARE(image.size(), expected);
    // Not blank: many distinct colours, spread over the picture (graph, docks, text).
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
}

void TestScreenshot::versionListsLibraries()
{
    int code = -1;
    QByteArray out, err;
    QCOMPARE(run({QStringLiteral("--version")}, code, out, err), QProcess::NormalExit);
    QCOMPARE(code, 0);
    for (const char* name : {"quantscope ", "Qt 6.", "ONNX 1.", "protobuf ", "Graphviz "})
        QVERIFY2(out.contains(name), out.constData());
    // The same versions as quantscope-cli prints (both print core's list).
    for (const auto& [name, version] : qs::dependencyVersions())
        QVERIFY2(
            out.contains(QByteArray::fromStdString("\n" + name + " " + version + "\n")), out.constData());
}

void TestScreenshot::badArgumentsFail()
{
    int code = -1;
    QByteArray out, err;
    QTemporaryDir dir;
    run({QStringLiteral(QS_TEST_DATA_DIR "/models/tfc_w2a2.onnx"), QStringLiteral("--screenshot"),
            dir.filePath(QStringLiteral("x.png")), QStringLiteral("--overlay"), QStringLiteral("nonsense")},
        code, out, err);
    QCOMPARE(code, 2);
    QVERIFY(err.contains("overlay"));
    run({QStringLiteral("/nonexistent/model.onnx"), QStringLiteral("--screenshot"),
            dir.filePath(QStringLiteral("y.png"))},
        code, out, err);
    QCOMPARE(code, 2);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("y.png"))));
    run({QStringLiteral(QS_TEST_DATA_DIR "/models/tfc_w2a2.onnx"), QStringLiteral("--screenshot"),
            dir.filePath(QStringLiteral("z.png")), QStringLiteral("--select"),
            QStringLiteral("no-such-node")},
        code, out, err);
    QCOMPARE(code, 2);
    QVERIFY(err.contains("no-such-node"));
    run({QStringLiteral(QS_TEST_DATA_DIR "/models/tfc_w2a2.onnx"), QStringLiteral("--screenshot"),
            dir.filePath(QStringLiteral("w.png")), QStringLiteral("--acc-bits"), QStringLiteral("4")},
        code, out, err);
    QCOMPARE(code, 2);
    QVERIFY(err.contains("acc-bits"));
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
