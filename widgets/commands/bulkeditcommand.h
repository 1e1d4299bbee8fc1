#pragma once
// Undo step for an edit of many quantizers at once (e.g. every conv weight to 4 bits): one step.
#include "widgets/commands/recordcommand.h"

namespace qs::gui {

class BulkEditCommand : public RecordCommand {
public:
    BulkEditCommand(QuantDocument* document, qs::ChangeRecord record);
};

} // namespace qs::gui
