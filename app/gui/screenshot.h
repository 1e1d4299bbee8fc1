#pragma once
// Headless screenshots: waits until the model is loaded, the graph laid out and the analysis done,
// applies the selection and overlay, grabs the main window into a PNG and quits with 0 (2 on
// failure; a failed analysis is reported and the window shot anyway). Prints the timings
// (open -> loaded -> laid out -> analysed -> painted) on stderr.
#include "commandline.h"

#include <QElapsedTimer>
#include <QObject>

namespace qs::gui {

class MainWindow;

class ScreenshotJob : public QObject {
    Q_OBJECT
public:
    ScreenshotJob(MainWindow* window, GuiOptions options, QObject* parent = nullptr);
    void start(const QString& model);

private:
    void onLoaded();
    void onLaidOut();
    void onAnalysed();
    void shootWhenReady();
    void finish(int exitCode, const QString& message);

    MainWindow* window_;
    GuiOptions options_;
    QElapsedTimer clock_;
    qint64 loadedMs_ = 0;
    qint64 laidOutMs_ = -1;
    qint64 analysedMs_ = -1;
    bool done_ = false;
};

} // namespace qs::gui
