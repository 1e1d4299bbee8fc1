#include "widgets/taskrunner.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace qs::gui {

TaskRunner::TaskRunner(QObject* parent)
    : QObject(parent)
    , watcher_(new QFutureWatcher<void>(this))
{
}

TaskRunner::~TaskRunner()
{
    cancel();
    watcher_->waitForFinished();
}

void TaskRunner::start(const QString& what, Job job, ErrorHandler onError)
{
    cancel();
    watcher_->waitForFinished(); // at most one job per runner; cancellation keeps this short
    const quint64 generation = ++generation_;
    QPointer<TaskRunner> self(this);
    auto progress = std::make_shared<qs::Progress>(
        [self, generation, what](std::int64_t done, std::int64_t total, std::string_view step) {
            const QString text = step.empty() ? what : QString::fromUtf8(step.data(), qsizetype(step.size()));
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, done, total, text] {
                    if (self && self->generation_ == generation)
                        emit self->progressed(done, total, text);
                },
                Qt::QueuedConnection);
        });
    progress_ = progress;
    busy_ = true;
    what_ = what;
    emit started(what);
    watcher_->setFuture(QtConcurrent::run([self, generation, progress, job = std::move(job), onError] {
        Continuation next;
        QString error;
        bool cancelled = false;
        try {
            next = job(*progress);
        } catch (const qs::Cancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        if (progress->isCancelled())
            cancelled = true;
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, next, error, cancelled, onError] {
                if (!self)
                    return;
                if (!error.isEmpty() && !cancelled && self->generation_ == generation && onError)
                    onError(error);
                self->onJobFinished(generation, next, error, cancelled);
            },
            Qt::QueuedConnection);
    }));
}

void TaskRunner::cancel()
{
    if (progress_)
        progress_->cancel();
}

void TaskRunner::onJobFinished(
    quint64 generation, const Continuation& next, const QString& error, bool cancelled)
{
    if (generation != generation_)
        return; // superseded by a newer job
    busy_ = false;
    progress_.reset();
    const bool ok = error.isEmpty() && !cancelled;
    if (ok && next)
        next();
    emit finished(ok);
}

} // namespace qs::gui
