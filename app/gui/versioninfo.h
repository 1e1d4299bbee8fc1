#pragma once
// The versions of Quantscope and the libraries it runs on, for --version and the About dialog: core's
// list (qs::dependencyVersions(), the same one quantscope-cli prints) with Qt's and Graphviz's run-time
// versions.
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
