#pragma once
// The versions of Quantscope and the libraries it runs on, for --version and the About dialog.
#include <QString>

namespace qs::gui {

struct VersionInfo {
    QString quantscope;
    QString qt; // run time
    QString onnx; // compile time (onnx has no runtime version symbol)
    QString protobuf; // compile time header version
    QString graphviz; // run time when the context reports it
};

VersionInfo versionInfo();
QString versionText(const VersionInfo& v); // several lines, plain text

} // namespace qs::gui
