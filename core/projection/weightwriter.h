#pragma once
// Writes new integer weight codes of one layer into the model, as part of a recorded edit. The codes
// go into the tensor the weight quantizer reads (the float weights of a QONNX Quant or of a QCDQ's
// QuantizeLinear, the integer data of a lone DequantizeLinear), at the positions
// IntegerWeights::sourceIndex names; the quantizer's scale and zero point stay as they are. The
// tensor keeps its element type and storage form, and is copied first when other nodes read it too.
#include "core/edit/changerecorder.h"
#include "core/model/modeldocument.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct CodeChange {
    std::int64_t source = 0; // flat index into the weight quantizer's input (= output) tensor
    std::int64_t code = 0; // the new integer q - z
    double scale = 1.0; // the quantizer's scale at that element
};

// Why the weights of the layer's quantizer cannot be rewritten (BipolarQuant, Trunc, FloatQuant, a
// quantizer shared with another layer), or nullopt.
std::optional<std::string> weightWriteProblem(const ModelDocument& doc, const Layer& layer);

// The float value that the quantizer maps back to exactly `code`: code * scale, nudged by a quarter
// step into the rounding interval for FLOOR / CEIL / UP / DOWN so float32 noise cannot tip it over.
double weightValueForCode(std::int64_t code, double scale, const std::string& roundingMode);

// Applies `changes` through `recorder`, adding notes (un-shared initializers) to `record`. Does not
// refresh the document. Throws Error (the recorder then rolls back) when the tensor cannot be written.
void writeWeightCodes(ModelDocument& doc, const Layer& layer, const std::vector<CodeChange>& changes,
    ChangeRecorder& recorder, ChangeRecord& record);

} // namespace qs
