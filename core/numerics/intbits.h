#pragma once
// Exact integer helpers for accumulator widths (spec accumulator-and-bops.md §1.6). Bit counts are
// never derived from floating log2: FINN once got 32 instead of 33 bits near 2^31 that way.
//
// Supported domain: every bound, magnitude and range end is a signed 128-bit integer, so products
// such as K * 2^(N+M) with 32-bit operands and K up to 2^62 are exact. The checked helpers below
// throw qs::Error instead of wrapping when a result would leave that domain (|v| >= 2^127).
#include <cstdint>
#include <string>

namespace qs {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// Number of binary digits of v; bitLength(0) = 0.
int bitLength(UInt128 v);

// Smallest signed two's-complement width holding every value of [lo, hi]:
// 1 + bitLength(max(-lo - 1, hi, 0)).
int bitsSigned(Int128 lo, Int128 hi);

// Smallest unsigned width holding [0, hi]: max(1, bitLength(hi)). Throws Error when hi < 0.
int bitsUnsigned(Int128 hi);

// Smallest P with magnitude <= 2^(P-1) - 1, i.e. a symmetric signed register: 1 + bitLength(B).
// Throws Error when magnitude < 0.
int minPSym(Int128 magnitude);

// ceil(log2 k) for k >= 1 (exact); throws Error for k < 1.
int ceilLog2(std::int64_t k);

// 2^e for 0 <= e <= 126.
Int128 pow2(int e);

// Checked arithmetic: throws Error ("... exceeds the 128-bit range") on overflow.
Int128 checkedAdd(Int128 a, Int128 b);
Int128 checkedSub(Int128 a, Int128 b);
Int128 checkedMul(Int128 a, Int128 b);

Int128 absValue(Int128 v); // throws for the (unreachable in practice) minimum value

// Decimal text of a 128-bit value, for messages and reports.
std::string toString(Int128 v);

} // namespace qs
