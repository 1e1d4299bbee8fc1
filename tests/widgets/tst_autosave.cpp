// Crash safety of edits: an edited document is autosaved after a short delay, the autosave goes away
// when the edits are saved, undone or the program exits normally, and an autosave left by a process
// that died is offered and recovers the edited model exactly.
#include "widgets/autosaver.h"
#include "widgettestutil.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace qs::gui;

class TestAutosave : public QObject {
    Q_OBJECT
private slots:
    void editIsAutosavedAfterDelay();
    void savingRemovesAutosave();
    void undoingBackToSavedRemovesAutosave();
    void normalExitRemovesAutosave();
    void crashedProcessEntryRecoversEditedModel();
    void brokenSidecarsAreIgnored();
};

namespace {

// A pid above the kernel's maximum never names a live process: stands for "the writer crashed".
constexpr qint64 kDeadPid = 1LL << 30;

int firstWeightQuantizer(const QuantDocument& document)
{
    for (const qs::Quantizer& q : document.doc().quantizers())
        if (q.role == qs::QuantizerRole::Weight && q.bitWidth && *q.bitWidth > 2)
            return q.id;
    return -1;
}

void editToTwoBits(QuantDocument& document)
{
    const int q = firstWeightQuantizer(document);
    QVERIFY(q >= 0);
    qs::QuantizerEdit edit;
    edit.bitWidth = 2;
    QCOMPARE(document.editQuantizer(q, edit), QString());
    QVERIFY(document.isModified());
}

QString modelFileOf(const AutosaveStore& store, const QString& key)
{
    return store.directory() + QLatin1Char('/') + key + QStringLiteral(".onnx");
}

QString sidecarOf(const AutosaveStore& store, const QString& key)
{
    return store.directory() + QLatin1Char('/') + key + QStringLiteral(".json");
}

// Rewrites the sidecar's pid, as if the process that wrote it had died.
void markWriterDead(const AutosaveStore& store, const QString& key)
{
    QFile file(sidecarOf(store, key));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject meta = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    meta[QStringLiteral("pid")] = kDeadPid;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(meta).toJson());
}

} // namespace

void TestAutosave::editIsAutosavedAfterDelay()
{
    QTemporaryDir dir;
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    Autosaver autosaver(&document, AutosaveStore(dir.path()));
    autosaver.setDelay(20);
    editToTwoBits(document);
    QTRY_VERIFY(!autosaver.currentKey().isEmpty());
    const QString key = autosaver.currentKey();
    QTRY_VERIFY(QFile::exists(sidecarOf(autosaver.store(), key)));
    QCOMPARE(autosaver.store().modelBytes(key), document.doc().serialize());
    // Our own process is alive: nothing to recover.
    QVERIFY(autosaver.store().orphans().empty());
}

void TestAutosave::savingRemovesAutosave()
{
    QTemporaryDir dir;
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    Autosaver autosaver(&document, AutosaveStore(dir.path() + QStringLiteral("/autosave")));
    editToTwoBits(document);
    autosaver.saveNow();
    const QString key = autosaver.currentKey();
    QVERIFY(QFile::exists(modelFileOf(autosaver.store(), key)));
    document.saveAs(dir.path() + QStringLiteral("/saved.onnx"));
    QVERIFY(!QFile::exists(modelFileOf(autosaver.store(), key)));
    QVERIFY(!QFile::exists(sidecarOf(autosaver.store(), key)));
}

void TestAutosave::undoingBackToSavedRemovesAutosave()
{
    QTemporaryDir dir;
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    Autosaver autosaver(&document, AutosaveStore(dir.path()));
    editToTwoBits(document);
    autosaver.saveNow();
    const QString key = autosaver.currentKey();
    QVERIFY(QFile::exists(modelFileOf(autosaver.store(), key)));
    document.undoStack()->undo();
    QVERIFY(!document.isModified());
    QVERIFY(!QFile::exists(modelFileOf(autosaver.store(), key)));
}

void TestAutosave::normalExitRemovesAutosave()
{
    QTemporaryDir dir;
    QuantDocument document;
    test::load(document, "resnet8_cifar10_w4a4.onnx");
    QString model;
    {
        Autosaver autosaver(&document, AutosaveStore(dir.path()));
        editToTwoBits(document);
        autosaver.saveNow();
        model = modelFileOf(autosaver.store(), autosaver.currentKey());
        QVERIFY(QFile::exists(model));
    }
    QVERIFY(!QFile::exists(model));
}

void TestAutosave::crashedProcessEntryRecoversEditedModel()
{
    QTemporaryDir dir;
    const AutosaveStore store(dir.path());
    std::string editedBytes;
    QString original;
    std::optional<double> editedBits;
    // The crashed process's autosaver: kept, silent, until the recovery has been checked (its
    // destructor, a normal exit, would remove the entry); freed at the end so LeakSanitizer has
    // nothing to report. It never touches the document again.
    std::unique_ptr<Autosaver> crashed;
    {
        QuantDocument document;
        test::load(document, "resnet8_cifar10_w4a4.onnx");
        original = document.filePath();
        crashed = std::make_unique<Autosaver>(&document, store);
        Autosaver* autosaver = crashed.get();
        editToTwoBits(document);
        autosaver->saveNow();
        editedBytes = document.doc().serialize();
        editedBits
            = document.doc().quantizers()[static_cast<std::size_t>(firstWeightQuantizer(document))].bitWidth;
        markWriterDead(store, autosaver->currentKey());
        // A crash: nothing of the autosaver runs any more (no destructor, no reaction to the
        // document going away), so the entry stays.
        QObject::disconnect(&document, nullptr, autosaver, nullptr);
        QObject::disconnect(document.undoStack(), nullptr, autosaver, nullptr);
    }
    const std::vector<AutosaveEntry> orphans = store.orphans();
    QCOMPARE(orphans.size(), std::size_t(1));
    const AutosaveEntry& entry = orphans.front();
    QCOMPARE(entry.originalPath, original);
    QCOMPARE(entry.editCount, 1);
    QVERIFY(!entry.lastEdit.isEmpty());

    QuantDocument recovered;
    const std::string bytes = store.modelBytes(entry.key);
    const std::filesystem::path originalPath = entry.originalPath.toStdString();
    recovered.recover(
        qs::ModelDocument::loadFromBytes(bytes, originalPath.filename().string(), originalPath.parent_path()),
        entry.originalPath);
    QVERIFY(recovered.isModified());
    QCOMPARE(recovered.filePath(), original);
    QCOMPARE(recovered.undoStack()->count(), 0);
    QCOMPARE(recovered.doc().serialize(), editedBytes);
    int bitsMatched = 0;
    for (const qs::Quantizer& q : recovered.doc().quantizers())
        bitsMatched += q.bitWidth == editedBits ? 1 : 0;
    QVERIFY(bitsMatched >= 1);
}

void TestAutosave::brokenSidecarsAreIgnored()
{
    QTemporaryDir dir;
    const auto writeFile = [&](const QString& name, const QByteArray& bytes) {
        QFile file(dir.path() + QLatin1Char('/') + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    };
    writeFile(QStringLiteral("garbage.json"), "{not json");
    writeFile(QStringLiteral("garbage.onnx"), "x");
    writeFile(QStringLiteral("nomodel.json"),
        QJsonDocument(QJsonObject {{QStringLiteral("originalPath"), QStringLiteral("/x.onnx")},
                          {QStringLiteral("savedAt"), QStringLiteral("2026-01-01T00:00:00.000Z")},
                          {QStringLiteral("pid"), kDeadPid}})
            .toJson());
    QVERIFY(AutosaveStore(dir.path()).orphans().empty());
    QVERIFY(AutosaveStore(dir.path() + QStringLiteral("/missing")).orphans().empty());
}

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
