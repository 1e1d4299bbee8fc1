#include "commandline.h"

#include "versioninfo.h"
#include "widgets/graphoverlay.h"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cstdio>
#include <cstring>

namespace qs::gui {

bool isHeadless(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"--screenshot", "--version", "-v", "--help", "-h"})
            if (std::strcmp(argv[i], flag) == 0 || std::strncmp(argv[i], "--screenshot=", 13) == 0)
                return true;
    return false;
}

bool parseCommandLine(const QStringList& arguments, GuiOptions& options, int& exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Inspect, measure and edit quantized ONNX networks."));
    parser.addHelpOption();
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
        QStringLiteral("Print the versions of Quantscope, Qt, ONNX, protobuf and Graphviz."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral(
            "Render the window to FILE.png once loading, layout and analysis are done, then exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption select(QStringLiteral("select"),
        QStringLiteral("Select the node NODE (screenshot)."), QStringLiteral("NODE"));
    const QCommandLineOption overlay(QStringLiteral("overlay"),
        QStringLiteral("Tint the graph by METRIC: %1.").arg(overlayNames().join(QStringLiteral(", "))),
        QStringLiteral("METRIC"), QStringLiteral("none"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for the screenshot."),
        QStringLiteral("WxH"), QStringLiteral("1600x1000"));
    const QCommandLineOption accBits({QStringLiteral("P"), QStringLiteral("acc-bits")},
        QStringLiteral("Accumulator width P of the analysis (8-64)."), QStringLiteral("BITS"));
    const QCommandLineOption collapse(
        QStringLiteral("collapse"), QStringLiteral("Collapse quantizers into badges."));
    const QCommandLineOption theme(QStringLiteral("theme"),
        QStringLiteral("Colour theme: system, light or dark."), QStringLiteral("THEME"));
    parser.addOptions({version, screenshot, select, overlay, size, accBits, collapse, theme});
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("The .onnx model to open."));

    auto fail = [&](const QString& message) {
        std::fprintf(stderr, "quantscope: %s\n", qPrintable(message));
        exitCode = 2;
        return false;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        exitCode = 0;
        return false;
    }
    if (parser.isSet(version)) {
        std::fputs(qPrintable(versionText(versionInfo())), stdout);
        exitCode = 0;
        return false;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return fail(QStringLiteral("expected at most one MODEL, got %1").arg(positional.size()));
    options.model = positional.value(0);
    options.screenshot = parser.value(screenshot);
    options.select = parser.value(select);
    options.overlay = parser.value(overlay);
    options.collapse = parser.isSet(collapse);
    options.theme = parser.value(theme);
    if (!options.theme.isEmpty() && !QStringList {"system", "light", "dark"}.contains(options.theme))
        return fail(QStringLiteral("--theme expects system, light or dark, got '%1'").arg(options.theme));
    if (parser.isSet(accBits)) {
        bool ok = false;
        options.accBits = parser.value(accBits).toInt(&ok);
        if (!ok || options.accBits < 8 || options.accBits > 64)
            return fail(QStringLiteral("--acc-bits expects 8 to 64, got '%1'").arg(parser.value(accBits)));
    }
    GraphOverlay unused;
    if (!parseOverlay(options.overlay, unused))
        return fail(QStringLiteral("unknown --overlay '%1' (expected %2)")
                        .arg(options.overlay, overlayNames().join(QStringLiteral(", "))));
    const QRegularExpressionMatch m
        = QRegularExpression(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$")).match(parser.value(size));
    if (!m.hasMatch())
        return fail(QStringLiteral("--size expects WxH, e.g. 1600x1000, got '%1'").arg(parser.value(size)));
    options.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    return true;
}

} // namespace qs::gui
