#pragma once
// The integer range [lo, hi] of a Quant / Trunc quantizer (spec §2.2).
namespace qs {

struct IntRange {
    double lo;
    double hi;
};

// Evaluated with real powers of two in double, so a non-integer bit width gives non-integer bounds
// (bits = 3.5, signed: lo = -5.657, hi = 4.657). narrow removes the top code of unsigned ranges and the
// bottom code of signed ones.
//
// There is deliberately no float variant: for the float32 path the reference (numpy 1.24) promotes the
// 0-D float32 bit width to float64 when it evaluates 2 ** (B - 1) - 1, then compares and assigns the
// bounds as float32. So float32 kernels use static_cast<float>(intRange(B)), which for integer bit
// widths is also exactly what an all-float evaluation would give.
IntRange intRange(double bits, bool isSigned, bool narrow);

} // namespace qs
