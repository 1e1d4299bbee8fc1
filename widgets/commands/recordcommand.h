#pragma once
// The common part of the undo commands: a thin wrapper over a core ChangeRecord (the exact inverse
// of an edit core already applied). redo() the first time only announces the change.
#include "core/edit/changerecord.h"

#include <QUndoCommand>

namespace qs::gui {

class QuantDocument;

class RecordCommand : public QUndoCommand {
public:
    // `quantizer`: the one quantizer changed, -1 for several.
    RecordCommand(QuantDocument* document, int quantizer, qs::ChangeRecord record);

    void undo() override;
    void redo() override;
    const qs::ChangeRecord& record() const { return record_; }
    int quantizer() const { return quantizer_; }

protected:
    void announce();

    QuantDocument* document_;
    int quantizer_;
    qs::ChangeRecord record_;
    bool alreadyApplied_ = true;
};

} // namespace qs::gui
