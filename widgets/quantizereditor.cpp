#include "widgets/quantizereditor.h"

#include "widgets/documentmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include <cmath>
#include <cstring>

namespace qs::gui {

QuantizerEditor::QuantizerEditor(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
{
    title_ = new QLabel(this);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    title_->setWordWrap(true); // long QCDQ names must not widen the dock
    title_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bits_ = new QSpinBox(this);
    bits_->setRange(1, 32);
    bits_->setSuffix(tr(" bits"));
    bits_->setKeyboardTracking(false); // typing "12" is one edit, not "1" then "12"
    signed_ = new QCheckBox(tr("signed"), this);
    narrow_ = new QCheckBox(tr("narrow"), this);
    rounding_ = new QComboBox(this);
    for (const char* mode : {"ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN"})
        rounding_->addItem(QString::fromLatin1(mode));
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d93636;"));
    error_->hide();

    auto* row = new QHBoxLayout;
    row->addWidget(bits_);
    row->addWidget(signed_);
    row->addWidget(narrow_);
    row->addWidget(rounding_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(title_);
    layout->addLayout(row);
    layout->addWidget(error_);

    connect(bits_, &QSpinBox::valueChanged, this, [this] { apply("bits"); });
    connect(signed_, &QCheckBox::toggled, this, [this] { apply("signed"); });
    connect(narrow_, &QCheckBox::toggled, this, [this] { apply("narrow"); });
    connect(rounding_, &QComboBox::currentIndexChanged, this, [this] { apply("rounding"); });
    connect(document_, &QuantDocument::quantizerChanged, this, [this](int q) {
        if (q < 0 || q == quantizer_)
            reload();
    });
    connect(document_, &QuantDocument::topologyChanged, this, &QuantizerEditor::reload);
    connect(document_, &QuantDocument::modelReset, this, [this] { setQuantizer(-1); });
    setVisible(false);
}

void QuantizerEditor::setQuantizer(int quantizer)
{
    quantizer_ = quantizer;
    error_->hide();
    reload();
}

QString QuantizerEditor::lastError() const
{
    return error_->isVisible() ? error_->text() : QString();
}

void QuantizerEditor::reload()
{
    if (!document_->isLoaded() || quantizer_ < 0
        || static_cast<std::size_t>(quantizer_) >= document_->doc().quantizers().size()) {
        setVisible(false);
        return;
    }
    const qs::Quantizer& q = document_->doc().quantizers()[static_cast<std::size_t>(quantizer_)];
    const bool integer = q.kind == qs::QuantizerKind::IntQuant || q.kind == qs::QuantizerKind::QCDQ
        || q.kind == qs::QuantizerKind::QDQ || q.kind == qs::QuantizerKind::DequantizeOnly;
    loading_ = true;
    const QSignalBlocker b1(bits_), b2(signed_), b3(narrow_), b4(rounding_);
    title_->setText(
        tr("Edit %1 quantizer “%2”")
            .arg(QString::fromLatin1(qs::quantizerRoleName(q.role)), QString::fromStdString(q.name)));
    bits_->setEnabled(integer && q.bitWidth.has_value());
    bits_->setValue(q.bitWidth ? static_cast<int>(std::lround(*q.bitWidth)) : 8);
    signed_->setEnabled(integer);
    signed_->setChecked(q.isSigned);
    narrow_->setEnabled(integer);
    narrow_->setChecked(q.narrow);
    rounding_->setEnabled(q.kind == qs::QuantizerKind::IntQuant);
    int index = rounding_->findText(QString::fromStdString(q.roundingMode), Qt::MatchFixedString);
    if (index < 0 && q.roundingMode == "HALF_EVEN")
        index = 0;
    rounding_->setCurrentIndex(std::max(index, 0));
    loading_ = false;
    setVisible(true);
}

void QuantizerEditor::apply(const char* field)
{
    if (loading_ || quantizer_ < 0)
        return;
    qs::QuantizerEdit edit;
    if (std::strcmp(field, "bits") == 0)
        edit.bitWidth = bits_->value();
    else if (std::strcmp(field, "signed") == 0)
        edit.isSigned = signed_->isChecked();
    else if (std::strcmp(field, "narrow") == 0)
        edit.narrow = narrow_->isChecked();
    else
        edit.roundingMode = rounding_->currentText().toStdString();
    const QString error = document_->editQuantizer(quantizer_, edit);
    error_->setText(error);
    error_->setVisible(!error.isEmpty());
    if (!error.isEmpty())
        reload(); // snap back to what the document holds
}

} // namespace qs::gui
