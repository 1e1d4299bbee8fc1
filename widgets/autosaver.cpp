#include "widgets/autosaver.h"

#include "core/util/error.h"
#include "widgets/documentmodel.h"

#include <QCoreApplication>
#include <QtConcurrent/QtConcurrentRun>

namespace qs::gui {

Autosaver::Autosaver(QuantDocument* document, AutosaveStore store, QObject* parent)
    : QObject(parent)
    , document_(document)
    , store_(std::move(store))
{
    timer_.setSingleShot(true);
    timer_.setInterval(3000);
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (pending_.isRunning()) { // the previous write is still going: try again later
            timer_.start();
            return;
        }
        if (!document_->isLoaded() || !document_->isModified())
            return;
        const AutosaveEntry entry = describe();
        if (!writtenKey_.isEmpty() && writtenKey_ != entry.key)
            store_.remove(writtenKey_);
        writtenKey_ = entry.key;
        // Serialize here, where the document is consistent; write (and fsync) on a worker.
        pending_ = QtConcurrent::run([store = store_, entry, bytes = document_->doc().serialize()] {
            try {
                store.write(entry, bytes);
                return QString();
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        });
        pending_.then(this, [this](const QString& error) {
            if (!error.isEmpty())
                emit failed(error);
        });
    });
    QUndoStack* stack = document_->undoStack();
    connect(stack, &QUndoStack::indexChanged, this, &Autosaver::documentChanged);
    connect(stack, &QUndoStack::cleanChanged, this, &Autosaver::documentChanged);
    connect(document_, &QuantDocument::modelReset, this, &Autosaver::documentChanged);
    connect(document_, &QuantDocument::filePathChanged, this, &Autosaver::documentChanged);
}

Autosaver::~Autosaver()
{
    clear();
}

void Autosaver::documentChanged()
{
    if (document_->isLoaded() && document_->isModified())
        timer_.start();
    else
        clear();
}

AutosaveEntry Autosaver::describe() const
{
    AutosaveEntry entry;
    entry.originalPath = document_->filePath();
    entry.pid = QCoreApplication::applicationPid();
    entry.key = AutosaveStore::keyFor(entry.originalPath, entry.pid);
    entry.savedAt = QDateTime::currentDateTimeUtc();
    const QUndoStack* stack = document_->undoStack();
    entry.editCount = stack->index();
    entry.lastEdit = stack->index() > 0 ? stack->text(stack->index() - 1) : QString();
    return entry;
}

void Autosaver::saveNow()
{
    timer_.stop();
    pending_.waitForFinished();
    if (!document_->isLoaded() || !document_->isModified())
        return;
    const AutosaveEntry entry = describe();
    if (!writtenKey_.isEmpty() && writtenKey_ != entry.key)
        store_.remove(writtenKey_);
    writtenKey_ = entry.key;
    try {
        store_.write(entry, document_->doc().serialize());
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
    }
}

void Autosaver::clear()
{
    timer_.stop();
    pending_.waitForFinished(); // a write finishing after the removal would bring the entry back
    if (!writtenKey_.isEmpty())
        store_.remove(writtenKey_);
    writtenKey_.clear();
}

} // namespace qs::gui
