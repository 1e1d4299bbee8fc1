#pragma once
// The autosave folder: one entry per running document with unsaved edits — the edited model's bytes
// and a small JSON sidecar saying whose it is. Both are written atomically (temp file, fsync, rename),
// so a crash mid-write leaves the previous autosave intact. Entries whose writer process is gone are
// what a crash left behind and are offered for recovery at the next start.
#include <QDateTime>
#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace qs::gui {

struct AutosaveEntry {
    QString key;          // file name stem in the folder: "<pid>-<hash of the original path>"
    QString originalPath; // the model file the edits belong to (empty for an untitled model)
    QDateTime savedAt;
    qint64 pid = 0;       // the process that wrote it
    int editCount = 0;    // undo steps at the time of writing
    QString lastEdit;     // text of the last undo step, for the recovery prompt
};

class AutosaveStore {
public:
    // `directory` is created on the first write. The default is $QS_AUTOSAVE_DIR when set, else
    // "autosave" under the per-user application data folder.
    explicit AutosaveStore(QString directory = defaultDirectory());
    static QString defaultDirectory();

    const QString& directory() const { return directory_; }
    static QString keyFor(const QString& originalPath, qint64 pid);

    // Throws qs::Error when the folder or the files cannot be written.
    void write(const AutosaveEntry& entry, std::string_view modelBytes) const;
    void remove(const QString& key) const;
    // The model bytes of an entry; throws qs::Error when they cannot be read.
    std::string modelBytes(const QString& key) const;

    // Entries left by processes that no longer run, newest first. Unreadable sidecars are skipped.
    std::vector<AutosaveEntry> orphans() const;

private:
    QString modelFile(const QString& key) const;
    QString metaFile(const QString& key) const;

    QString directory_;
};

} // namespace qs::gui
