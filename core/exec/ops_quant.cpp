// Bindings for the quantizers: QONNX Quant/IntQuant, BipolarQuant, Trunc (v1/v2), FloatQuant, FINN's
// MultiThreshold, and ONNX QuantizeLinear / DequantizeLinear. Missing QONNX attributes take the
// documented defaults (signed=1, narrow=0, rounding_mode=ROUND), as the quantization view reports.
#include "core/exec/opregistry.h"
#include "core/kernels/multithreshold.h"
#include "core/kernels/quantizelinear.h"
#include "core/numerics/quantops.h"
#include "core/numerics/rounding.h"
#include "core/util/error.h"

#include <cmath>

namespace qs {
namespace {

using Tensors = std::vector<Tensor>;

// QuantizeLinear divides by the scale and converts to an integer type; a zero or non-finite scale
// yields NaN codes, which no integer conversion can represent (found by fuzzing).
const Tensor& checkedQuantizeScale(const NodeCall& c)
{
    const Tensor& scale = c.input(1);
    for (std::int64_t i = 0; i < scale.size(); ++i) {
        const double s = scale.at(i);
        if (!std::isfinite(s) || s == 0.0)
            throw Error("QuantizeLinear scale must be finite and non-zero, got " + std::to_string(s));
    }
    return scale;
}

Tensors runIntQuant(const NodeCall& c)
{
    IntQuantAttributes a;
    a.isSigned = c.intAttribute("signed", 1) != 0;
    a.narrow = c.intAttribute("narrow", 0) != 0;
    a.rounding = parseRoundingMode(c.stringAttribute("rounding_mode", "ROUND"));
    return outputs(intQuant(c.input(0), c.input(1), c.input(2), c.input(3), a, c.precision()));
}

Tensors runTrunc(const NodeCall& c)
{
    TruncAttributes a;
    a.rounding = parseRoundingMode(c.stringAttribute("rounding_mode", "FLOOR"));
    a.isSigned = c.intAttribute("signed", 1) != 0;
    a.narrow = c.intAttribute("narrow", 0) != 0;
    // v2 has six inputs (out_scale before out_bitwidth); the input count decides, since files in the
    // wild do not always declare the domain version that matches (qonnx-ops.md §4.1).
    if (c.inputCount() >= 6)
        return outputs(truncV2(
            c.input(0), c.input(1), c.input(2), c.input(3), c.input(4), c.input(5), a, c.precision()));
    return outputs(truncV1(c.input(0), c.input(1), c.input(2), c.input(3), c.input(4), a, c.precision()));
}

Tensors runFloatQuant(const NodeCall& c)
{
    FloatQuantAttributes a;
    a.rounding = parseRoundingMode(c.stringAttribute("rounding_mode", "ROUND"));
    a.hasInf = c.intAttribute("has_inf", 0) != 0;
    a.hasNan = c.intAttribute("has_nan", 0) != 0;
    a.hasSubnormal = c.intAttribute("has_subnormal", 0) != 0;
    a.saturation = c.intAttribute("saturation", 1) != 0;
    return outputs(
        floatQuant(c.input(0), c.input(1), c.input(2), c.input(3), c.input(4), c.input(5), a, c.precision()));
}

Tensors runMultiThreshold(const NodeCall& c)
{
    kernels::MultiThresholdAttrs a;
    a.outScale = c.floatAttribute("out_scale", 1.0f);
    a.outBias = c.floatAttribute("out_bias", 0.0f);
    a.dataLayout = c.stringAttribute("data_layout", "NCHW");
    return outputs(kernels::multiThreshold(c.input(0), c.input(1), a));
}

kernels::QuantAttrs quantAttrs(const NodeCall& c)
{
    kernels::QuantAttrs a;
    a.axis = c.intAttribute("axis", 1);
    a.blockSize = c.intAttribute("block_size", 0);
    return a;
}

} // namespace

void registerQuantizerOps(OpRegistry& r)
{
    const std::string qonnx = OpRegistry::kQonnx;
    r.add(qonnx, "Quant", runIntQuant);
    r.add(qonnx, "IntQuant", runIntQuant);
    r.add(qonnx, "BipolarQuant",
        [](const NodeCall& c) { return outputs(bipolarQuant(c.input(0), c.input(1), c.precision())); });
    r.add(qonnx, "Trunc", runTrunc);
    r.add(qonnx, "FloatQuant", runFloatQuant);
    r.add(qonnx, "MultiThreshold", runMultiThreshold);
    r.add(OpRegistry::kOnnx, "QuantizeLinear", [](const NodeCall& c) {
        return outputs(
            kernels::quantizeLinear(c.input(0), checkedQuantizeScale(c), c.optionalInput(2), quantAttrs(c)));
    });
    r.add(OpRegistry::kOnnx, "DequantizeLinear", [](const NodeCall& c) {
        return outputs(kernels::dequantizeLinear(c.input(0), c.input(1), c.optionalInput(2), quantAttrs(c)));
    });
}

} // namespace qs
