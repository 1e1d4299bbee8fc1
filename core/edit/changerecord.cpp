#include "core/edit/changerecord.h"

#include "core/edit/protosections.h"
#include "core/util/error.h"

namespace qs {

const char* quantizerFieldName(QuantizerField field)
{
    switch (field) {
    case QuantizerField::BitWidth:
        return "bit width";
    case QuantizerField::Signed:
        return "signed";
    case QuantizerField::Narrow:
        return "narrow";
    case QuantizerField::RoundingMode:
        return "rounding mode";
    case QuantizerField::Scale:
        return "scale";
    case QuantizerField::ZeroPoint:
        return "zero point";
    }
    return "?";
}

void applyForward(onnx::ModelProto& model, const std::vector<EntryChange>& entries)
{
    for (const EntryChange& e : entries) {
        switch (e.kind) {
        case EntryChange::Kind::Replace:
            replaceEntry(model, e.section, e.index, e.after);
            break;
        case EntryChange::Kind::Insert:
            insertEntry(model, e.section, e.index, e.after);
            break;
        case EntryChange::Kind::Erase:
            eraseEntry(model, e.section, e.index);
            break;
        }
    }
}

void applyBackward(onnx::ModelProto& model, const std::vector<EntryChange>& entries)
{
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        switch (it->kind) {
        case EntryChange::Kind::Replace:
            replaceEntry(model, it->section, it->index, it->before);
            break;
        case EntryChange::Kind::Insert:
            eraseEntry(model, it->section, it->index);
            break;
        case EntryChange::Kind::Erase:
            insertEntry(model, it->section, it->index, it->before);
            break;
        }
    }
}

void undo(ModelDocument& doc, const ChangeRecord& record)
{
    applyBackward(doc.mutableProto(), record.entries);
    doc.refresh(record.topologyChanged);
}

void redo(ModelDocument& doc, const ChangeRecord& record)
{
    applyForward(doc.mutableProto(), record.entries);
    doc.refresh(record.topologyChanged);
}

bool mergeable(const ChangeRecord& a, const ChangeRecord& b)
{
    return !a.quantizerKey.empty() && a.quantizerKey == b.quantizerKey && a.field && a.field == b.field;
}

namespace {

// Folds each Replace of `tail` into an earlier Replace of the same entry when no insertion or removal
// in that section happened in between (the index still names the same entry).
std::vector<EntryChange> compact(std::vector<EntryChange> all)
{
    std::vector<EntryChange> out;
    for (EntryChange& e : all) {
        bool folded = false;
        if (e.kind == EntryChange::Kind::Replace) {
            for (auto it = out.rbegin(); it != out.rend(); ++it) {
                if (it->section != e.section)
                    continue;
                if (it->kind != EntryChange::Kind::Replace)
                    break;
                if (it->index == e.index) {
                    it->after = std::move(e.after);
                    folded = true;
                    break;
                }
            }
        }
        if (!folded)
            out.push_back(std::move(e));
    }
    std::erase_if(out,
        [](const EntryChange& e) { return e.kind == EntryChange::Kind::Replace && e.before == e.after; });
    return out;
}

void appendNotes(std::vector<std::string>& to, const std::vector<std::string>& from)
{
    for (const std::string& n : from)
        if (std::find(to.begin(), to.end(), n) == to.end())
            to.push_back(n);
}

} // namespace

ChangeRecord merge(const ChangeRecord& a, const ChangeRecord& b)
{
    ChangeRecord m;
    m.description = b.description;
    m.quantizerKey = a.quantizerKey;
    m.field = a.field;
    m.topologyChanged = a.topologyChanged || b.topologyChanged;
    std::vector<EntryChange> all = a.entries;
    all.insert(all.end(), b.entries.begin(), b.entries.end());
    m.entries = compact(std::move(all));
    m.fields = a.fields;
    for (const FieldChange& f : b.fields) {
        auto it = std::find_if(m.fields.begin(), m.fields.end(),
            [&](const FieldChange& g) { return g.quantizer == f.quantizer && g.field == f.field; });
        if (it != m.fields.end())
            it->newValue = f.newValue;
        else
            m.fields.push_back(f);
    }
    std::erase_if(m.fields, [](const FieldChange& f) { return f.oldValue == f.newValue; });
    m.notes = a.notes;
    appendNotes(m.notes, b.notes);
    return m;
}

ChangeRecord combine(std::string description, const std::vector<ChangeRecord>& records)
{
    ChangeRecord c;
    c.description = std::move(description);
    for (const ChangeRecord& r : records) {
        c.entries.insert(c.entries.end(), r.entries.begin(), r.entries.end());
        c.fields.insert(c.fields.end(), r.fields.begin(), r.fields.end());
        appendNotes(c.notes, r.notes);
        c.topologyChanged = c.topologyChanged || r.topologyChanged;
    }
    return c;
}

} // namespace qs
