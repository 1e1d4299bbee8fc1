#include "core/numerics/intbits.h"

#include "core/util/error.h"

#include <algorithm>

namespace qs {

namespace {

[[noreturn]] void throwOverflow(const char* what)
{
    throw Error(std::string("integer ") + what + " exceeds the 128-bit range of the accumulator analysis");
}

} // namespace

int bitLength(UInt128 v)
{
    int bits = 0;
    const auto high = static_cast<std::uint64_t>(v >> 64);
    if (high != 0) {
        bits = 64;
        v = high;
    }
    const auto low = static_cast<std::uint64_t>(v);
    return low == 0 ? bits : bits + 64 - __builtin_clzll(low);
}

int bitsSigned(Int128 lo, Int128 hi)
{
    // -lo - 1 cannot overflow for any Int128 lo (it is ~lo).
    const Int128 magnitude = std::max({static_cast<Int128>(~lo), hi, static_cast<Int128>(0)});
    return 1 + bitLength(static_cast<UInt128>(magnitude));
}

int bitsUnsigned(Int128 hi)
{
    if (hi < 0)
        throw Error("bitsUnsigned: the upper bound " + toString(hi) + " is negative");
    return std::max(1, bitLength(static_cast<UInt128>(hi)));
}

int minPSym(Int128 magnitude)
{
    if (magnitude < 0)
        throw Error("minPSym: the magnitude bound " + toString(magnitude) + " is negative");
    return 1 + bitLength(static_cast<UInt128>(magnitude));
}

int ceilLog2(std::int64_t k)
{
    if (k < 1)
        throw Error("ceilLog2: " + std::to_string(k) + " is not a positive count");
    return bitLength(static_cast<UInt128>(k - 1));
}

Int128 pow2(int e)
{
    if (e < 0 || e > 126)
        throw Error("pow2: exponent " + std::to_string(e) + " outside 0..126");
    return static_cast<Int128>(1) << e;
}

Int128 checkedAdd(Int128 a, Int128 b)
{
    Int128 r;
    if (__builtin_add_overflow(a, b, &r))
        throwOverflow("sum");
    return r;
}

Int128 checkedSub(Int128 a, Int128 b)
{
    Int128 r;
    if (__builtin_sub_overflow(a, b, &r))
        throwOverflow("difference");
    return r;
}

Int128 checkedMul(Int128 a, Int128 b)
{
    Int128 r;
    if (__builtin_mul_overflow(a, b, &r))
        throwOverflow("product");
    return r;
}

Int128 absValue(Int128 v)
{
    return v < 0 ? checkedSub(0, v) : v;
}

std::string toString(Int128 v)
{
    if (v == 0)
        return "0";
    // Work on the unsigned magnitude so that the minimum value prints too.
    UInt128 u = v < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(v) : static_cast<UInt128>(v);
    std::string digits;
    while (u != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    }
    if (v < 0)
        digits.push_back('-');
    std::reverse(digits.begin(), digits.end());
    return digits;
}

} // namespace qs
