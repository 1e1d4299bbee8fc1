#pragma once
// The main window. Split by concern: mainwindow.cpp (frame, title, close, drag and drop, status),
// mainwindow_actions.cpp (menus and toolbar), mainwindow_docks.cpp (panels), mainwindow_files.cpp
// (open, save, recent files, the bundled example).
#include <QMainWindow>
#include <QStringList>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QTemporaryDir;

namespace qs::gui {

class Autosaver;
class FindBar;
class GraphWidget;
class LayerTable;
class ProgressIndicator;
class PropertyPanel;
class QuantDocument;
class TaskRunner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QuantDocument* document() const { return document_; }
    Autosaver* autosaver() const { return autosaver_; }
    GraphWidget* graphWidget() const { return graph_; }
    LayerTable* layerTable() const { return layerTable_; }
    PropertyPanel* propertyPanel() const { return properties_; }
    FindBar* findBar() const { return findBar_; }

    // Loads in the background; emits modelOpened() or loadFailed(). `interactive` shows errors in a
    // message box (off for --screenshot).
    void openFile(const QString& path, bool interactive = true);
    // The bundled example: installed copy, source-tree copy, or the one in the resources.
    QString examplePath() const;
    bool save();
    bool saveAs();
    // "system", "light" or "dark"; remembered in the settings unless `persist` is false.
    void setTheme(const QString& theme, bool persist = true);

signals:
    void modelOpened();
    void loadFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // mainwindow_actions.cpp
    void createActions();
    void createMenus();
    void applyTheme(const QString& theme);
    void showAbout();
    // mainwindow_docks.cpp
    void createDocks();
    // mainwindow_files.cpp
    void openDialog();
    bool maybeSave();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    // mainwindow.cpp
    void updateTitle();
    void updateSummary();

    QuantDocument* document_;
    Autosaver* autosaver_;
    TaskRunner* loader_;
    GraphWidget* graph_ = nullptr;
    LayerTable* layerTable_ = nullptr;
    PropertyPanel* properties_ = nullptr;
    FindBar* findBar_ = nullptr;
    ProgressIndicator* progress_ = nullptr;
    QLabel* summary_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QAction* saveAction_ = nullptr;
    QAction* saveAsAction_ = nullptr;
    QString pendingPath_;
    mutable std::unique_ptr<QTemporaryDir> exampleDir_; // holds the example copied out of the resources
};

} // namespace qs::gui
