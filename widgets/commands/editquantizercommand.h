#pragma once
// Undo step for an edit of one quantizer. Consecutive edits of the same field of the same quantizer
// merge into one step, so dragging a bit-width spin box from 8 to 2 undoes in one go.
#include "widgets/commands/recordcommand.h"

namespace qs::gui {

class EditQuantizerCommand : public RecordCommand {
public:
    EditQuantizerCommand(QuantDocument* document, int quantizer, qs::ChangeRecord record);

    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;
};

} // namespace qs::gui
