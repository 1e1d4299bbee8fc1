#include "core/edit/quantizeredit.h"

#include "core/edit/changerecorder.h"
#include "core/edit/kindedits.h"
#include "core/edit/tensorwrite.h"
#include "core/model/nodeattributes.h"
#include "core/util/error.h"

#include <cmath>

namespace qs {

bool QuantizerEdit::empty() const
{
    return fieldCount() == 0;
}

int QuantizerEdit::fieldCount() const
{
    return int(bitWidth.has_value()) + int(isSigned.has_value()) + int(narrow.has_value())
        + int(roundingMode.has_value()) + int(scale.has_value()) + int(zeroPoint.has_value());
}

RoundingMode parseMode(const EditSession& s, const std::string& mode)
{
    try {
        return parseRoundingMode(mode);
    } catch (const Error& e) {
        s.refuse(e.what());
    }
}

bool sameStored(const std::vector<double>& current, const std::vector<double>& target, int elemType)
{
    if (current.size() != target.size())
        return false;
    for (std::size_t i = 0; i < current.size(); ++i)
        if (current[i] != storedValue(target[i], elemType))
            return false;
    return true;
}

namespace {

// The output-channel axis of a weight (by the layer that consumes it), axis 1 of an activation.
int defaultChannelAxis(const ModelDocument& doc, const Quantizer& q, int rank)
{
    if (q.role != QuantizerRole::Weight)
        return 1;
    for (const Layer& layer : doc.layers()) {
        if (layer.weightQuantizer != q.id)
            continue;
        if (layer.opType == "ConvTranspose")
            return 1;
        if (layer.opType == "MatMul")
            return layer.weightOnLeft ? rank - 2 : rank - 1;
        if (layer.opType == "Gemm")
            return intAttribute(doc.nodeProto(layer.node), layer.weightOnLeft ? "transA" : "transB")
                       .value_or(0)
                ? 0
                : 1;
    }
    return 0;
}

} // namespace

ScaleTarget planScale(const EditSession& s, const QuantizerEdit& edit, bool oneDimensional)
{
    const Quantizer& q = s.quantizer();
    const std::vector<double>& values = *edit.scale;
    if (values.empty())
        s.refuse("no scale values given");
    for (double v : values)
        if (!std::isfinite(v) || v <= 0)
            s.refuse("scale " + formatValue(v) + " is invalid (a scale must be positive and finite)");
    if (!q.scale.known)
        s.refuse("its scale is computed at run time and cannot be edited");
    const Shape current = q.scale.shape;
    const std::int64_t n = elementCount(current);
    if (values.size() == 1 || static_cast<std::int64_t>(values.size()) == n) {
        if (edit.scaleAxis && q.scale.isPerChannel() && *edit.scaleAxis != q.scale.axis)
            s.refuse("its scale is per-channel along axis " + std::to_string(q.scale.axis) + ", not axis "
                + std::to_string(*edit.scaleAxis));
        return {values, current, -1};
    }
    if (n != 1)
        s.refuse("its scale has " + std::to_string(n) + " elements (shape " + shapeToString(current)
            + "); give 1 or " + std::to_string(n) + " values, not " + std::to_string(values.size()));
    const TensorInfo& data = s.doc().tensor(q.input);
    if (!data.dims)
        s.refuse("the shape of '" + data.name + "' is unknown, so a per-channel scale cannot be placed");
    const int rank = static_cast<int>(data.dims->size());
    int axis = edit.scaleAxis.value_or(defaultChannelAxis(s.doc(), q, rank));
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank)
        s.refuse("axis " + std::to_string(edit.scaleAxis.value_or(axis)) + " is out of range for '"
            + data.name + "' " + data.shapeString());
    const Dim& channels = (*data.dims)[static_cast<std::size_t>(axis)];
    if (!channels.isKnown() || channels.value != static_cast<std::int64_t>(values.size()))
        s.refuse("'" + data.name + "' " + data.shapeString() + " has "
            + (channels.isKnown() ? std::to_string(channels.value) : "?") + " channels on axis "
            + std::to_string(axis) + ", but " + std::to_string(values.size()) + " scale values were given");
    Shape shape;
    if (oneDimensional) {
        shape = {channels.value};
    } else {
        shape.assign(static_cast<std::size_t>(rank), 1);
        shape[static_cast<std::size_t>(axis)] = channels.value;
    }
    return {values, shape, axis};
}

namespace {

void addFieldChange(ChangeRecord& record, const Quantizer& q, QuantizerField field, const std::string& before,
    const std::string& after)
{
    if (before != after)
        record.fields.push_back({q.name, field, before, after});
}

std::string bitsText(const std::optional<double>& b)
{
    return b ? formatValue(*b) : "?";
}

// Re-reads the quantizer after the edit (without refreshing the document) is not possible, so the new
// values are described from the request, normalised the way they were written.
void describeFields(const Quantizer& q, const QuantizerEdit& e, ChangeRecord& record)
{
    if (e.bitWidth)
        addFieldChange(record, q, QuantizerField::BitWidth, bitsText(q.bitWidth), formatValue(*e.bitWidth));
    if (e.isSigned)
        addFieldChange(record, q, QuantizerField::Signed, q.isSigned ? "1" : "0", *e.isSigned ? "1" : "0");
    if (e.narrow)
        addFieldChange(record, q, QuantizerField::Narrow, q.narrow ? "1" : "0", *e.narrow ? "1" : "0");
    if (e.roundingMode)
        addFieldChange(record, q, QuantizerField::RoundingMode, q.roundingMode,
            roundingModeName(parseRoundingMode(*e.roundingMode)));
    if (e.scale) {
        std::vector<double> target = *e.scale;
        if (target.size() == 1 && q.scale.values.size() > 1)
            target.assign(q.scale.values.size(), target[0]);
        addFieldChange(record, q, QuantizerField::Scale, formatValues(q.scale.values), formatValues(target));
    }
    if (e.zeroPoint)
        addFieldChange(record, q, QuantizerField::ZeroPoint,
            q.zeroPoint.tensor < 0 ? "0" : formatValues(q.zeroPoint.values), formatValue(*e.zeroPoint));
}

std::string describeEdit(const Quantizer& q, const QuantizerEdit& e)
{
    if (e.fieldCount() != 1)
        return "Edit quantizer '" + q.name + "'";
    std::string what;
    if (e.bitWidth)
        what = "bit width to " + formatValue(*e.bitWidth);
    else if (e.isSigned)
        what = std::string("signed to ") + (*e.isSigned ? "1" : "0");
    else if (e.narrow)
        what = std::string("narrow to ") + (*e.narrow ? "1" : "0");
    else if (e.roundingMode)
        what = "rounding mode to " + *e.roundingMode;
    else if (e.scale)
        what = "scale to " + formatValues(*e.scale);
    else
        what = "zero point to " + formatValue(*e.zeroPoint);
    return "Set " + what + " of '" + q.name + "'";
}

std::optional<QuantizerField> singleField(const QuantizerEdit& e)
{
    if (e.fieldCount() != 1)
        return std::nullopt;
    if (e.bitWidth)
        return QuantizerField::BitWidth;
    if (e.isSigned)
        return QuantizerField::Signed;
    if (e.narrow)
        return QuantizerField::Narrow;
    if (e.roundingMode)
        return QuantizerField::RoundingMode;
    return e.scale ? QuantizerField::Scale : QuantizerField::ZeroPoint;
}

} // namespace

void applyQuantizerEdit(ModelDocument& doc, const Quantizer& q, const QuantizerEdit& edit,
    ChangeRecorder& recorder, ChangeRecord& record)
{
    EditSession session(doc, q, recorder, record);
    if (edit.bitWidth && !std::isfinite(*edit.bitWidth))
        session.refuse("bit width must be a finite number");
    if (edit.zeroPoint && !std::isfinite(*edit.zeroPoint))
        session.refuse("zero point must be a finite number");
    if (edit.roundingMode)
        (void)parseMode(session, *edit.roundingMode);
    switch (q.kind) {
    case QuantizerKind::QCDQ:
    case QuantizerKind::QDQ:
    case QuantizerKind::DequantizeOnly:
        applyQcdqEdit(session, edit);
        break;
    default:
        applyQonnxEdit(session, edit);
        break;
    }
    describeFields(q, edit, record);
}

ChangeRecord editQuantizer(ModelDocument& doc, int quantizerId, const QuantizerEdit& edit)
{
    if (quantizerId < 0 || quantizerId >= static_cast<int>(doc.quantizers().size()))
        throw Error("there is no quantizer #" + std::to_string(quantizerId));
    const Quantizer q = doc.quantizers()[static_cast<std::size_t>(quantizerId)];
    ChangeRecord record;
    {
        ChangeRecorder recorder(doc.mutableProto());
        applyQuantizerEdit(doc, q, edit, recorder, record);
        recorder.commit(record);
    }
    if (record.empty()) {
        record.fields.clear();
        return record;
    }
    record.description = describeEdit(q, edit);
    record.quantizerKey = q.name;
    record.field = singleField(edit);
    doc.refresh(record.topologyChanged);
    return record;
}

ChangeRecord setBitWidth(ModelDocument& doc, int quantizerId, double bitWidth)
{
    QuantizerEdit e;
    e.bitWidth = bitWidth;
    return editQuantizer(doc, quantizerId, e);
}

ChangeRecord setSigned(ModelDocument& doc, int quantizerId, bool isSigned)
{
    QuantizerEdit e;
    e.isSigned = isSigned;
    return editQuantizer(doc, quantizerId, e);
}

ChangeRecord setNarrow(ModelDocument& doc, int quantizerId, bool narrow)
{
    QuantizerEdit e;
    e.narrow = narrow;
    return editQuantizer(doc, quantizerId, e);
}

ChangeRecord setRoundingMode(ModelDocument& doc, int quantizerId, const std::string& mode)
{
    QuantizerEdit e;
    e.roundingMode = mode;
    return editQuantizer(doc, quantizerId, e);
}

ChangeRecord setScale(
    ModelDocument& doc, int quantizerId, const std::vector<double>& scale, std::optional<int> axis)
{
    QuantizerEdit e;
    e.scale = scale;
    e.scaleAxis = axis;
    return editQuantizer(doc, quantizerId, e);
}

ChangeRecord setZeroPoint(ModelDocument& doc, int quantizerId, double zeroPoint)
{
    QuantizerEdit e;
    e.zeroPoint = zeroPoint;
    return editQuantizer(doc, quantizerId, e);
}

int findQuantizer(const ModelDocument& doc, const std::string& quantizerName)
{
    for (const Quantizer& q : doc.quantizers())
        if (q.name == quantizerName)
            return q.id;
    return -1;
}

int findQuantizerByNode(const ModelDocument& doc, const std::string& nodeName)
{
    if (const auto id = doc.graph().findNode(nodeName))
        return doc.quantizerOfNode(*id);
    for (NodeId n = 0; n < doc.graph().nodeCount(); ++n)
        if (doc.node(n).fileName == nodeName && doc.quantizerOfNode(n) >= 0)
            return doc.quantizerOfNode(n);
    return -1;
}

} // namespace qs
