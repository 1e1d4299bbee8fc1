#pragma once
// Editing one quantizer: bit width, signedness, narrow range, rounding mode, scale and zero point.
// Each edit is validated against the quantizer's kind and format (QONNX Quant, BipolarQuant, Trunc,
// FloatQuant, QCDQ, Q/DQ pair, lone DequantizeLinear) and refused with an Error whose message names the
// quantizer and is fit to show in place; a refused edit leaves the document untouched. An accepted edit
// rewrites the ONNX graph consistently, refreshes the document and returns its exact inverse.
#include "core/edit/changerecord.h"
#include "core/model/modeldocument.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

// The fields to change; unset fields stay as they are. Several fields are validated together, so
// e.g. "4 bits, narrow" is checked as one target state.
struct QuantizerEdit {
    std::optional<double> bitWidth;
    std::optional<bool> isSigned;
    std::optional<bool> narrow;
    std::optional<std::string> roundingMode; // any spelling parseRoundingMode() accepts
    // One value (written to every element) or one value per channel. A per-tensor scale becomes
    // per-channel along `scaleAxis` of the quantized tensor (default: the output-channel axis of a
    // weight, axis 1 of an activation).
    std::optional<std::vector<double>> scale;
    std::optional<int> scaleAxis;
    std::optional<double> zeroPoint; // written to every element

    bool empty() const;
    int fieldCount() const;
};

// Applies `edit` to quantizer `quantizerId` of `doc`. An edit that changes nothing returns an empty
// record (no entries) and leaves the document as it was.
ChangeRecord editQuantizer(ModelDocument& doc, int quantizerId, const QuantizerEdit& edit);

ChangeRecord setBitWidth(ModelDocument& doc, int quantizerId, double bitWidth);
ChangeRecord setSigned(ModelDocument& doc, int quantizerId, bool isSigned);
ChangeRecord setNarrow(ModelDocument& doc, int quantizerId, bool narrow);
ChangeRecord setRoundingMode(ModelDocument& doc, int quantizerId, const std::string& mode);
ChangeRecord setScale(ModelDocument& doc, int quantizerId, const std::vector<double>& scale,
    std::optional<int> axis = std::nullopt);
ChangeRecord setZeroPoint(ModelDocument& doc, int quantizerId, double zeroPoint);

// The quantizer with this display name, or containing a node with this display/file name; -1 if none.
int findQuantizer(const ModelDocument& doc, const std::string& quantizerName);
int findQuantizerByNode(const ModelDocument& doc, const std::string& nodeName);

// Building block of the bulk edits: applies `edit` to `q` (a snapshot of the document's quantizer)
// through `recorder`, without refreshing the document. Throws Error when refused.
class ChangeRecorder;
void applyQuantizerEdit(ModelDocument& doc, const Quantizer& q, const QuantizerEdit& edit,
    ChangeRecorder& recorder, ChangeRecord& record);

} // namespace qs
