#include "widgets/bulkeditdialog.h"

#include "core/edit/bulkedit.h"
#include "widgets/documentmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace qs::gui {

std::vector<int> bulkTargetQuantizers(const QuantDocument& document, BulkTarget target)
{
    const qs::ModelDocument& doc = document.doc();
    switch (target) {
    case BulkTarget::ConvWeights:
        return qs::convWeightQuantizers(doc);
    case BulkTarget::AllWeights:
        return qs::weightQuantizers(doc);
    case BulkTarget::Activations:
        return qs::activationQuantizers(doc);
    }
    return {};
}

QString applyBulkBits(QuantDocument& document, BulkTarget target, int bits)
{
    static const char* names[] = {"conv weight", "weight", "activation"};
    qs::QuantizerEdit edit;
    edit.bitWidth = bits;
    const QString description = QStringLiteral("Set %1 quantizers to %2 bits")
                                    .arg(QLatin1String(names[static_cast<int>(target)]))
                                    .arg(bits);
    return document.editQuantizers(bulkTargetQuantizers(document, target), edit, description);
}

BulkEditDialog::BulkEditDialog(QuantDocument* document, QWidget* parent)
    : QDialog(parent)
    , document_(document)
{
    setWindowTitle(tr("Set bit widths"));
    target_ = new QComboBox(this);
    target_->addItem(tr("Conv weights"), static_cast<int>(BulkTarget::ConvWeights));
    target_->addItem(tr("All weights"), static_cast<int>(BulkTarget::AllWeights));
    target_->addItem(tr("Activations"), static_cast<int>(BulkTarget::Activations));
    bits_ = new QSpinBox(this);
    bits_->setRange(1, 32);
    bits_->setValue(4);
    bits_->setSuffix(tr(" bits"));
    count_ = new QLabel(this);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d93636;"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Quantizers:"), target_);
    form->addRow(tr("Bit width:"), bits_);
    form->addRow(count_);
    form->addRow(error_);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &BulkEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(target_, &QComboBox::currentIndexChanged, this, &BulkEditDialog::updateCount);
    updateCount();
}

void BulkEditDialog::updateCount()
{
    const auto ids
        = bulkTargetQuantizers(*document_, static_cast<BulkTarget>(target_->currentData().toInt()));
    count_->setText(
        tr("%n quantizer(s) will change (one undo step).", nullptr, static_cast<int>(ids.size())));
}

void BulkEditDialog::accept()
{
    const QString error
        = applyBulkBits(*document_, static_cast<BulkTarget>(target_->currentData().toInt()), bits_->value());
    if (!error.isEmpty()) {
        error_->setText(error);
        return;
    }
    QDialog::accept();
}

} // namespace qs::gui
