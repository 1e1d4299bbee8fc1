// Opening, saving, recent files and the bundled example.
#include "core/model/modeldocument.h"
#include "mainwindow.h"
#include "widgets/documentmodel.h"
#include "widgets/taskrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>

namespace qs::gui {
namespace {

constexpr int kMaxRecentFiles = 8;
const char* const kExampleName = "resnet8_cifar10_w4a4.onnx";
const char* const kRecentKey = "recentFiles";

} // namespace

void MainWindow::openFile(const QString& path, bool interactive)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    pendingPath_ = absolute;
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    loader_->start(
        tr("Loading %1").arg(QFileInfo(path).fileName()),
        [this, absolute, interactive](const qs::Progress& progress) -> TaskRunner::Continuation {
            // std::function needs a copyable closure, hence the shared holder.
            auto doc = std::make_shared<std::unique_ptr<qs::ModelDocument>>(
                qs::ModelDocument::load(absolute.toStdString(), qs::Limits::defaults(), &progress));
            return [this, doc, absolute, interactive] { // back on the GUI thread
                document_->reset(std::move(*doc));
                if (interactive) // headless runs leave the user's recent files alone
                    addRecentFile(absolute);
                statusBar()->clearMessage();
                emit modelOpened();
            };
        },
        [this, interactive](const QString& message) {
            statusBar()->showMessage(message);
            if (interactive)
                QMessageBox::critical(this, tr("Cannot open model"), message);
            emit loadFailed(message);
        });
}

QString MainWindow::examplePath() const
{
    const QString installed
        = QDir(QCoreApplication::applicationDirPath())
              .filePath(QStringLiteral("../" QS_INSTALL_EXAMPLES_DIR "/") + QLatin1String(kExampleName));
    if (QFileInfo::exists(installed))
        return QFileInfo(installed).canonicalFilePath();
    const QString source = QStringLiteral(QS_SOURCE_EXAMPLES_DIR "/") + QLatin1String(kExampleName);
    if (QFileInfo::exists(source))
        return source;
    // Neither installed nor built here: the copy compiled into the binary always works.
    if (!exampleDir_)
        exampleDir_ = std::make_unique<QTemporaryDir>();
    const QString copy = exampleDir_->filePath(QLatin1String(kExampleName));
    if (!QFileInfo::exists(copy))
        QFile::copy(QStringLiteral(":/examples/") + QLatin1String(kExampleName), copy);
    return copy;
}

void MainWindow::openDialog()
{
    if (!maybeSave())
        return;
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDir")).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open model"), dir, tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastDir"), QFileInfo(path).absolutePath());
    openFile(path);
}

bool MainWindow::save()
{
    if (!document_->isLoaded())
        return false;
    if (document_->filePath().isEmpty())
        return saveAs();
    try {
        document_->saveAs(document_->filePath());
        statusBar()->showMessage(tr("Saved %1").arg(document_->displayName()), 4000);
        return true;
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save"), QString::fromUtf8(e.what()));
        return false;
    }
}

bool MainWindow::saveAs()
{
    if (!document_->isLoaded())
        return false;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save model as"), document_->filePath(), tr("ONNX models (*.onnx)"));
    if (path.isEmpty())
        return false;
    try {
        document_->saveAs(path);
        addRecentFile(path);
        return true;
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save"), QString::fromUtf8(e.what()));
        return false;
    }
}

bool MainWindow::maybeSave()
{
    if (!document_->isLoaded() || !document_->isModified())
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them?").arg(document_->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList files = settings.value(QLatin1String(kRecentKey)).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(QLatin1String(kRecentKey), files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!recentMenu_)
        return;
    recentMenu_->clear();
    const QStringList files = QSettings().value(QLatin1String(kRecentKey)).toStringList();
    for (const QString& file : files) {
        QAction* action = recentMenu_->addAction(QFileInfo(file).fileName());
        action->setToolTip(file);
        connect(action, &QAction::triggered, this, [this, file] {
            if (maybeSave())
                openFile(file);
        });
    }
    recentMenu_->setEnabled(!files.isEmpty());
}

} // namespace qs::gui
