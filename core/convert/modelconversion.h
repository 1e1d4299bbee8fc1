#pragma once
// Entry point of the QCDQ <-> QONNX conversion: converts a document in place to the target format.
#include "core/convert/conversionreport.h"
#include "core/model/modeldocument.h"

namespace qs {

ConversionReport convertModel(
    ModelDocument& doc, ConversionTarget target, const ConversionOptions& options = {});

} // namespace qs
