#pragma once
// Runs one long job (load, layout, execution) at a time on Qt's thread pool with a qs::Progress for
// cancellation. The job returns a continuation that runs back on the GUI thread, so results never
// cross threads through shared state. Starting a new job cancels the previous one and drops its result.
#include "core/util/progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace qs::gui {

class TaskRunner : public QObject {
    Q_OBJECT
public:
    using Continuation = std::function<void()>;
    using Job = std::function<Continuation(const qs::Progress&)>;
    using ErrorHandler = std::function<void(const QString& message)>;

    explicit TaskRunner(QObject* parent = nullptr);
    ~TaskRunner() override; // cancels and waits: jobs may refer to the owner's data

    // `onError` gets the core's one-line message; a cancelled job calls neither continuation nor onError.
    void start(const QString& what, Job job, ErrorHandler onError);
    void cancel();
    bool isBusy() const { return busy_; }
    QString what() const { return what_; }

signals:
    void started(const QString& what);
    void progressed(qint64 done, qint64 total, const QString& what);
    void finished(bool ok);

private:
    void onJobFinished(quint64 generation, const Continuation& next, const QString& error, bool cancelled);

    std::shared_ptr<qs::Progress> progress_;
    QFutureWatcher<void>* watcher_ = nullptr;
    quint64 generation_ = 0;
    bool busy_ = false;
    QString what_;
};

} // namespace qs::gui
