#pragma once
// Reference kernels of the QONNX quantizer ops (spec §2-§5): Quant/IntQuant, BipolarQuant, Trunc v1/v2
// and FloatQuant, on dense tensors. They reproduce the upstream numpy code step by step: Float32 performs
// every elementary operation in IEEE binary32 in the reference's order (this is how a QONNX model runs
// upstream, and matches the golden `expected` bit for bit); Float64 does the same steps in double
// (golden `expected_f64`).
//
// Inputs may have any float or integer dtype; they are converted to the working precision first. The
// output has dtype Float32 / Float64 and the numpy broadcast shape of the data and parameter inputs,
// which for a well-formed model is the shape of x. All failures throw Error.
#include "core/numerics/rounding.h"
#include "core/util/tensor.h"

namespace qs {

enum class Precision { Float32, Float64 };

struct IntQuantAttributes {
    bool isSigned = true;
    bool narrow = false;
    RoundingMode rounding = RoundingMode::HalfEven;
};

// Quant / IntQuant: y = (R(clamp(x / scale + zeroPoint)) - zeroPoint) * scale. bitWidth must hold
// exactly one value (any shape); it may be non-integer. Bit width 1 with isSigned is sign quantization
// around the zero point (narrow and rounding are then ignored).
Tensor intQuant(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& bitWidth,
    const IntQuantAttributes& attrs, Precision precision);

// BipolarQuant: y = (x >= 0 ? +1 : -1) * scale; the decision is taken on x itself (-0 and 0 give +1).
Tensor bipolarQuant(const Tensor& x, const Tensor& scale, Precision precision);

struct TruncAttributes {
    RoundingMode rounding = RoundingMode::Floor;
    bool isSigned = true; // v2 only
    bool narrow = false; // v2 only
};

// Trunc version 1 (5 inputs): shift right by inBitWidth - outBitWidth, keep the input scale, no clamp.
Tensor truncV1(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& inBitWidth,
    const Tensor& outBitWidth, const TruncAttributes& attrs, Precision precision);

// Trunc version 2 (6 inputs): shift by the power of two nearest to outScale / scale, clamp to the
// outBitWidth range, rescale with outScale. inBitWidth is accepted but unused, as upstream.
Tensor truncV2(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& inBitWidth,
    const Tensor& outScale, const Tensor& outBitWidth, const TruncAttributes& attrs, Precision precision);

struct FloatQuantAttributes {
    RoundingMode rounding = RoundingMode::HalfEven;
    bool hasInf = false;
    bool hasNan = false;
    bool hasSubnormal = false; // informative only: execution always produces subnormals
    bool saturation = true;
};

// FloatQuant (minifloat fake-quantization, spec §5), always signed. exponentBitWidth, mantissaBitWidth
// and exponentBias must hold one value each; maxVal broadcasts like scale, and an empty maxVal tensor
// means "no limit below the format's largest value". With saturation off, overflowing values become
// +-Inf (hasInf) or NaN (hasNan); if neither is set that is an error.
Tensor floatQuant(const Tensor& x, const Tensor& scale, const Tensor& exponentBitWidth,
    const Tensor& mantissaBitWidth, const Tensor& exponentBias, const Tensor& maxVal,
    const FloatQuantAttributes& attrs, Precision precision);

} // namespace qs
