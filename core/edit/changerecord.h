#pragma once
// The exact inverse of an edit. Every entry of the model protobuf an edit touched is kept as its
// serialized bytes before and after, in the order the edit made the changes, so undo() restores the
// document byte for byte and redo() re-applies it. The GUI's QUndoCommands only hold one of these.
#include "core/model/modeldocument.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

// The repeated fields of the model an edit may change.
enum class ProtoSection { Node, Initializer, GraphInput, GraphOutput, ValueInfo, OpsetImport };

struct EntryChange {
    enum class Kind { Replace, Insert, Erase };
    Kind kind = Kind::Replace;
    ProtoSection section = ProtoSection::Node;
    int index = -1; // position in the repeated field when the change was made
    std::string before; // Replace / Erase: the entry's serialized bytes before
    std::string after; // Replace / Insert: the entry's serialized bytes after
};

// The user-visible fields of a quantizer.
enum class QuantizerField { BitWidth, Signed, Narrow, RoundingMode, Scale, ZeroPoint };
const char* quantizerFieldName(QuantizerField field); // "bit width", "signed", ...

// One field of one quantizer, old -> new, as text for the CLI and the GUI's undo history.
struct FieldChange {
    std::string quantizer; // display name of the quantizer's main node
    QuantizerField field = QuantizerField::BitWidth;
    std::string oldValue;
    std::string newValue;
};

struct ChangeRecord {
    std::string description; // e.g. "Set bit width of 'Quant_3' to 4"
    std::vector<EntryChange> entries; // in application order
    std::vector<FieldChange> fields; // what changed, per quantizer and field
    std::vector<std::string> notes; // un-shared initializers, replaced constant subgraphs, skips
    bool topologyChanged = false; // names, dtypes, dims or nodes changed: refresh(true) needed

    // Merge key: set for an edit of exactly one field of one quantizer, empty for compound edits.
    std::string quantizerKey;
    std::optional<QuantizerField> field;

    bool empty() const { return entries.empty(); }
};

// Restores the state before `record` / re-applies it, then refreshes the document.
void undo(ModelDocument& doc, const ChangeRecord& record);
void redo(ModelDocument& doc, const ChangeRecord& record);

// Raw application without refresh (for compound edits and tests).
void applyForward(onnx::ModelProto& model, const std::vector<EntryChange>& entries);
void applyBackward(onnx::ModelProto& model, const std::vector<EntryChange>& entries);

// Consecutive edits of the same field of the same quantizer fold into one undo step (a dragged spin
// box); merge(a, b) is the record of "a, then b".
bool mergeable(const ChangeRecord& a, const ChangeRecord& b);
ChangeRecord merge(const ChangeRecord& a, const ChangeRecord& b);

// Several records applied in sequence as one (bulk edits).
ChangeRecord combine(std::string description, const std::vector<ChangeRecord>& records);

} // namespace qs
