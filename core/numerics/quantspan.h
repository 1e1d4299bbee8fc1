#pragma once
// Vectorised spans of the Quant kernel for its most common case: float32, ROUND (half to even), one
// scale and one zero point for the whole tensor. Each element is computed with exactly the steps of
// quantops.cpp (x / s, + z, clamp with NaN passing through, round half to even, - z, * s), so the
// result is bit-identical to the scalar loop.
#include <cstdint>

namespace qs::detail {

// Returns false (and writes nothing) when the CPU lacks AVX2; the caller then runs the scalar loop.
bool intQuantHalfEvenSpan(
    const float* x, std::int64_t n, float scale, float zeroPoint, float lo, float hi, float* y);

} // namespace qs::detail
