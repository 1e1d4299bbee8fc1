#pragma once
// Internal to core/edit: the per-format halves of editQuantizer(). Each validates the whole target
// state first and refuses through EditSession::refuse(), then rewrites the graph.
#include "core/edit/editsession.h"
#include "core/edit/quantizeredit.h"
#include "core/numerics/rounding.h"

namespace qs {

// The scale to write: values filled to `shape`. `newAxis` >= 0 when a per-tensor scale becomes
// per-channel along that axis of the quantized tensor.
struct ScaleTarget {
    std::vector<double> values;
    Shape shape;
    int newAxis = -1;
};
// `oneDimensional`: QuantizeLinear style ([C] plus an axis attribute) instead of QONNX's broadcastable
// full-rank shape.
ScaleTarget planScale(const EditSession& s, const QuantizerEdit& edit, bool oneDimensional);
RoundingMode parseMode(const EditSession& s, const std::string& mode);
// Are the values the same once stored as `elemType`?
bool sameStored(const std::vector<double>& current, const std::vector<double>& target, int elemType);

void applyQonnxEdit(
    EditSession& s, const QuantizerEdit& edit); // Quant/IntQuant, BipolarQuant, Trunc, FloatQuant
void applyQcdqEdit(EditSession& s, const QuantizerEdit& edit); // QCDQ, Q/DQ pair, lone DequantizeLinear

} // namespace qs
