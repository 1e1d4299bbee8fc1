#pragma once
// The quantscope command line: MODEL, --screenshot FILE.png [--select NODE] [--overlay METRIC]
// [--size WxH] [--acc-bits P], --version.
#include <QSize>
#include <QString>
#include <QStringList>

namespace qs::gui {

struct GuiOptions {
    QString model; // empty: open the bundled example
    QString screenshot; // non-empty: headless, render to this PNG and exit
    QString select; // node name to select in the screenshot
    QString overlay = QStringLiteral("none");
    QSize size {1600, 1000};
    bool collapse = false;
    int accBits = 0; // accumulator width P of the analysis; 0: the default
    QString theme; // empty: as saved in the settings
};

// True when the arguments ask for headless work, so the offscreen platform can be chosen before
// QApplication exists.
bool isHeadless(int argc, char** argv);

// Parses QCoreApplication::arguments(); prints help/version and returns false with `exitCode` set
// when the program should stop.
bool parseCommandLine(const QStringList& arguments, GuiOptions& options, int& exitCode);

} // namespace qs::gui
