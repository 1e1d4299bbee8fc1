#include "versioninfo.h"

#include "core/util/versions.h"

#include <QStringList>
#include <QtGlobal>

namespace qs::gui {

VersionInfo versionInfo()
{
    VersionInfo v {QString::fromStdString(qs::quantscopeVersion()), {}};
    v.libraries.append({QStringLiteral("Qt"), QString::fromLatin1(qVersion())});
    for (const auto& [name, version] : qs::dependencyVersions())
        v.libraries.append({QString::fromStdString(name), QString::fromStdString(version)});
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
