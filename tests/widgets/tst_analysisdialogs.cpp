// The dialogs of the live analysis: Inputs… checks the files for the model before accepting and
// returns the settings; Fit accumulator… projects at the toolbar's P as one undo step.
#include "core/exec/inputgenerator.h"
#include "core/tensorio/npy.h"
#include "widgets/fitaccumulatordialog.h"
#include "widgets/inputsdialog.h"
#include "widgettestutil.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs::gui;

class TestAnalysisDialogs : public QObject {
    Q_OBJECT
private slots:
    void inputsDialogChecksFiles();
    void fitDialogIsOneUndoStep();
};

namespace {

void saveShot(QWidget& widget, const char* name)
{
    // QS_DIALOG_SHOTS=DIR keeps a picture of each dialog for a look.
    const QByteArray dir = qgetenv("QS_DIALOG_SHOTS");
    if (!dir.isEmpty())
        widget.grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name));
}

} // namespace

void TestAnalysisDialogs::inputsDialogChecksFiles()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const qs::ModelDocument& doc = document.doc();
    const QString input = QString::fromStdString(doc.tensor(doc.graph().graphInputs().front()).name);
    AnalysisSettings settings;
    settings.seed = 3;
    InputsDialog dialog(doc, settings);
    dialog.show();
    QLineEdit* files = dialog.findChild<QLineEdit*>();
    QVERIFY(files);
    QVERIFY(files->text().isEmpty()); // random data
    QCOMPARE(dialog.settings().seed, std::uint64_t {3});
    QCOMPARE(dialog.settings().batch, std::int64_t {16});

    QTemporaryDir dir;
    files->setText(dir.filePath(QStringLiteral("missing.npy")));
    dialog.accept();
    QVERIFY(dialog.isVisible()); // refused, with the reason
    QLabel* error = nullptr;
    for (QLabel* label : dialog.findChildren<QLabel*>())
        if (label->isVisible() && label->text().contains(QStringLiteral("missing.npy")))
            error = label;
    QVERIFY(error);
    saveShot(dialog, "inputs_error.png");

    const QString npy = dir.filePath(QStringLiteral("x.npy"));
    qs::writeNpy(npy.toStdString(), qs::randomInputs(doc, 1, 2).at(input.toStdString()));
    files->setText(npy);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.settings().inputFiles.value(input), QStringList {npy});
}

void TestAnalysisDialogs::fitDialogIsOneUndoStep()
{
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    const std::string original = document.doc().serialize();
    document.setCurrentNode(document.doc().layers()[2].node);
    FitAccumulatorDialog dialog(&document, 14);
    dialog.show();
    saveShot(dialog, "fit.png");
    QCOMPARE(dialog.options().accBits, 14);
    QVERIFY(dialog.options().layers.empty()); // every layer over P
    auto radios = dialog.findChildren<QRadioButton*>();
    QCOMPARE(radios.size(), 2);
    radios[1]->setChecked(true); // only the selected layer
    QCOMPARE(dialog.options().layers, std::vector<std::string> {document.doc().layers()[2].name});
    radios[0]->setChecked(true);
    dialog.findChild<QComboBox*>()->setCurrentIndex(1); // A2Q
    QCOMPARE(dialog.options().method, qs::FitMethod::A2Q);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(document.undoStack()->count(), 1);
    QVERIFY(fitSummary(dialog.report()).contains(QStringLiteral("14-bit")));
    QVERIFY(document.doc().serialize() != original);
    document.undoStack()->undo();
    QVERIFY(document.doc().serialize() == original);

    // P = 64: nothing to do, nothing pushed.
    FitAccumulatorDialog wide(&document, 64);
    wide.accept();
    QCOMPARE(document.undoStack()->count(), 1); // still only the undone step
    QVERIFY(wide.report().record.empty());
    QVERIFY(fitSummary(wide.report()).contains(QStringLiteral("already fits")));
}

QTEST_MAIN(TestAnalysisDialogs)
#include "tst_analysisdialogs.moc"
