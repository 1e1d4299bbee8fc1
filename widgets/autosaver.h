#pragma once
// Keeps an autosave of a QuantDocument while it has unsaved edits: a few seconds after the last edit
// the edited model is written to the AutosaveStore (off the GUI thread); saving, undoing back to the
// saved state, opening another model or quitting normally removes it. After a crash the entry stays
// and the next start offers it (see AutosaveStore::orphans and QuantDocument::recover).
#include "widgets/autosavestore.h"

#include <QFuture>
#include <QObject>
#include <QTimer>

namespace qs::gui {

class QuantDocument;

class Autosaver : public QObject {
    Q_OBJECT
public:
    Autosaver(QuantDocument* document, AutosaveStore store, QObject* parent = nullptr);
    ~Autosaver() override; // a normal exit leaves nothing to recover

    void setDelay(int milliseconds) { timer_.setInterval(milliseconds); }
    const AutosaveStore& store() const { return store_; }
    // Writes now, on the calling thread, when the document has unsaved edits.
    void saveNow();
    // The key of the entry this process keeps for the document (empty when none is written).
    QString currentKey() const { return writtenKey_; }

signals:
    void failed(const QString& message);

private:
    void documentChanged();
    AutosaveEntry describe() const;
    void clear();

    QuantDocument* document_;
    AutosaveStore store_;
    QTimer timer_;
    QFuture<QString> pending_; // an asynchronous write; its result is an error message or empty
    QString writtenKey_;
};

} // namespace qs::gui
