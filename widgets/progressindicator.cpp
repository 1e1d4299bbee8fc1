#include "widgets/progressindicator.h"

#include "widgets/taskrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace qs::gui {

ProgressIndicator::ProgressIndicator(QWidget* parent)
    : QWidget(parent)
{
    label_ = new QLabel(this);
    bar_ = new QProgressBar(this);
    bar_->setMaximumWidth(160);
    bar_->setMaximumHeight(16);
    bar_->setTextVisible(false);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setFlat(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (shown_)
            shown_->cancel();
    });
    hide();
}

void ProgressIndicator::attach(TaskRunner* runner)
{
    runners_.append(runner);
    connect(runner, &TaskRunner::started, this, [this, runner](const QString& what) {
        shown_ = runner;
        label_->setText(what + QStringLiteral("…"));
        bar_->setRange(0, 0); // busy until the first step reports a total
        refresh();
    });
    connect(runner, &TaskRunner::progressed, this,
        [this, runner](qint64 done, qint64 total, const QString& what) {
            if (runner != shown_)
                return;
            label_->setText(what + QStringLiteral("…"));
            if (total > 0) {
                bar_->setRange(0, 1000);
                bar_->setValue(static_cast<int>(1000 * done / total));
            }
        });
    connect(runner, &TaskRunner::finished, this, [this, runner] {
        if (runner == shown_) {
            shown_ = nullptr;
            for (TaskRunner* r : runners_)
                if (r->isBusy()) {
                    shown_ = r;
                    label_->setText(r->what() + QStringLiteral("…"));
                    bar_->setRange(0, 0);
                }
        }
        refresh();
    });
}

void ProgressIndicator::refresh()
{
    setVisible(shown_ != nullptr);
}

} // namespace qs::gui
