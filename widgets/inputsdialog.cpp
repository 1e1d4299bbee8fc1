#include "widgets/inputsdialog.h"

#include "core/model/modeldocument.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <limits>

namespace qs::gui {
namespace {

// Several files are kept in one line edit, separated by ';' (file names rarely hold one).
QStringList splitFiles(const QString& text)
{
    QStringList files;
    for (const QString& f : text.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (!f.trimmed().isEmpty())
            files << f.trimmed();
    return files;
}

QString shapeText(const qs::TensorInfo& t)
{
    if (!t.dims)
        return QStringLiteral("?");
    QStringList dims;
    for (const qs::Dim& d : *t.dims)
        dims << (d.isKnown() ? QString::number(d.value)
                             : QString::fromStdString(d.symbol.empty() ? "?" : d.symbol));
    return QLatin1Char('[') + dims.join(QLatin1Char(',')) + QLatin1Char(']');
}

} // namespace

InputsDialog::InputsDialog(const qs::ModelDocument& doc, const AnalysisSettings& settings, QWidget* parent)
    : QDialog(parent)
    , doc_(doc)
    , settings_(settings)
{
    setWindowTitle(tr("Analysis inputs"));
    auto* form = new QFormLayout(this);
    auto* intro = new QLabel(tr("Data for each graph input: a .npy, .npz or .pb file, or images (one "
                                "sample each). Inputs left empty get seeded random data within the "
                                "input quantizer's range."),
        this);
    intro->setWordWrap(true);
    form->addRow(intro);
    for (qs::TensorId id : doc.graph().graphInputs()) {
        const qs::TensorInfo& info = doc.tensor(id);
        InputRow row {QString::fromStdString(info.name), new QLineEdit(this)};
        row.files->setPlaceholderText(tr("random"));
        row.files->setClearButtonEnabled(true);
        row.files->setText(settings.inputFiles.value(row.name).join(QStringLiteral("; ")));
        row.files->setMinimumWidth(320);
        auto* browse = new QPushButton(tr("Browse…"), this);
        connect(browse, &QPushButton::clicked, this, [this, row] { this->browse(row); });
        auto* line = new QHBoxLayout;
        line->addWidget(row.files, 1);
        line->addWidget(browse);
        form->addRow(QStringLiteral("%1 %2:").arg(row.name, shapeText(info)), line);
        rows_.push_back(row);
    }
    seed_ = new QSpinBox(this);
    seed_->setRange(0, std::numeric_limits<int>::max());
    seed_->setValue(
        static_cast<int>(std::min<std::uint64_t>(settings.seed, std::numeric_limits<int>::max())));
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 4096);
    batch_->setValue(static_cast<int>(settings.batch));
    batch_->setSuffix(tr(" samples"));
    form->addRow(tr("Random seed:"), seed_);
    form->addRow(tr("Random batch:"), batch_);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d93636;"));
    error_->hide();
    form->addRow(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void InputsDialog::browse(const InputRow& row)
{
    QSettings saved;
    const QString dir = saved.value(QStringLiteral("lastInputDir"), QDir::homePath()).toString();
    const QStringList files
        = QFileDialog::getOpenFileNames(this, tr("Data for %1").arg(row.name), dir, inputFileFilter());
    if (files.isEmpty())
        return;
    saved.setValue(QStringLiteral("lastInputDir"), QFileInfo(files.front()).absolutePath());
    row.files->setText(files.join(QStringLiteral("; ")));
}

AnalysisSettings InputsDialog::settings() const
{
    AnalysisSettings s = settings_;
    s.inputFiles.clear();
    for (const InputRow& row : rows_)
        if (const QStringList files = splitFiles(row.files->text()); !files.isEmpty())
            s.inputFiles.insert(row.name, files);
    s.seed = static_cast<std::uint64_t>(seed_->value());
    s.batch = batch_->value();
    return s;
}

void InputsDialog::accept()
{
    try {
        (void)loadInputFiles(doc_, settings().inputFiles);
    } catch (const std::exception& e) {
        error_->setText(QString::fromUtf8(e.what()));
        error_->show();
        adjustSize();
        return;
    }
    QDialog::accept();
}

} // namespace qs::gui
