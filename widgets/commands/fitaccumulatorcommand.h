#pragma once
// Undo step for an accumulator-aware weight projection (core/projection/accumulatorfit.h): every
// projected layer of one fit is one step, undone byte for byte.
#include "core/projection/accumulatorfit.h"
#include "widgets/commands/recordcommand.h"

#include <QString>

namespace qs::gui {

class FitAccumulatorCommand : public RecordCommand {
public:
    FitAccumulatorCommand(QuantDocument* document, qs::ChangeRecord record);

    // Projects the weights of the open model (core applies the edit, verifies it and keeps the
    // document unchanged on failure) and pushes the change as one undo step. Returns the refusal
    // message, empty on success — also when every layer already fitted (`report.record` is empty).
    static QString fit(QuantDocument* document, const qs::FitOptions& options, qs::FitReport& report);
};

} // namespace qs::gui
