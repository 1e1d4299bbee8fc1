#pragma once
// The QONNX datatype name of a quantizer's output (qonnx-ops.md §6.2/6.3, scaled-int types enabled as
// inference_cost does). QCDQ chains are typed like the Quant node they are equivalent to (§7.1).
#include "core/model/quantizer.h"

#include <string>

namespace qs {

std::string quantizerDataType(const Quantizer& q);

} // namespace qs
