#include "versioninfo.h"

#include "core/layout/graphvizlock.h"

#include <QtGlobal>

#include <google/protobuf/stubs/common.h>
#include <graphviz/gvc.h>
#include <mutex>

namespace qs::gui {
namespace {

QString protobufVersion()
{
    const int v = GOOGLE_PROTOBUF_VERSION; // e.g. 3021012 = 3.21.12
    return QStringLiteral("%1.%2.%3").arg(v / 1000000).arg(v / 1000 % 1000).arg(v % 1000);
}

QString graphvizVersion()
{
    std::lock_guard<std::mutex> lock(qs::graphvizMutex());
    if (GVC_t* gvc = qs::graphvizContext())
        if (const char* version = gvcVersion(gvc))
            return QString::fromUtf8(version);
    return QStringLiteral(QS_GRAPHVIZ_VERSION);
}

} // namespace

VersionInfo versionInfo()
{
    return {QStringLiteral(QS_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QS_ONNX_VERSION),
        protobufVersion(), graphvizVersion()};
}

QString versionText(const VersionInfo& v)
{
    return QStringLiteral("quantscope %1\nQt %2\nONNX %3\nprotobuf %4\nGraphviz %5\n")
        .arg(v.quantscope, v.qt, v.onnx, v.protobuf, v.graphviz);
}

} // namespace qs::gui
