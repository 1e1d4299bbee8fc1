#pragma once
// The versions of Quantscope and the libraries it runs on, for --version and the About dialog: the
// running Qt's, then core's list (qs::dependencyVersions()), as quantscope-cli prints them.
#include <QList>
#include <QPair>
#include <QString>

namespace qs::gui {

struct VersionInfo {
    QString quantscope;
    QList<QPair<QString, QString>> libraries; // {"Qt", "6.4.2"}, {"ONNX", …}, {"protobuf", …}, …
};

VersionInfo versionInfo();
QString versionText(const VersionInfo& v); // "quantscope 0.1.0\nQt 6.4.2\n…", one line each
QString librariesSentence(const VersionInfo& v); // "Qt 6.4.2, ONNX 1.12.0-2+b4, …"

} // namespace qs::gui
