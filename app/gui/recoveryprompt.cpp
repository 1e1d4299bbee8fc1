#include "recoveryprompt.h"

#include "core/model/modeldocument.h"
#include "widgets/autosaver.h"
#include "widgets/documentmodel.h"

#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

#include <filesystem>

namespace qs::gui {

bool offerRecovery(QWidget* parent, QuantDocument& document, Autosaver& autosaver)
{
    const std::vector<AutosaveEntry> orphans = autosaver.store().orphans();
    if (orphans.empty())
        return false;
    const AutosaveEntry& entry = orphans.front();
    const QString name = entry.originalPath.isEmpty() ? QObject::tr("an untitled model")
                                                      : QFileInfo(entry.originalPath).fileName();
    QMessageBox box(QMessageBox::Question, QObject::tr("Recover unsaved changes"),
        QObject::tr("Quantscope was closed unexpectedly with unsaved changes to %1.").arg(name), {}, parent);
    QString details = QObject::tr("%n edit(s), autosaved %1.", nullptr, entry.editCount)
                          .arg(QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat));
    if (!entry.lastEdit.isEmpty())
        details += QLatin1Char(' ') + QObject::tr("Last edit: %1.").arg(entry.lastEdit);
    if (orphans.size() > 1)
        details += QLatin1Char(' ')
            + QObject::tr("%n more autosave(s) will be offered next time.", nullptr,
                static_cast<int>(orphans.size() - 1));
    box.setInformativeText(details);
    QPushButton* recover = box.addButton(QObject::tr("&Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(QObject::tr("&Discard"), QMessageBox::DestructiveRole);
    box.addButton(QObject::tr("&Later"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();

    if (box.clickedButton() == discard) {
        autosaver.store().remove(entry.key);
        return false;
    }
    if (box.clickedButton() != recover)
        return false;
    try {
        const std::filesystem::path original = entry.originalPath.toStdString();
        document.recover(qs::ModelDocument::loadFromBytes(autosaver.store().modelBytes(entry.key),
                             original.filename().string(), original.parent_path()),
            entry.originalPath);
    } catch (const std::exception& e) {
        QMessageBox::warning(parent, QObject::tr("Recover unsaved changes"),
            QObject::tr("The autosave of %1 cannot be opened: %2").arg(name, QString::fromUtf8(e.what())));
        return false;
    }
    autosaver.saveNow(); // our own entry first, then the orphan: the edits are never without a copy
    autosaver.store().remove(entry.key);
    return true;
}

} // namespace qs::gui
