#pragma once
// Ids of the undo commands that merge (QUndoCommand::id), in one place so they never collide.

namespace qs::gui {

enum CommandId {
    EditQuantizerCommandId = 1, // consecutive edits of one field of one quantizer (a dragged spin box)
};

} // namespace qs::gui
