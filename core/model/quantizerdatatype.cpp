#include "core/model/quantizerdatatype.h"

#include "core/numerics/datatype.h"

namespace qs {

std::string quantizerDataType(const Quantizer& q)
{
    const bool unitScale = q.scale.allEqual(1.0);
    switch (q.kind) {
    case QuantizerKind::BipolarQuant: return inferBipolarQuantOutput(unitScale).name();
    case QuantizerKind::Trunc: return DataType::float32().name();
    case QuantizerKind::FloatQuant:
        if (unitScale && q.exponentBitWidth && q.mantissaBitWidth)
            return DataType::miniFloat(static_cast<int>(*q.exponentBitWidth), static_cast<int>(*q.mantissaBitWidth)).name();
        return DataType::float32().name();
    default: break;
    }
    // Quant, and QCDQ / Q-DQ / DequantizeLinear typed like the equivalent Quant node.
    IntQuantTypeFacts facts;
    facts.scaleConstant = q.scale.known;
    facts.zeroPointConstant = q.zeroPoint.tensor < 0 || q.zeroPoint.known;
    facts.bitWidthConstant = q.bitWidth.has_value();
    facts.bitWidthIs0D = q.bitWidthIs0D;
    facts.allZeroPointsZero = q.zeroPoint.tensor < 0 || q.zeroPoint.allEqual(0.0);
    facts.allScalesOne = unitScale;
    facts.bits = q.bitWidth.value_or(0);
    facts.isSigned = q.isSigned;
    return inferIntQuantOutput(facts, /*allowScaledInt=*/true).name();
}

} // namespace qs
