#include "core/model/quantizer.h"

#include <algorithm>

namespace qs {

const char* quantizerKindName(QuantizerKind kind)
{
    switch (kind) {
    case QuantizerKind::IntQuant: return "Quant";
    case QuantizerKind::BipolarQuant: return "BipolarQuant";
    case QuantizerKind::Trunc: return "Trunc";
    case QuantizerKind::FloatQuant: return "FloatQuant";
    case QuantizerKind::QCDQ: return "QCDQ";
    case QuantizerKind::QDQ: return "QDQ";
    case QuantizerKind::DequantizeOnly: return "DequantizeLinear";
    }
    return "?";
}

const char* quantizerRoleName(QuantizerRole role)
{
    switch (role) {
    case QuantizerRole::Weight: return "weight";
    case QuantizerRole::Bias: return "bias";
    case QuantizerRole::Activation: return "activation";
    case QuantizerRole::GraphInput: return "input";
    }
    return "?";
}

double QuantParameter::minValue() const
{
    return values.empty() ? 0.0 : *std::min_element(values.begin(), values.end());
}

double QuantParameter::maxValue() const
{
    return values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
}

bool QuantParameter::allEqual(double v) const
{
    return known && std::all_of(values.begin(), values.end(), [v](double x) { return x == v; });
}

} // namespace qs
