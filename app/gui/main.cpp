// quantscope: the desktop application (and its headless --screenshot / --version modes).
#include "commandline.h"
#include "core/util/versions.h"
#include "mainwindow.h"
#include "recoveryprompt.h"
#include "screenshot.h"
#include "widgets/analysiscontroller.h"
#include "widgets/graphwidget.h"

#include <QApplication>
#include <QIcon>

int main(int argc, char** argv)
{
    // Headless modes must not need a display: choose the offscreen platform unless one was asked for.
    if (qs::gui::isHeadless(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationVersion(QString::fromStdString(qs::quantscopeVersion()));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));

    qs::gui::GuiOptions options;
    int exitCode = 0;
    if (!qs::gui::parseCommandLine(QApplication::arguments(), options, exitCode))
        return exitCode;

    qs::gui::MainWindow window;
    if (!options.theme.isEmpty())
        window.setTheme(options.theme, options.screenshot.isEmpty()); // a screenshot changes no settings
    const QString model = options.model.isEmpty() ? window.examplePath() : options.model;
    if (!options.screenshot.isEmpty()) {
        qs::gui::ScreenshotJob job(&window, options);
        job.start(model);
        return QApplication::exec();
    }
    window.show();
    window.graphWidget()->setCollapseQuantizers(options.collapse);
    qs::gui::GraphOverlay overlay = qs::gui::GraphOverlay::None;
    if (qs::gui::parseOverlay(options.overlay, overlay))
        window.graphWidget()->setOverlay(overlay);
    if (options.accBits > 0)
        window.analysisController()->setAccumulatorBits(options.accBits);
    // Edits an earlier run lost in a crash come first; otherwise the model asked for.
    if (!qs::gui::offerRecovery(&window, *window.document(), *window.autosaver()))
        window.openFile(model);
    return QApplication::exec();
}
