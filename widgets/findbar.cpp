#include "widgets/findbar.h"

#include "widgets/documentmodel.h"
#include "widgets/nodesearch.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace qs::gui {

FindBar::FindBar(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
{
    edit_ = new QLineEdit(this);
    edit_->setPlaceholderText(tr("Find node, op type or tensor…"));
    edit_->setClearButtonEnabled(true);
    edit_->installEventFilter(this);
    count_ = new QLabel(this);
    count_->setMinimumWidth(60);
    auto* prev = new QToolButton(this);
    prev->setArrowType(Qt::UpArrow);
    prev->setToolTip(tr("Previous (Shift+Enter)"));
    auto* nextButton = new QToolButton(this);
    nextButton->setArrowType(Qt::DownArrow);
    nextButton->setToolTip(tr("Next (Enter)"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    close->setAutoRaise(true);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(new QLabel(tr("Find:"), this));
    layout->addWidget(edit_, 1);
    layout->addWidget(count_);
    layout->addWidget(prev);
    layout->addWidget(nextButton);
    layout->addWidget(close);

    connect(edit_, &QLineEdit::textChanged, this, &FindBar::search);
    connect(edit_, &QLineEdit::returnPressed, this, &FindBar::next);
    connect(prev, &QToolButton::clicked, this, &FindBar::previous);
    connect(nextButton, &QToolButton::clicked, this, &FindBar::next);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    connect(document_, &QuantDocument::modelReset, this, &FindBar::search);
}

void FindBar::activate()
{
    show();
    edit_->setFocus();
    edit_->selectAll();
}

void FindBar::setText(const QString& text)
{
    edit_->setText(text);
}

void FindBar::next()
{
    step(+1);
}

void FindBar::previous()
{
    step(-1);
}

bool FindBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == edit_ && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ShiftModifier)) {
            previous();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::search()
{
    hits_.clear();
    current_ = -1;
    if (document_->isLoaded()) {
        const std::vector<qs::NodeId> found = findNodes(document_->doc(), edit_->text());
        hits_.assign(found.begin(), found.end());
    }
    updateLabel();
}

void FindBar::step(int delta)
{
    if (hits_.empty())
        return;
    const int n = static_cast<int>(hits_.size());
    current_ = current_ < 0 ? (delta > 0 ? 0 : n - 1) : ((current_ + delta) % n + n) % n;
    document_->setCurrentNode(hits_[static_cast<std::size_t>(current_)]);
    updateLabel();
}

void FindBar::updateLabel()
{
    if (edit_->text().trimmed().isEmpty())
        count_->clear();
    else if (hits_.empty())
        count_->setText(tr("no hits"));
    else
        count_->setText(tr("%1 / %2").arg(current_ + 1).arg(hits_.size()));
}

} // namespace qs::gui
