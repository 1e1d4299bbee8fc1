#include "core/convert/modelconversion.h"

#include "core/convert/qcdqtoqonnx.h"
#include "core/convert/qonnxtoqcdq.h"

namespace qs {

const char* conversionTargetName(ConversionTarget target)
{
    return target == ConversionTarget::Qcdq ? "qcdq" : "qonnx";
}

ConversionReport convertModel(ModelDocument& doc, ConversionTarget target, const ConversionOptions& options)
{
    return target == ConversionTarget::Qcdq ? convertToQcdq(doc, options) : convertToQonnx(doc, options);
}

} // namespace qs
