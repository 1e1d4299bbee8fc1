#pragma once
// Registers the QONNX custom operators (Quant, IntQuant, BipolarQuant, Trunc v1/v2, FloatQuant), FINN's
// MultiThreshold and the channels-last Conv/MaxPool with ONNX's global schema registry, in every domain
// real exporters use (qonnx.custom_op.general, onnx.brevitas, finn.custom_op.general, and Quant /
// BipolarQuant in the default domain), so that onnx's own checker and shape inference understand
// QONNX models. Idempotent and thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace qs {

void registerQonnxSchemas();

// The custom domains registered above, and whether a domain is one of them.
const std::vector<std::string>& qonnxCustomDomains();
bool isQonnxDomain(std::string_view domain);      // qonnx general, onnx.brevitas, finn general, ""
bool isChannelsLastDomain(std::string_view domain); // qonnx.custom_op.channels_last

} // namespace qs
