#pragma once
// QCDQ -> QONNX (qonnx-ops.md §7.3, without the upstream gaps of §11): QuantizeLinear (-> Clip) ->
// DequantizeLinear chains and lone DequantizeLinear nodes on integer initializers become Quant nodes
// in qonnx.custom_op.general. The Clip range is recovered exactly; a range that is none of the four
// QONNX shapes is reported (or widened to the enclosing shape with options.allowWiden, and the
// widening reported). A missing zero point is 0 (uint8 for QuantizeLinear, per ONNX); per-channel
// scales become full-rank broadcastable tensors.
#include "core/convert/conversionreport.h"
#include "core/model/modeldocument.h"

namespace qs {

ConversionReport convertToQonnx(ModelDocument& doc, const ConversionOptions& options = {});

} // namespace qs
