#include "widgets/commands/bulkeditcommand.h"

namespace qs::gui {

BulkEditCommand::BulkEditCommand(QuantDocument* document, qs::ChangeRecord record)
    : RecordCommand(document, -1, std::move(record))
{
}

} // namespace qs::gui
