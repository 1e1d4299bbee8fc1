#include "versioninfo.h"

#include "core/layout/graphvizlock.h"
#include "core/util/versions.h"

#include <QStringList>
#include <QtGlobal>

#include <graphviz/gvc.h>
#include <mutex>

namespace qs::gui {
namespace {

// What the loaded libgvc says, which can differ from the headers the binary was built with.
QString graphvizRuntimeVersion()
{
    std::lock_guard<std::mutex> lock(qs::graphvizMutex());
    if (GVC_t* gvc = qs::graphvizContext())
        if (const char* version = gvcVersion(gvc))
            return QString::fromUtf8(version);
    return {};
}

} // namespace

VersionInfo versionInfo()
{
    VersionInfo v {QString::fromStdString(qs::quantscopeVersion()), {}};
    v.libraries.append({QStringLiteral("Qt"), QString::fromLatin1(qVersion())});
    for (const auto& [name, version] : qs::dependencyVersions()) {
        QString value = QString::fromStdString(version);
        if (name == "Graphviz") {
            const QString runtime = graphvizRuntimeVersion();
            if (!runtime.isEmpty())
                value = runtime;
        }
        v.libraries.append({QString::fromStdString(name), value});
    }
    return v;
}

QString versionText(const VersionInfo& v)
{
    QString text = QStringLiteral("quantscope %1\n").arg(v.quantscope);
    for (const auto& [name, version] : v.libraries)
        text += name + QLatin1Char(' ') + version + QLatin1Char('\n');
    return text;
}

QString librariesSentence(const VersionInfo& v)
{
    QStringList parts;
    for (const auto& [name, version] : v.libraries)
        parts << name + QLatin1Char(' ') + version;
    return parts.join(QStringLiteral(", "));
}

} // namespace qs::gui
