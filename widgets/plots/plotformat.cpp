#include "widgets/plots/plotformat.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace qs::gui {

int siExponent(double value)
{
    const double a = std::abs(value);
    if (!std::isfinite(a) || a < 1e3)
        return 0;
    const int exponent = 3 * static_cast<int>(std::floor(std::log10(a) / 3));
    return std::min(exponent, 15);
}

QString formatWithSiExponent(double value, int exponent)
{
    static const char* const prefixes[] = {"", " k", " M", " G", " T", " P"};
    const double scaled = value / std::pow(10.0, exponent);
    const double a = std::abs(scaled);
    const int decimals = a == 0 || a >= 100 ? 0 : a >= 10 ? 1 : 2;
    QString text = QString::number(scaled, 'f', exponent == 0 && scaled == std::round(scaled) ? 0 : decimals);
    return text + QLatin1String(prefixes[std::clamp(exponent / 3, 0, 5)]);
}

QString formatSi(double value)
{
    return formatWithSiExponent(value, siExponent(value));
}

QString formatChangePercent(double before, double after)
{
    if (before == 0 || !std::isfinite(before) || !std::isfinite(after))
        return {};
    const double percent = 100.0 * (after - before) / before;
    const double a = std::abs(percent);
    const QString magnitude = QString::number(a, 'f', a >= 10 || a == std::round(a) ? 0 : 1);
    if (magnitude == QLatin1String("0"))
        return QStringLiteral("±0 %");
    return (percent < 0 ? QStringLiteral("\u2212") : QStringLiteral("+")) + magnitude + QStringLiteral(" %");
}

QString layerDisplayName(const std::string& name, const std::string& opType, int layer)
{
    if (!name.empty())
        return QString::fromStdString(name);
    return QStringLiteral("%1 #%2").arg(QString::fromStdString(opType)).arg(layer);
}

QString elideLayerLabel(const QString& label, int maxChars)
{
    if (label.size() <= maxChars || maxChars < 2)
        return label;
    return QStringLiteral("\u2026") + label.right(maxChars - 1);
}

QStringList shortLayerLabels(const QStringList& names, const QStringList& opTypes, int maxChars)
{
    const qsizetype n = names.size();
    std::vector<QStringList> segments(static_cast<std::size_t>(n));
    std::vector<qsizetype> used(static_cast<std::size_t>(n), 1);
    for (qsizetype i = 0; i < n; ++i) {
        QStringList parts = names[i].split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.size() > 1 && i < opTypes.size() && parts.back() == opTypes[i])
            parts.removeLast();
        if (parts.isEmpty())
            parts << names[i];
        segments[static_cast<std::size_t>(i)] = parts;
    }
    auto label = [&](qsizetype i) {
        const QStringList& parts = segments[static_cast<std::size_t>(i)];
        return parts.mid(parts.size() - used[static_cast<std::size_t>(i)]).join(QLatin1Char('/'));
    };
    // Lengthen the labels that collide until they differ or run out of segments.
    for (bool grew = true; grew;) {
        grew = false;
        std::map<QString, std::vector<qsizetype>> byLabel;
        for (qsizetype i = 0; i < n; ++i)
            byLabel[label(i)].push_back(i);
        for (const auto& [text, members] : byLabel) {
            if (members.size() < 2)
                continue;
            for (qsizetype i : members)
                if (used[static_cast<std::size_t>(i)] < segments[static_cast<std::size_t>(i)].size()) {
                    ++used[static_cast<std::size_t>(i)];
                    grew = true;
                }
        }
    }
    QStringList labels;
    for (qsizetype i = 0; i < n; ++i)
        labels << elideLayerLabel(label(i), maxChars);
    return labels;
}

QString layerToolTipHeader(const std::string& name, const std::string& opType, int layer, std::int64_t k)
{
    return QStringLiteral("<b>%1</b> (%2, K = %3)")
        .arg(layerDisplayName(name, opType, layer).toHtmlEscaped(), QString::fromStdString(opType))
        .arg(k);
}

} // namespace qs::gui
