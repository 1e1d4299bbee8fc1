#include "widgets/autosavestore.h"

#include "core/util/atomicfile.h"
#include "core/util/error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <signal.h>

namespace qs::gui {
namespace {

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 checks existence only; EPERM means it exists but belongs to someone else.
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

QJsonObject toJson(const AutosaveEntry& entry)
{
    return QJsonObject {
        {QStringLiteral("originalPath"), entry.originalPath},
        {QStringLiteral("savedAt"), entry.savedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("pid"), entry.pid},
        {QStringLiteral("editCount"), entry.editCount},
        {QStringLiteral("lastEdit"), entry.lastEdit},
    };
}

bool fromJson(const QByteArray& bytes, AutosaveEntry& entry)
{
    const QJsonDocument json = QJsonDocument::fromJson(bytes);
    if (!json.isObject())
        return false;
    const QJsonObject o = json.object();
    entry.originalPath = o.value(QStringLiteral("originalPath")).toString();
    entry.savedAt = QDateTime::fromString(o.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
    entry.pid = o.value(QStringLiteral("pid")).toInteger();
    entry.editCount = o.value(QStringLiteral("editCount")).toInt();
    entry.lastEdit = o.value(QStringLiteral("lastEdit")).toString();
    return entry.savedAt.isValid() && entry.pid > 0;
}

} // namespace

AutosaveStore::AutosaveStore(QString directory)
    : directory_(std::move(directory))
{
}

QString AutosaveStore::defaultDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("QS_AUTOSAVE_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/autosave");
}

QString AutosaveStore::keyFor(const QString& originalPath, qint64 pid)
{
    const QByteArray hash = QCryptographicHash::hash(originalPath.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QString::number(pid) + QLatin1Char('-') + QString::fromLatin1(hash.left(16));
}

QString AutosaveStore::modelFile(const QString& key) const
{
    return directory_ + QLatin1Char('/') + key + QStringLiteral(".onnx");
}

QString AutosaveStore::metaFile(const QString& key) const
{
    return directory_ + QLatin1Char('/') + key + QStringLiteral(".json");
}

void AutosaveStore::write(const AutosaveEntry& entry, std::string_view modelBytes) const
{
    if (!QDir().mkpath(directory_))
        throw qs::Error("cannot create the autosave folder " + directory_.toStdString());
    // Model first: a sidecar never points at a model older than itself.
    qs::writeFileAtomically(modelFile(entry.key).toStdString(), modelBytes);
    const QByteArray meta = QJsonDocument(toJson(entry)).toJson(QJsonDocument::Compact);
    qs::writeFileAtomically(metaFile(entry.key).toStdString(), std::string_view(meta.constData(), meta.size()));
}

void AutosaveStore::remove(const QString& key) const
{
    // Sidecar first: without it the model file is never offered.
    QFile::remove(metaFile(key));
    QFile::remove(modelFile(key));
}

std::string AutosaveStore::modelBytes(const QString& key) const
{
    QFile file(modelFile(key));
    if (!file.open(QIODevice::ReadOnly))
        throw qs::Error("cannot read the autosaved model " + file.fileName().toStdString() + ": "
                        + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

std::vector<AutosaveEntry> AutosaveStore::orphans() const
{
    std::vector<AutosaveEntry> entries;
    const QDir dir(directory_);
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly) || file.size() > (1 << 20))
            continue;
        AutosaveEntry entry;
        entry.key = name.chopped(5);
        if (!fromJson(file.readAll(), entry) || processAlive(entry.pid) || !QFile::exists(modelFile(entry.key)))
            continue;
        entries.push_back(entry);
    }
    std::sort(entries.begin(), entries.end(),
              [](const AutosaveEntry& a, const AutosaveEntry& b) { return a.savedAt > b.savedAt; });
    return entries;
}

} // namespace qs::gui
