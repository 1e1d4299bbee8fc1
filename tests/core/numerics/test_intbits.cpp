// Integer helpers of accumulator-and-bops.md §1.6 and the "Quick reference" table of §5.
#include "core/numerics/intbits.h"
#include "core/util/error.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>

using namespace qs;

TEST(IntBits, QuickReferenceTable)
{
    EXPECT_EQ(bitsSigned(-30, 150), 9);
    EXPECT_EQ(bitsSigned(-240, 45), 9);
    EXPECT_EQ(bitsSigned(-4080, 4080), 13);
    EXPECT_EQ(bitsSigned(-65024, 65536), 18);
    EXPECT_EQ(bitsSigned(-36, 36), 7);
    EXPECT_EQ(bitsSigned(-128, 127), 8);
    EXPECT_EQ(bitsSigned(-129, 0), 9);
    EXPECT_EQ(bitsUnsigned(255), 8);
    EXPECT_EQ(bitsUnsigned(256), 9);
    EXPECT_EQ(minPSym(0), 1);
    EXPECT_EQ(minPSym(127), 8);
    EXPECT_EQ(minPSym(128), 9);
}

TEST(IntBits, BitLengthSmallValues)
{
    EXPECT_EQ(bitLength(0), 0);
    EXPECT_EQ(bitLength(1), 1);
    EXPECT_EQ(bitLength(2), 2);
    EXPECT_EQ(bitLength(3), 2);
    EXPECT_EQ(bitLength(255), 8);
    EXPECT_EQ(bitLength(256), 9);
}

TEST(IntBits, BitLengthAcrossTheWordBoundary)
{
    EXPECT_EQ(bitLength(std::numeric_limits<std::uint64_t>::max()), 64);
    EXPECT_EQ(bitLength(static_cast<UInt128>(1) << 64), 65);
    EXPECT_EQ(bitLength((static_cast<UInt128>(1) << 100) - 1), 100);
    EXPECT_EQ(bitLength(~static_cast<UInt128>(0)), 128);
}

TEST(IntBits, SignedWidthNearTwoToThe31)
{
    // FINN #1517: float32 evaluation gave 32 instead of 33 bits here.
    const std::int64_t p31 = std::int64_t {1} << 31;
    EXPECT_EQ(bitsSigned(-p31, p31 - 1), 32);
    EXPECT_EQ(bitsSigned(-p31, p31), 33);
    EXPECT_EQ(bitsSigned(-p31 - 1, 0), 33);
    EXPECT_EQ(bitsSigned(0, p31 - 1), 32);
    EXPECT_EQ(minPSym(p31 - 1), 32);
    EXPECT_EQ(minPSym(p31), 33);
    EXPECT_EQ(bitsUnsigned(p31 - 1), 31);
    EXPECT_EQ(bitsUnsigned(p31), 32);
    EXPECT_EQ(bitsUnsigned((std::int64_t {1} << 32) - 1), 32);
    EXPECT_EQ(bitsUnsigned(std::int64_t {1} << 32), 33);
}

TEST(IntBits, SignedWidthNearTwoToThe62)
{
    const std::int64_t p62 = std::int64_t {1} << 62;
    EXPECT_EQ(bitsSigned(-p62, p62 - 1), 63);
    EXPECT_EQ(bitsSigned(-p62 - 1, 0), 64);
    EXPECT_EQ(bitsSigned(0, p62), 64);
    EXPECT_EQ(minPSym(p62 - 1), 63);
    EXPECT_EQ(minPSym(p62), 64);
    EXPECT_EQ(bitsUnsigned(p62 - 1), 62);
    EXPECT_EQ(bitsUnsigned(p62), 63);
    // The full int64 range needs exactly 64 bits.
    EXPECT_EQ(
        bitsSigned(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()), 64);
    EXPECT_EQ(minPSym(std::numeric_limits<std::int64_t>::max()), 64);
}

TEST(IntBits, BeyondInt64)
{
    // K * 2^(N + M) for 32-bit operands and K = 2^20.
    const Int128 big = pow2(20 + 32 + 32);
    EXPECT_EQ(minPSym(big), 86);
    EXPECT_EQ(minPSym(big - 1), 85);
    EXPECT_EQ(bitsSigned(-big, big - 1), 85);
    EXPECT_EQ(bitsSigned(-big - 1, 0), 86);
    EXPECT_EQ(bitsUnsigned(big), 85);
}

TEST(IntBits, NegativeOnlyAndDegenerateIntervals)
{
    EXPECT_EQ(bitsSigned(0, 0), 1);
    EXPECT_EQ(bitsSigned(-1, -1), 1);
    EXPECT_EQ(bitsSigned(-1, 0), 1);
    EXPECT_EQ(bitsSigned(0, 1), 2);
    EXPECT_EQ(bitsSigned(-130, -75), 9);
    EXPECT_EQ(bitsSigned(90, 270), 10);
    EXPECT_EQ(bitsUnsigned(0), 1);
    EXPECT_EQ(bitsUnsigned(270), 9);
}

TEST(IntBits, RejectsNegativeMagnitudes)
{
    EXPECT_THROW(bitsUnsigned(-1), Error);
    EXPECT_THROW(minPSym(-1), Error);
    EXPECT_THROW(ceilLog2(0), Error);
}

TEST(IntBits, CeilLog2IsExact)
{
    EXPECT_EQ(ceilLog2(1), 0);
    EXPECT_EQ(ceilLog2(2), 1);
    EXPECT_EQ(ceilLog2(3), 2);
    EXPECT_EQ(ceilLog2(4), 2);
    EXPECT_EQ(ceilLog2(36), 6);
    EXPECT_EQ(ceilLog2(128), 7);
    EXPECT_EQ(ceilLog2((std::int64_t {1} << 31) + 1), 32);
    EXPECT_EQ(ceilLog2(std::numeric_limits<std::int64_t>::max()), 63);
}

TEST(IntBits, CheckedArithmeticThrowsInsteadOfWrapping)
{
    const Int128 max = pow2(126) - 1 + pow2(126); // 2^127 - 1
    EXPECT_THROW(checkedAdd(max, 1), Error);
    EXPECT_THROW(checkedMul(pow2(64), pow2(63)), Error);
    EXPECT_THROW(checkedSub(-max - 1, 1), Error);
    EXPECT_EQ(checkedMul(pow2(63), pow2(62)), pow2(125));
    EXPECT_THROW(pow2(127), Error);
}

TEST(IntBits, ToString)
{
    EXPECT_EQ(toString(0), "0");
    EXPECT_EQ(toString(-240), "-240");
    EXPECT_EQ(toString(pow2(100)), "1267650600228229401496703205376");
    const Int128 max = pow2(126) - 1 + pow2(126);
    EXPECT_EQ(toString(-max - 1), "-170141183460469231731687303715884105728");
}
