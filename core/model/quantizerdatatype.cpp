#include "core/model/quantizerdatatype.h"

#include <cmath>

namespace qs {

std::string quantizerDataType(const Quantizer& q)
{
    const bool unitScale = q.scale.allEqual(1.0);
    switch (q.kind) {
    case QuantizerKind::BipolarQuant: return unitScale ? "BIPOLAR" : "FLOAT32";
    case QuantizerKind::Trunc: return "FLOAT32";
    case QuantizerKind::FloatQuant: {
        if (!unitScale || !q.exponentBitWidth || !q.mantissaBitWidth)
            return "FLOAT32";
        return "FLOAT<" + std::to_string(static_cast<int>(*q.exponentBitWidth)) + ","
            + std::to_string(static_cast<int>(*q.mantissaBitWidth)) + ">";
    }
    default: break;
    }
    // Quant / QCDQ: constant parameters, an integer 0-D bit width and an all-zero zero point.
    if (!q.bitWidth || !q.scale.known || std::floor(*q.bitWidth) != *q.bitWidth)
        return "FLOAT32";
    const bool zeroPointZero = q.zeroPoint.tensor < 0 || q.zeroPoint.allEqual(0.0);
    if (!zeroPointZero)
        return "FLOAT32";
    const int bits = static_cast<int>(*q.bitWidth);
    if (!unitScale)
        return "SCALEDINT<" + std::to_string(bits) + ">";
    if (bits == 1)
        return q.isSigned ? "BIPOLAR" : "BINARY";
    return (q.isSigned ? "INT" : "UINT") + std::to_string(bits);
}

} // namespace qs
