#include "widgets/commands/recordcommand.h"

#include "widgets/documentmodel.h"

namespace qs::gui {

RecordCommand::RecordCommand(QuantDocument* document, int quantizer, qs::ChangeRecord record)
    : document_(document)
    , quantizer_(quantizer)
    , record_(std::move(record))
{
    setText(QString::fromStdString(record_.description));
}

void RecordCommand::undo()
{
    qs::undo(document_->mutableDoc(), record_);
    announce();
}

void RecordCommand::redo()
{
    // QUndoStack::push() calls redo(); core has applied the edit already when it was validated.
    if (alreadyApplied_)
        alreadyApplied_ = false;
    else
        qs::redo(document_->mutableDoc(), record_);
    announce();
}

void RecordCommand::announce()
{
    if (record_.topologyChanged)
        document_->notifyTopologyChanged();
    else
        document_->notifyQuantizerChanged(quantizer_);
}

} // namespace qs::gui
