#pragma once
// QONNX -> QCDQ (qonnx-ops.md §7.2, without the upstream gaps of §11): every Quant / IntQuant that
// QuantizeLinear (-> Clip) -> DequantizeLinear computes identically becomes that chain; narrow
// unsigned ranges get their Clip at 8 bits too, integer zero points and per-channel scales are kept,
// and the default opset is raised (upgrading the nodes that need it) when Clip or a per-channel axis
// requires it. Everything else (BipolarQuant, Trunc, FloatQuant, signed 1-bit, non-ROUND rounding,
// non-integer zero points, wide bit widths, run-time parameters, a blocked opset upgrade) is left as
// it is and reported per quantizer.
#include "core/convert/conversionreport.h"
#include "core/model/modeldocument.h"

namespace qs {

// Rewrites `doc` in place (then refreshes it) and returns what was done.
ConversionReport convertToQcdq(ModelDocument& doc, const ConversionOptions& options = {});

} // namespace qs
