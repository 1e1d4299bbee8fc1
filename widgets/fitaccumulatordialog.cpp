#include "widgets/fitaccumulatordialog.h"

#include "core/model/modeldocument.h"
#include "widgets/commands/fitaccumulatorcommand.h"
#include "widgets/documentmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>

namespace qs::gui {

QString fitSummary(const qs::FitReport& report)
{
    int layers = 0;
    qint64 codes = 0;
    for (const qs::LayerFit& l : report.layers)
        if (l.status == qs::FitStatus::Projected) {
            ++layers;
            codes += l.codesChanged;
        }
    if (layers == 0)
        return QObject::tr("Every layer already fits a %1-bit accumulator; nothing changed")
            .arg(report.options.accBits);
    return QObject::tr(
        "Fitted %n layer(s) to a %1-bit accumulator: %2 weight codes changed (Undo reverts)", "", layers)
        .arg(report.options.accBits)
        .arg(QLocale().toString(codes));
}

FitAccumulatorDialog::FitAccumulatorDialog(QuantDocument* document, int accBits, QWidget* parent)
    : QDialog(parent)
    , document_(document)
    , accBits_(accBits)
{
    setWindowTitle(tr("Fit accumulator"));
    const qs::ModelDocument& doc = document->doc();
    for (const qs::Layer& layer : doc.layers())
        if (layer.node == document->currentNode())
            selectedLayer_ = QString::fromStdString(layer.name);

    auto* intro = new QLabel(tr("Shrinks the integer weight codes, per output channel and toward zero, "
                                "so that the chosen bound fits a signed %1-bit accumulator. Scales stay; "
                                "channels that already fit stay bit-exact.")
                                 .arg(accBits),
        this);
    intro->setWordWrap(true);
    method_ = new QComboBox(this);
    method_->addItem(tr("Exact range of the integer weights"), static_cast<int>(qs::FitMethod::Exact));
    method_->addItem(tr("A2Q (L1 norm)"), static_cast<int>(qs::FitMethod::A2Q));
    method_->addItem(tr("A2Q+ (zero-centred)"), static_cast<int>(qs::FitMethod::A2QPlus));
    all_ = new QRadioButton(tr("Every layer whose bound exceeds P"), this);
    selected_ = new QRadioButton(selectedLayer_.isEmpty() ? tr("The selected layer (none selected)")
                                                          : tr("Only %1").arg(selectedLayer_),
        this);
    selected_->setEnabled(!selectedLayer_.isEmpty());
    all_->setChecked(true);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d93636;"));
    error_->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Fit"));

    auto* form = new QFormLayout(this);
    form->addRow(intro);
    form->addRow(tr("Accumulator:"), new QLabel(tr("%1 bits (the toolbar's P)").arg(accBits), this));
    form->addRow(tr("Bound:"), method_);
    form->addRow(tr("Layers:"), all_);
    form->addRow(QString(), selected_);
    form->addRow(error_);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

qs::FitOptions FitAccumulatorDialog::options() const
{
    qs::FitOptions o;
    o.accBits = accBits_;
    o.method = static_cast<qs::FitMethod>(method_->currentData().toInt());
    if (selected_->isChecked() && !selectedLayer_.isEmpty())
        o.layers.push_back(selectedLayer_.toStdString());
    return o;
}

void FitAccumulatorDialog::accept()
{
    const QString error = FitAccumulatorCommand::fit(document_, options(), report_);
    if (!error.isEmpty()) {
        error_->setText(error);
        error_->show();
        adjustSize();
        return;
    }
    QDialog::accept();
}

} // namespace qs::gui
