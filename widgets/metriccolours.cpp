#include "widgets/metriccolours.h"

#include "core/analysis/accumulatoranalysis.h"

#include <algorithm>

namespace qs::gui {

QColor severityColour(double severity)
{
    const double s = std::clamp(severity, 0.0, 1.0);
    return QColor::fromHsvF(static_cast<float>((1.0 - s) * 0.33), 0.55f, 0.95f);
}

QColor riskColour(qs::RiskClass risk)
{
    switch (risk) {
    case qs::RiskClass::Safe:
        return severityColour(0.0);
    case qs::RiskClass::Possible:
        return severityColour(0.5);
    case qs::RiskClass::Unverified:
        return severityColour(0.7);
    case qs::RiskClass::Observed:
        return severityColour(1.0);
    case qs::RiskClass::NotApplicable:
        break;
    }
    return {};
}

QString riskText(qs::RiskClass risk)
{
    return QString::fromLatin1(qs::riskClassLabel(risk));
}

QColor textOnMetricColour()
{
    return {0x1d, 0x1f, 0x24};
}

} // namespace qs::gui
