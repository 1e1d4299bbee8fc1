#include "core/numerics/intrange.h"
#include "core/numerics/quantops.h"
#include "core/util/error.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <vector>

using namespace qs;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<float> floats(const Tensor& t)
{
    EXPECT_EQ(t.dtype(), DType::Float32);
    return {t.data<float>(), t.data<float>() + t.size()};
}

std::vector<double> doubles(const Tensor& t)
{
    EXPECT_EQ(t.dtype(), DType::Float64);
    return {t.data<double>(), t.data<double>() + t.size()};
}

Tensor scalar(float v)
{
    return Tensor::scalar(v);
}

IntQuantAttributes quantAttrs(bool isSigned, bool narrow, RoundingMode mode = RoundingMode::HalfEven)
{
    IntQuantAttributes a;
    a.isSigned = isSigned;
    a.narrow = narrow;
    a.rounding = mode;
    return a;
}

} // namespace

TEST(IntRange, TableOfSpec)
{
    // Spec §2.2 with B = 8.
    EXPECT_EQ(intRange(8, true, false).lo, -128.0);
    EXPECT_EQ(intRange(8, true, false).hi, 127.0);
    EXPECT_EQ(intRange(8, true, true).lo, -127.0);
    EXPECT_EQ(intRange(8, true, true).hi, 127.0);
    EXPECT_EQ(intRange(8, false, false).lo, 0.0);
    EXPECT_EQ(intRange(8, false, false).hi, 255.0);
    EXPECT_EQ(intRange(8, false, true).lo, 0.0);
    EXPECT_EQ(intRange(8, false, true).hi, 254.0);
    // Non-integer bit width gives real bounds (B = 3.5, signed: -5.657 .. 4.657).
    EXPECT_NEAR(intRange(3.5, true, false).lo, -5.657, 1e-3);
    EXPECT_NEAR(intRange(3.5, true, false).hi, 4.657, 1e-3);
    // 1-bit unsigned narrow collapses to [0, 0].
    EXPECT_EQ(intRange(1, false, true).hi, 0.0);
}

TEST(IntQuant, WorkedExamplesOfSpec)
{
    // §2.5: signed=1 narrow=0 B=4 S=0.5 Z=0 ROUND.
    const Tensor x = Tensor::fromFloats({3}, {1.25f, 10.0f, -10.0f});
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y = intQuant(x, scalar(0.5f), scalar(0.0f), scalar(4.0f), quantAttrs(true, false), p);
        EXPECT_EQ(y.shape(), (Shape {3}));
        EXPECT_EQ(y.at(0), 1.0);
        EXPECT_EQ(y.at(1), 3.5);
        EXPECT_EQ(y.at(2), -4.0);
        // Same with narrow=1: -10 -> -7 -> -3.5.
        const Tensor yn = intQuant(x, scalar(0.5f), scalar(0.0f), scalar(4.0f), quantAttrs(true, true), p);
        EXPECT_EQ(yn.at(2), -3.5);
    }
    // Asymmetric uint8: S=0.05 Z=128, X=-6.4 -> v = 0 -> Y = (0 - 128) * 0.05 = -6.4.
    const Tensor ya = intQuant(Tensor::fromFloats({1}, {-6.4f}), scalar(0.05f), scalar(128.0f), scalar(8.0f),
        quantAttrs(false, false), Precision::Float32);
    EXPECT_EQ(floats(ya), (std::vector<float> {-6.4f}));
    const Tensor yd = intQuant(Tensor::fromDoubles({1}, {-6.4}), Tensor::fromDoubles({}, {0.05}),
        Tensor::fromDoubles({}, {128.0}), scalar(8.0f), quantAttrs(false, false), Precision::Float64);
    EXPECT_EQ(doubles(yd), (std::vector<double> {-6.4}));
}

TEST(IntQuant, OneBitSignedIsBipolarAroundZeroPoint)
{
    // §2.5: B=1 signed S=2 Z=0: 0 -> +2, -1e-3 -> -2. §2.3: -0 counts as >= 0, NaN gives -1.
    const Tensor x = Tensor::fromFloats({4}, {0.0f, -1e-3f, -0.0f, kNaN});
    for (bool narrow : {false, true}) {
        const Tensor y = intQuant(x, scalar(2.0f), scalar(0.0f), scalar(1.0f),
            quantAttrs(true, narrow, RoundingMode::Floor), Precision::Float32);
        EXPECT_EQ(floats(y), (std::vector<float> {2.0f, -2.0f, 2.0f, -2.0f}));
    }
    // Output (+-1 - Z) * S with a zero point: Z = 0.5, S = 1 -> 0.5 or -1.5.
    const Tensor yz = intQuant(Tensor::fromFloats({2}, {3.0f, -3.0f}), scalar(1.0f), scalar(0.5f),
        scalar(1.0f), quantAttrs(true, false), Precision::Float64);
    EXPECT_EQ(doubles(yz), (std::vector<double> {0.5, -1.5}));
}

TEST(IntQuant, OneBitUnsignedNarrowIsConstant)
{
    // §2.3: 1-bit unsigned narrow has range [0, 0], so every output is -Z * S.
    const Tensor x = Tensor::fromFloats({3}, {-5.0f, 0.3f, 9.0f});
    const Tensor y
        = intQuant(x, scalar(2.0f), scalar(0.25f), scalar(1.0f), quantAttrs(false, true), Precision::Float32);
    EXPECT_EQ(floats(y), (std::vector<float> {-0.5f, -0.5f, -0.5f}));
}

TEST(IntQuant, NonIntegerBitWidthClampsBeforeRounding)
{
    // §2.3: B = 3.5 signed ROUND: large inputs clamp to 4.657 then round to 5 (outside [lo, hi]);
    // very negative ones clamp to -5.657 and round to -6.
    const Tensor x = Tensor::fromFloats({3}, {100.0f, -100.0f, 2.0f});
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y = intQuant(x, scalar(1.0f), scalar(0.0f), scalar(3.5f), quantAttrs(true, false), p);
        EXPECT_EQ(y.at(0), 5.0);
        EXPECT_EQ(y.at(1), -6.0);
        EXPECT_EQ(y.at(2), 2.0);
    }
}

TEST(IntQuant, BitWidthMustHoldOneValue)
{
    const Tensor x = Tensor::fromFloats({2}, {1.0f, 2.0f});
    EXPECT_THROW(intQuant(x, scalar(1.0f), scalar(0.0f), Tensor::fromFloats({2}, {4.0f, 4.0f}), {},
                     Precision::Float32),
        Error);
    EXPECT_THROW(
        intQuant(x, scalar(1.0f), scalar(0.0f), Tensor(DType::Float32, {0}), {}, Precision::Float64), Error);
    // A 1-element 1-D bit width is accepted (§2.4).
    EXPECT_NO_THROW(
        intQuant(x, scalar(1.0f), scalar(0.0f), Tensor::fromFloats({1}, {4.0f}), {}, Precision::Float32));
}

TEST(IntQuant, BroadcastsToALargerShape)
{
    // §1: x:(3,) with scale:(2,1) gives output (2,3). B=3 signed: codes -4..3.
    const Tensor x = Tensor::fromFloats({3}, {1.0f, 2.0f, 3.0f});
    const Tensor s = Tensor::fromFloats({2, 1}, {1.0f, 0.5f});
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y = intQuant(x, s, scalar(0.0f), scalar(3.0f), quantAttrs(true, false), p);
        ASSERT_EQ(y.shape(), (Shape {2, 3}));
        // Row 0: scale 1 -> 1, 2, 3. Row 1: x/0.5 = 2, 4, 6 -> clamp to 3 -> 1.0, 1.5, 1.5.
        const std::vector<double> want {1.0, 2.0, 3.0, 1.0, 1.5, 1.5};
        for (std::int64_t i = 0; i < 6; ++i)
            EXPECT_EQ(y.at(i), want[static_cast<std::size_t>(i)]) << i;
    }
}

TEST(IntQuant, PerChannelPathMatchesPerTensorPath)
{
    // A per-channel scale [1,C,1,1] must give, channel by channel, exactly the per-tensor result.
    const int C = 3;
    std::vector<float> xs;
    for (int i = 0; i < 2 * C * 4; ++i)
        xs.push_back(0.37f * static_cast<float>(i - 20) + 0.01f);
    const Tensor x = Tensor::fromFloats({2, C, 2, 2}, xs);
    const std::vector<float> scales {0.1f, 0.03f, 0.7f};
    const std::vector<float> zps {0.0f, 3.0f, -2.0f};
    const auto a = quantAttrs(true, false, RoundingMode::HalfUp);
    const Tensor y = intQuant(x, Tensor::fromFloats({1, C, 1, 1}, scales),
        Tensor::fromFloats({1, C, 1, 1}, zps), scalar(5.0f), a, Precision::Float32);
    ASSERT_EQ(y.shape(), x.shape());
    for (int c = 0; c < C; ++c) {
        const Tensor yc = intQuant(x, scalar(scales[static_cast<std::size_t>(c)]),
            scalar(zps[static_cast<std::size_t>(c)]), scalar(5.0f), a, Precision::Float32);
        for (int n = 0; n < 2; ++n)
            for (int k = 0; k < 4; ++k) {
                const std::int64_t i = (n * C + c) * 4 + k;
                EXPECT_EQ(y.data<float>()[i], yc.data<float>()[i]) << "n=" << n << " c=" << c << " k=" << k;
            }
    }
}

TEST(IntQuant, SpecialValuesAndNegativeScale)
{
    // §2.3: NaN propagates, +-Inf clamp to hi / lo; a negative scale mirrors the grid.
    const Tensor x = Tensor::fromFloats({3}, {kNaN, kInf, -kInf});
    const Tensor y
        = intQuant(x, scalar(1.0f), scalar(0.0f), scalar(4.0f), quantAttrs(true, false), Precision::Float32);
    EXPECT_TRUE(std::isnan(y.data<float>()[0]));
    EXPECT_EQ(y.data<float>()[1], 7.0f);
    EXPECT_EQ(y.data<float>()[2], -8.0f);
    // S = -0.5: X = 1.25 -> v = -2.5 -> ROUND -2 -> Y = 1.0; X = 10 -> -20 -> clamp -8 -> 4.0.
    const Tensor yn = intQuant(Tensor::fromFloats({2}, {1.25f, 10.0f}), scalar(-0.5f), scalar(0.0f),
        scalar(4.0f), quantAttrs(true, false), Precision::Float32);
    EXPECT_EQ(floats(yn), (std::vector<float> {1.0f, 4.0f}));
}

TEST(IntQuant, AcceptsIntegerInputsAndOutputsWorkingPrecision)
{
    const Tensor x = Tensor::fromInt64s({2}, {3, -300});
    const Tensor y = intQuant(x, Tensor::fromInt64s({}, {1}), Tensor::fromInt64s({}, {0}),
        Tensor::fromInt64s({}, {8}), quantAttrs(true, false), Precision::Float64);
    EXPECT_EQ(doubles(y), (std::vector<double> {3.0, -128.0}));
    EXPECT_THROW(intQuant(Tensor::fromFloats({3}, {1, 2, 3}), Tensor::fromFloats({2}, {1, 1}), scalar(0.0f),
                     scalar(8.0f), {}, Precision::Float32),
        Error);
}

TEST(BipolarQuant, SignOfInputTimesScale)
{
    // §3: 0 and -0 give +S, NaN gives -S, the decision ignores the scale's sign.
    const Tensor x = Tensor::fromFloats({5}, {0.0f, -0.0f, kNaN, -1e-40f, 3.0f});
    EXPECT_EQ(floats(bipolarQuant(x, scalar(0.5f), Precision::Float32)),
        (std::vector<float> {0.5f, 0.5f, -0.5f, -0.5f, 0.5f}));
    EXPECT_EQ(doubles(bipolarQuant(x, scalar(-2.0f), Precision::Float64)),
        (std::vector<double> {-2.0, -2.0, 2.0, 2.0, -2.0}));
}

TEST(Trunc, Version1ShiftsAndKeepsInputScale)
{
    // §4.2: S=1 Z=0 Bi=8 Bo=4 -> k=16; FLOOR: 40 -> 2.5 -> 2; -40 -> -2.5 -> -3; output scale is S.
    TruncAttributes a;
    a.rounding = RoundingMode::Floor;
    const Tensor x = Tensor::fromFloats({3}, {40.0f, -40.0f, 7.6f});
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y = truncV1(x, scalar(1.0f), scalar(0.0f), scalar(8.0f), scalar(4.0f), a, p);
        EXPECT_EQ(y.at(0), 2.0);
        EXPECT_EQ(y.at(1), -3.0);
        EXPECT_EQ(y.at(2), 0.0); // 7.6 -> RNE 8 -> 0.5 -> floor 0
    }
}

TEST(Trunc, Version2ClampsAndRescalesWithOutScale)
{
    // §4.3: S=1, So=16 -> k=16; Bo=4 signed: codes -8..7.
    TruncAttributes a;
    a.rounding = RoundingMode::Floor;
    const Tensor x = Tensor::fromFloats({3}, {40.0f, 200.0f, -300.0f});
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y
            = truncV2(x, scalar(1.0f), scalar(0.0f), scalar(8.0f), scalar(16.0f), scalar(4.0f), a, p);
        EXPECT_EQ(y.at(0), 32.0); // 2.5 -> 2 -> 2 * 16
        EXPECT_EQ(y.at(1), 112.0); // 12.5 -> clamp 7
        EXPECT_EQ(y.at(2), -128.0); // -18.75 -> clamp -8
    }
    // No bipolar special case: Bo=1 signed clamps to [-1, 0].
    const Tensor y1 = truncV2(Tensor::fromFloats({2}, {100.0f, -100.0f}), scalar(1.0f), scalar(0.0f),
        scalar(8.0f), scalar(1.0f), scalar(1.0f), a, Precision::Float32);
    EXPECT_EQ(floats(y1), (std::vector<float> {0.0f, -1.0f}));
    // A ratio that is not a power of two is snapped (24 -> 32) but the output uses So = 24.
    const Tensor yr = truncV2(Tensor::fromFloats({1}, {64.0f}), scalar(1.0f), scalar(0.0f), scalar(8.0f),
        scalar(24.0f), scalar(8.0f), a, Precision::Float32);
    EXPECT_EQ(floats(yr), (std::vector<float> {48.0f}));
    // The zero point moves to the output grid as Z/k: Z=8, k=16, x=8 -> v=16 -> u=1 -> (1 - 0.5) * 16.
    a.isSigned = false;
    const Tensor yz = truncV2(Tensor::fromFloats({1}, {8.0f}), scalar(1.0f), scalar(8.0f), scalar(8.0f),
        scalar(16.0f), scalar(8.0f), a, Precision::Float64);
    EXPECT_EQ(doubles(yz), (std::vector<double> {8.0}));
}

TEST(Trunc, PerChannelScalesMatchPerTensor)
{
    TruncAttributes a;
    a.rounding = RoundingMode::HalfUp;
    const Tensor x = Tensor::fromFloats({2, 3}, {0.3f, -1.7f, 2.2f, 5.1f, -0.6f, 9.9f});
    const Tensor s = Tensor::fromFloats({2, 1}, {0.1f, 0.25f});
    const Tensor so = Tensor::fromFloats({2, 1}, {0.4f, 2.0f});
    const Tensor y = truncV2(x, s, scalar(0.0f), scalar(8.0f), so, scalar(6.0f), a, Precision::Float32);
    ASSERT_EQ(y.shape(), (Shape {2, 3}));
    for (int r = 0; r < 2; ++r) {
        const Tensor xr = Tensor::fromFloats(
            {3}, {x.data<float>()[r * 3], x.data<float>()[r * 3 + 1], x.data<float>()[r * 3 + 2]});
        const Tensor yr = truncV2(xr, scalar(s.data<float>()[r]), scalar(0.0f), scalar(8.0f),
            scalar(so.data<float>()[r]), scalar(6.0f), a, Precision::Float32);
        for (int c = 0; c < 3; ++c)
            EXPECT_EQ(y.data<float>()[r * 3 + c], yr.data<float>()[c]) << r << "," << c;
    }
}

// FP8 E4M3 (bias 7, max 448), hand-computed from §5:
// e = max(floor(log2|x|) - 3, -9), x_q = 2^e * R(x / 2^e).
TEST(FloatQuant, Fp8E4M3)
{
    const Tensor x = Tensor::fromFloats({8}, {1.0f, 0.3f, 300.0f, 500.0f, -1000.0f, 0.001f, 0.0f, -0.3f});
    const std::vector<float> want {
        1.0f, // 8 * 2^-3
        0.3125f, // 0.3 * 32 = 9.6 -> 10 -> 10/32
        288.0f, // 300 / 32 = 9.375 -> 9 -> 9 * 32
        448.0f, // 500 / 32 = 15.625 -> 16 -> 512, clamped to 448
        -448.0f,
        0.001953125f, // subnormal: e = -9, 0.001 * 512 = 0.512 -> 1 -> 2^-9
        0.0f,
        -0.3125f,
    };
    for (Precision p : {Precision::Float32, Precision::Float64}) {
        const Tensor y
            = floatQuant(x, scalar(1.0f), scalar(4.0f), scalar(3.0f), scalar(7.0f), scalar(448.0f), {}, p);
        for (std::int64_t i = 0; i < 8; ++i)
            EXPECT_EQ(static_cast<float>(y.at(i)), want[static_cast<std::size_t>(i)]) << i;
    }
    // Without max_val the format maximum (2 - 2^-3) * 2^8 = 480 applies; a scale divides first.
    // 1000 / 2 = 500 -> 512 -> clamped to 480 -> 960; 2 / 2 = 1 -> 1 -> 2.
    const Tensor y2 = floatQuant(Tensor::fromFloats({2}, {1000.0f, 2.0f}), scalar(2.0f), scalar(4.0f),
        scalar(3.0f), scalar(7.0f), Tensor(), {}, Precision::Float32);
    EXPECT_EQ(floats(y2), (std::vector<float> {960.0f, 2.0f}));
}

TEST(FloatQuant, NonSaturatingOverflow)
{
    const Tensor x = Tensor::fromFloats({3}, {500.0f, -500.0f, 1.0f});
    FloatQuantAttributes a;
    a.saturation = false;
    EXPECT_THROW(floatQuant(x, scalar(1.0f), scalar(4.0f), scalar(3.0f), scalar(7.0f), scalar(448.0f), a,
                     Precision::Float32),
        Error);
    a.hasInf = true;
    EXPECT_EQ(floats(floatQuant(x, scalar(1.0f), scalar(4.0f), scalar(3.0f), scalar(7.0f), scalar(448.0f), a,
                  Precision::Float32)),
        (std::vector<float> {kInf, -kInf, 1.0f}));
    a.hasInf = false;
    a.hasNan = true;
    const auto y = floats(floatQuant(
        x, scalar(1.0f), scalar(4.0f), scalar(3.0f), scalar(7.0f), scalar(448.0f), a, Precision::Float32));
    EXPECT_TRUE(std::isnan(y[0]));
    EXPECT_TRUE(std::isnan(y[1]));
    EXPECT_EQ(y[2], 1.0f);
}
