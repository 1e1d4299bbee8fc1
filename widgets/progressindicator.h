#pragma once
// Status-bar progress for long work: what is running, how far it is, and a Cancel button. Several
// runners (load, layout, execution) can be attached; the latest one started is shown.
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace qs::gui {

class TaskRunner;

class ProgressIndicator : public QWidget {
    Q_OBJECT
public:
    explicit ProgressIndicator(QWidget* parent = nullptr);
    void attach(TaskRunner* runner);

private:
    void refresh();

    QLabel* label_;
    QProgressBar* bar_;
    QPushButton* cancel_;
    QList<TaskRunner*> runners_;
    TaskRunner* shown_ = nullptr;
};

} // namespace qs::gui
