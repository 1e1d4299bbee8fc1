// Menus, shortcuts, the theme and the About dialog.
#include "aboutdialog.h"
#include "mainwindow.h"
#include "versioninfo.h"
#include "widgets/bulkeditdialog.h"
#include "widgets/documentmodel.h"
#include "widgets/findbar.h"
#include "widgets/graphwidget.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QToolBar>

namespace qs::gui {
namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x20, 0x24), text(0xe6, 0xe6, 0xe8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6f, 0xa3, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7b, 0xe0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x94, 0x9c));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

// The palette the platform gave us, before any theme was applied: "System" returns to it.
const QPalette& systemPalette()
{
    static const QPalette palette = QApplication::palette();
    return palette;
}

} // namespace

void MainWindow::createActions()
{
    (void)systemPalette(); // capture before a theme changes it
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Example"), this, [this] {
        if (maybeSave())
            openFile(examplePath());
    });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addSeparator();
    saveAction_ = file->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction_->setShortcut(QKeySequence::Save);
    saveAsAction_ = file->addAction(tr("Save &As…"), this, &MainWindow::saveAs);
    saveAsAction_->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(exportPlotAction_);
    file->addAction(exportTableAction_);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* bulk = edit->addAction(tr("Set &Bit Widths…"), this, [this] {
        BulkEditDialog dialog(document_, this);
        dialog.exec();
    });
    connect(document_, &QuantDocument::modelReset, bulk,
        [this, bulk] { bulk->setEnabled(document_->isLoaded()); });
    bulk->setEnabled(false);
    edit->addAction(fitAction_);
    edit->addSeparator();
    QAction* find = edit->addAction(tr("&Find…"), findBar_, &FindBar::activate);
    find->setShortcut(QKeySequence::Find);
    QAction* findNext = edit->addAction(tr("Find &Next"), findBar_, &FindBar::next);
    findNext->setShortcut(QKeySequence::FindNext);
    QAction* findPrevious = edit->addAction(tr("Find &Previous"), findBar_, &FindBar::previous);
    findPrevious->setShortcut(QKeySequence::FindPrevious);

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(inputsAction_);
    analysis->addAction(firstDivergenceAction_);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    viewMenu_->addAction(graph_->zoomInAction());
    viewMenu_->addAction(graph_->zoomOutAction());
    viewMenu_->addAction(graph_->zoomFitAction());
    viewMenu_->addAction(graph_->collapseAction());
    viewMenu_->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addAction(analysisBar_->toggleViewAction());
    viewMenu_->addSeparator();
    QMenu* theme = viewMenu_->addMenu(tr("&Theme"));
    auto* group = new QActionGroup(this);
    const QString current = QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString();
    for (const auto& [key, label] : {std::pair {"system", "Follow &system"}, std::pair {"light", "&Light"},
             std::pair {"dark", "&Dark"}}) {
        QAction* action = theme->addAction(tr(label));
        action->setCheckable(true);
        action->setChecked(current == QLatin1String(key));
        group->addAction(action);
        const QString name = QString::fromLatin1(key);
        connect(action, &QAction::triggered, this, [this, name] {
            QSettings().setValue(QStringLiteral("theme"), name);
            applyTheme(name);
        });
    }
    if (current != QLatin1String("system"))
        applyTheme(current);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Quantscope"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    auto updateEnabled = [this] {
        saveAction_->setEnabled(document_->isLoaded());
        saveAsAction_->setEnabled(document_->isLoaded());
    };
    connect(document_, &QuantDocument::modelReset, this, updateEnabled);
    updateEnabled();
}

void MainWindow::setTheme(const QString& theme, bool persist)
{
    if (persist)
        QSettings().setValue(QStringLiteral("theme"), theme);
    applyTheme(theme);
}

void MainWindow::applyTheme(const QString& theme)
{
    if (theme == QLatin1String("system")) {
        QApplication::setPalette(systemPalette());
        return;
    }
    // Fusion draws every palette faithfully, whatever the platform style.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(
        theme == QLatin1String("dark") ? darkPalette() : QApplication::style()->standardPalette());
}

void MainWindow::showAbout()
{
    AboutDialog(this).exec();
}

} // namespace qs::gui
