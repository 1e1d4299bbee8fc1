#include "widgets/commands/editquantizercommand.h"

#include "widgets/commands/commandids.h"

namespace qs::gui {

EditQuantizerCommand::EditQuantizerCommand(QuantDocument* document, int quantizer, qs::ChangeRecord record)
    : RecordCommand(document, quantizer, std::move(record))
{
}

int EditQuantizerCommand::id() const
{
    // Compound edits (several fields) never merge.
    return record_.quantizerKey.empty() ? -1 : EditQuantizerCommandId;
}

bool EditQuantizerCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const EditQuantizerCommand*>(other);
    if (next->quantizer_ != quantizer_ || !qs::mergeable(record_, next->record_))
        return false;
    record_ = qs::merge(record_, next->record_);
    setText(QString::fromStdString(next->record_.description));
    return true;
}

} // namespace qs::gui
