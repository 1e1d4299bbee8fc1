#include "core/edit/bulkedit.h"

#include "core/edit/changerecorder.h"
#include "core/edit/tensorwrite.h"
#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <algorithm>

namespace qs {
namespace {

bool hasBitWidth(QuantizerKind kind)
{
    return kind == QuantizerKind::IntQuant || kind == QuantizerKind::QCDQ || kind == QuantizerKind::QDQ;
}

// Which fields a kind can take (see qonnxedit.cpp / qcdqedit.cpp).
QuantizerEdit restrictTo(const Quantizer& q, QuantizerEdit e)
{
    const bool qonnxInt = q.kind == QuantizerKind::IntQuant;
    const bool qcdq = q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ;
    const bool trunc = q.kind == QuantizerKind::Trunc;
    if (!hasBitWidth(q.kind))
        e.bitWidth.reset();
    if (!(qonnxInt || qcdq || (trunc && q.truncVersion == 2))) {
        e.isSigned.reset();
        e.narrow.reset();
    }
    if (!(qonnxInt || trunc || q.kind == QuantizerKind::FloatQuant))
        e.roundingMode.reset();
    if (trunc)
        e.scale.reset();
    if (!(qonnxInt || qcdq || q.kind == QuantizerKind::DequantizeOnly))
        e.zeroPoint.reset();
    return e;
}

} // namespace

ChangeRecord editQuantizers(ModelDocument& doc, const std::vector<int>& ids, const QuantizerEdit& edit,
    const std::string& description)
{
    std::vector<Quantizer> targets;
    for (int id : ids)
        targets.push_back(doc.quantizers().at(static_cast<std::size_t>(id)));
    std::vector<ChangeRecord> records;
    std::vector<std::string> skipped;
    try {
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const QuantizerEdit e = restrictTo(targets[i], edit);
            if (e.fieldCount() < edit.fieldCount())
                skipped.push_back(
                    std::string(quantizerKindName(targets[i].kind)) + " '" + targets[i].name + "'");
            if (e.empty())
                continue;
            ChangeRecord r;
            {
                ChangeRecorder recorder(doc.mutableProto());
                applyQuantizerEdit(doc, targets[i], e, recorder, r);
                recorder.commit(r);
            }
            // An inserted node (a Clip) shifts the node ids of the quantizers still to come.
            for (const EntryChange& c : r.entries)
                if (c.section == ProtoSection::Node && c.kind == EntryChange::Kind::Insert)
                    for (std::size_t j = i + 1; j < targets.size(); ++j) {
                        for (NodeId& n : targets[j].nodes)
                            n += n >= c.index ? 1 : 0;
                        targets[j].mainNode += targets[j].mainNode >= c.index ? 1 : 0;
                    }
            records.push_back(std::move(r));
        }
    } catch (...) {
        for (auto it = records.rbegin(); it != records.rend(); ++it)
            applyBackward(doc.mutableProto(), it->entries);
        throw;
    }
    ChangeRecord all = combine(description, records);
    if (!skipped.empty()) {
        std::string list;
        for (const std::string& s : skipped)
            list += (list.empty() ? "" : ", ") + s;
        all.notes.push_back("not applicable to (kept as they are): " + list);
    }
    if (!all.empty())
        doc.refresh(all.topologyChanged);
    return all;
}

std::vector<int> convWeightQuantizers(const ModelDocument& doc)
{
    std::vector<int> ids;
    for (const Layer& layer : doc.layers())
        if (layer.opType == "Conv" && layer.weightQuantizer >= 0
            && std::find(ids.begin(), ids.end(), layer.weightQuantizer) == ids.end())
            ids.push_back(layer.weightQuantizer);
    return ids;
}

std::vector<int> weightQuantizers(const ModelDocument& doc)
{
    std::vector<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.role == QuantizerRole::Weight)
            ids.push_back(q.id);
    return ids;
}

std::vector<int> activationQuantizers(const ModelDocument& doc)
{
    std::vector<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.role == QuantizerRole::Activation || q.role == QuantizerRole::GraphInput)
            ids.push_back(q.id);
    return ids;
}

ChangeRecord setConvWeightBits(ModelDocument& doc, double bitWidth)
{
    QuantizerEdit e;
    e.bitWidth = bitWidth;
    return editQuantizers(doc, convWeightQuantizers(doc), e,
        "Set all Conv weight quantizers to " + formatValue(bitWidth) + " bits");
}

ChangeRecord setActivationBits(ModelDocument& doc, double bitWidth)
{
    QuantizerEdit e;
    e.bitWidth = bitWidth;
    return editQuantizers(doc, activationQuantizers(doc), e,
        "Set all activation quantizers to " + formatValue(bitWidth) + " bits");
}

ChangeRecord restoreOriginal(ModelDocument& doc, const ModelDocument& reference)
{
    std::vector<ChangeRecord> records;
    std::vector<std::string> notes;
    const std::vector<Quantizer> current = doc.quantizers();
    try {
        for (const Quantizer& q : current) {
            const auto ref = std::find_if(reference.quantizers().begin(), reference.quantizers().end(),
                [&](const Quantizer& r) { return r.name == q.name; });
            if (ref == reference.quantizers().end()) {
                notes.push_back("'" + q.name + "' is not in the reference model; kept as it is");
                continue;
            }
            QuantizerEdit e;
            if (ref->bitWidth && ref->bitWidth != q.bitWidth)
                e.bitWidth = ref->bitWidth;
            if (ref->isSigned != q.isSigned)
                e.isSigned = ref->isSigned;
            if (ref->narrow != q.narrow)
                e.narrow = ref->narrow;
            if (ref->roundingMode != q.roundingMode)
                e.roundingMode = ref->roundingMode;
            if (ref->scale.known && ref->scale.values != q.scale.values) {
                e.scale = ref->scale.values;
                if (ref->scale.isPerChannel())
                    e.scaleAxis = ref->scale.axis;
            }
            if (ref->zeroPoint.known && ref->zeroPoint.values != q.zeroPoint.values
                && !ref->zeroPoint.values.empty()) {
                if (ref->zeroPoint.allEqual(ref->zeroPoint.values[0]))
                    e.zeroPoint = ref->zeroPoint.values[0];
                else
                    notes.push_back("'" + q.name + "': a per-channel zero point is not restored");
            }
            e = restrictTo(q, e);
            if (e.empty())
                continue;
            // One quantizer at a time with a refresh in between: restoring can change structure.
            records.push_back(editQuantizer(doc, findQuantizer(doc, q.name), e));
        }
    } catch (...) {
        for (auto it = records.rbegin(); it != records.rend(); ++it)
            undo(doc, *it);
        throw;
    }
    ChangeRecord all = combine("Restore the original quantizer settings", records);
    all.notes.insert(all.notes.end(), notes.begin(), notes.end());
    return all;
}

} // namespace qs
