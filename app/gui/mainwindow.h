#pragma once
// The main window. Split by concern: mainwindow.cpp (frame, title, close, drag and drop, status),
// mainwindow_actions.cpp (menus), mainwindow_docks.cpp (panels), mainwindow_files.cpp (open, save,
// recent files, the bundled example), mainwindow_analysis.cpp (the live analysis: its toolbar, status,
// inputs, fit accumulator, exports).
#include <QMainWindow>
#include <QStringList>

#include <memory>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QSpinBox;
class QTemporaryDir;
class QToolBar;

namespace qs::gui {

class AnalysisController;
class AnalysisPlots;
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
    AnalysisController* analysisController() const { return analysis_; }
    AnalysisPlots* analysisPlots() const { return plots_; }
    QSpinBox* accBitsBox() const { return accBits_; }

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
    // mainwindow_analysis.cpp
    void createAnalysis();
    void createAnalysisToolBar();
    void connectAnalysisViews();
    void onAnalysisReady();
    void goToFirstDivergence();
    void editInputs();
    void fitAccumulator();
    void exportPlot();
    void exportLayerTable();
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
    AnalysisController* analysis_ = nullptr;
    AnalysisPlots* plots_ = nullptr;
    QToolBar* analysisBar_ = nullptr;
    QSpinBox* accBits_ = nullptr;
    QDoubleSpinBox* threshold_ = nullptr;
    QLabel* analysisStatus_ = nullptr;
    QAction* firstDivergenceAction_ = nullptr;
    QAction* inputsAction_ = nullptr;
    QAction* fitAction_ = nullptr;
    QAction* exportPlotAction_ = nullptr;
    QAction* exportTableAction_ = nullptr;
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
