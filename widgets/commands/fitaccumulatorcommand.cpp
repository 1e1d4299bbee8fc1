#include "widgets/commands/fitaccumulatorcommand.h"

#include "widgets/documentmodel.h"

namespace qs::gui {

FitAccumulatorCommand::FitAccumulatorCommand(QuantDocument* document, qs::ChangeRecord record)
    : RecordCommand(document, -1, std::move(record))
{
}

QString FitAccumulatorCommand::fit(
    QuantDocument* document, const qs::FitOptions& options, qs::FitReport& report)
{
    if (!document->isLoaded())
        return QObject::tr("no model is open");
    try {
        report = qs::fitAccumulators(document->mutableDoc(), options);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    if (!report.record.empty())
        document->undoStack()->push(new FitAccumulatorCommand(document, report.record));
    return {};
}

} // namespace qs::gui
