// Accumulator-width methods of accumulator-and-bops.md §2 against the worked examples of §5.
// Every expected number is copied from the spec.
#include "core/numerics/accumulator.h"
#include "core/numerics/bops.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <vector>

using namespace qs;

namespace {

using Weights = std::vector<std::vector<std::int64_t>>;

std::vector<std::int64_t> padded(std::vector<std::int64_t> head, std::size_t k)
{
    head.resize(k, 0);
    return head;
}

} // namespace

TEST(OperandRanges, FollowTheQuantTable)
{
    const OperandRange u4 = intOperand(4, false);
    EXPECT_EQ(u4.lo, 0);
    EXPECT_EQ(u4.hi, 15);
    const OperandRange u4n = intOperand(4, false, true);
    EXPECT_EQ(u4n.hi, 14); // qonnx narrows unsigned ranges too
    const OperandRange s8 = intOperand(8, true);
    EXPECT_EQ(s8.lo, -128);
    EXPECT_EQ(s8.hi, 127);
    const OperandRange s8n = intOperand(8, true, true);
    EXPECT_EQ(s8n.lo, -127);
    const OperandRange s1 = intOperand(1, true); // {-1, 0}, not bipolar
    EXPECT_EQ(s1.lo, -1);
    EXPECT_EQ(s1.hi, 0);
    const OperandRange bip = bipolarOperand();
    EXPECT_EQ(rangeWidth(bip), 2);
    EXPECT_TRUE(bip.bipolar);
    EXPECT_EQ(binaryOperand().hi, 1);
    EXPECT_EQ(ternaryOperand().lo, -1);
    EXPECT_EQ(ternaryOperand().hi, 1);
    const OperandRange zp = intOperand(8, false, false, 128);
    EXPECT_EQ(zp.lo, -128);
    EXPECT_EQ(zp.hi, 127);
    EXPECT_EQ(maxAbs(zp), 128);
    EXPECT_EQ(a2qMagnitude(zp), 256);
    EXPECT_THROW(intOperand(0, true), Error);
    EXPECT_THROW(intOperand(64, false), Error);
    EXPECT_THROW(customOperand(3, 2, 4, true), Error);
}

TEST(Example1, TinyFcUint4Int4)
{
    const LayerAccumulator acc
        = analyzeLayer(intOperand(4, false), intOperand(4, true), Weights {{3, -2, 0, 7}, {-8, -8, 1, 2}});
    ASSERT_EQ(acc.channels.size(), 2u);
    const ChannelAccumulator& c0 = acc.channels[0];
    const ChannelAccumulator& c1 = acc.channels[1];
    EXPECT_EQ(c0.stats.sumPos, 10);
    EXPECT_EQ(c0.stats.sumNeg, 2);
    EXPECT_EQ(c0.stats.l1, 12);
    EXPECT_EQ(c0.stats.sum, 8);
    EXPECT_EQ(c1.stats.sumPos, 3);
    EXPECT_EQ(c1.stats.sumNeg, 16);
    EXPECT_EQ(c1.stats.l1, 19);
    EXPECT_EQ(c1.stats.sum, -13);
    EXPECT_EQ(acc.maxL1, 19);

    EXPECT_EQ(c0.bounds.exactLo, -30);
    EXPECT_EQ(c0.bounds.exactHi, 150);
    EXPECT_EQ(c1.bounds.exactLo, -240);
    EXPECT_EQ(c1.bounds.exactHi, 45);
    EXPECT_EQ(acc.layer.exactLo, -240);
    EXPECT_EQ(acc.layer.exactHi, 150);
    EXPECT_EQ(c0.bounds.exactBits, 9);
    EXPECT_EQ(c1.bounds.exactBits, 9);
    EXPECT_EQ(acc.layer.exactBits, 9);

    EXPECT_EQ(c0.bounds.a2qBits, 9);
    EXPECT_EQ(c1.bounds.a2qBits, 10);
    EXPECT_EQ(acc.layer.a2qBits, 10);

    EXPECT_EQ(c0.bounds.a2qPlusGenBits, 9);
    EXPECT_EQ(c1.bounds.a2qPlusGenBits, 9);
    EXPECT_EQ(acc.layer.a2qPlusGenBits, 9);
    EXPECT_TRUE(acc.layer.a2qPlusGenValid);

    // Published A2Q+: 8 for ch0 is below the exact 9 -- flagged by its violated precondition.
    EXPECT_EQ(c0.bounds.a2qPlusPubBits, 8);
    EXPECT_LT(c0.bounds.a2qPlusPubBits, c0.bounds.exactBits);
    EXPECT_FALSE(c0.bounds.zeroSum);
    EXPECT_FALSE(c0.bounds.a2qPlusPubValid);
    EXPECT_EQ(c1.bounds.a2qPlusPubBits, 9);
    EXPECT_FALSE(c1.bounds.a2qPlusPubValid);
    EXPECT_FALSE(acc.layer.a2qPlusPubValid);

    const DataTypeBounds& dt = acc.layer.dataType;
    EXPECT_EQ(dt.classicBits, 10);
    EXPECT_EQ(dt.a2qMagnitude, 512);
    EXPECT_EQ(dt.a2qBits, 11);
    EXPECT_EQ(dt.exactLo, -480);
    EXPECT_EQ(dt.exactHi, 420);
    EXPECT_EQ(dt.exactBits, 10);

    // Inverse: at P = 9 A2Q allows L1 <= floor(255 / 16) = 15.
    EXPECT_EQ(l1BudgetA2Q(9, 4, false), 15);
    EXPECT_LE(c0.stats.l1, l1BudgetA2Q(9, 4, false));
    EXPECT_GT(c1.stats.l1, l1BudgetA2Q(9, 4, false));
}

TEST(Example2, DataTypeBoundTwentyBitsWeightsNeedThirteen)
{
    const LayerAccumulator acc = analyzeLayer(intOperand(8, false), intOperand(4, true),
        Weights {padded({7, 7, 2, -8, -8}, 128), padded({1, -1}, 128)});
    ASSERT_EQ(acc.k, 128);
    const AccumulatorBounds& c0 = acc.channels[0].bounds;
    const AccumulatorBounds& c1 = acc.channels[1].bounds;
    EXPECT_EQ(acc.channels[0].stats.sumPos, 16);
    EXPECT_EQ(acc.channels[0].stats.sumNeg, 16);
    EXPECT_EQ(acc.channels[0].stats.l1, 32);
    EXPECT_EQ(acc.channels[0].stats.sum, 0);
    EXPECT_EQ(acc.channels[1].stats.l1, 2);
    EXPECT_EQ(acc.channels[1].stats.sum, 0);
    EXPECT_EQ(acc.maxL1, 32);

    EXPECT_EQ(c0.exactLo, -4080);
    EXPECT_EQ(c0.exactHi, 4080);
    EXPECT_EQ(c1.exactLo, -255);
    EXPECT_EQ(c1.exactHi, 255);
    EXPECT_EQ(c0.exactBits, 13);
    EXPECT_EQ(c1.exactBits, 9);
    EXPECT_EQ(acc.layer.exactBits, 13);

    EXPECT_EQ(c0.a2qMagnitude, 8192);
    EXPECT_EQ(c0.a2qBits, 15);
    EXPECT_EQ(c1.a2qBits, 11);
    EXPECT_EQ(acc.layer.a2qBits, 15);

    EXPECT_EQ(c0.a2qPlusPubBits, 13);
    EXPECT_EQ(c0.a2qPlusGenBits, 13);
    EXPECT_EQ(c1.a2qPlusPubBits, 9);
    EXPECT_EQ(c1.a2qPlusGenBits, 9);
    EXPECT_TRUE(acc.layer.a2qPlusPubValid);
    EXPECT_EQ(acc.layer.a2qPlusPubBits, 13);
    EXPECT_EQ(acc.layer.a2qPlusGenBits, 13);

    const DataTypeBounds& dt = acc.layer.dataType;
    EXPECT_EQ(dt.a2qMagnitude, 262144);
    EXPECT_EQ(dt.a2qBits, 20);
    EXPECT_EQ(dt.classicBits, 19);
    EXPECT_EQ(dt.exactLo, -261120);
    EXPECT_EQ(dt.exactHi, 228480);
    EXPECT_EQ(dt.exactBits, 19);

    // Inverse at P = 13.
    EXPECT_EQ(l1BudgetA2Q(13, 8, false), 15);
    EXPECT_LT(l1BudgetA2Q(13, 8, false), 32);
    EXPECT_EQ(l1BudgetA2QPlus(13, 8), 32);
    EXPECT_GE(l1BudgetA2QPlus(13, 8), 32);

    // Summary: dt 20 / A2Q 15 / A2Q+ 13 / exact 13.
    EXPECT_EQ(dt.a2qBits, 20);
    EXPECT_EQ(acc.layer.a2qBits, 15);
    EXPECT_EQ(acc.layer.a2qPlusPubBits, 13);
    EXPECT_EQ(acc.layer.exactBits, 13);
    EXPECT_EQ(acc.layer.bestBoundBits, 13);
}

TEST(Example3, SignedInputsInt4Int4)
{
    const ChannelAccumulator ch = analyzeChannel(
        intOperand(4, true), intOperand(4, true), std::vector<std::int64_t> {7, -8, 0, 0, 1, -1, 3, 0});
    EXPECT_EQ(ch.stats.sumPos, 11);
    EXPECT_EQ(ch.stats.sumNeg, 9);
    EXPECT_EQ(ch.stats.l1, 20);
    EXPECT_EQ(ch.stats.sum, 2);
    EXPECT_EQ(ch.bounds.exactHi, 149);
    EXPECT_EQ(ch.bounds.exactLo, -151);
    EXPECT_EQ(ch.bounds.exactBits, 9);
    EXPECT_EQ(ch.bounds.a2qMagnitude, 160);
    EXPECT_EQ(ch.bounds.a2qBits, 9);
    EXPECT_EQ(ch.bounds.a2qPlusGenMagnitude, 165);
    EXPECT_EQ(ch.bounds.a2qPlusGenBits, 9);
    const DataTypeBounds& dt = ch.bounds.dataType;
    EXPECT_EQ(dt.a2qMagnitude, 512); // 2^alpha, alpha = 9
    EXPECT_EQ(dt.a2qBits, 11);
    EXPECT_EQ(dt.classicBits, 11);
    EXPECT_EQ(dt.exactLo, -448);
    EXPECT_EQ(dt.exactHi, 512);
    EXPECT_EQ(dt.exactBits, 11);
}

TEST(Example3, UnbalancedWeightsGeneralizedA2QPlusLooserThanA2Q)
{
    const ChannelAccumulator ch
        = analyzeChannel(intOperand(4, true), intOperand(4, true), std::vector<std::int64_t> {3, 3, 3, 3});
    EXPECT_EQ(ch.stats.sumPos, 12);
    EXPECT_EQ(ch.stats.sumNeg, 0);
    EXPECT_EQ(ch.bounds.exactLo, -96);
    EXPECT_EQ(ch.bounds.exactHi, 84);
    EXPECT_EQ(ch.bounds.exactBits, 8);
    EXPECT_EQ(ch.bounds.a2qMagnitude, 96);
    EXPECT_EQ(ch.bounds.a2qBits, 8);
    EXPECT_EQ(ch.bounds.a2qPlusGenMagnitude, 180);
    EXPECT_EQ(ch.bounds.a2qPlusGenBits, 9);
    EXPECT_GT(ch.bounds.a2qPlusGenBits, ch.bounds.a2qBits);
    // The published formula would say 8, but its zero-sum precondition is violated.
    EXPECT_EQ(ch.bounds.a2qPlusPubBits, 8);
    EXPECT_FALSE(ch.bounds.zeroSum);
    EXPECT_FALSE(ch.bounds.a2qPlusPubValid);
    EXPECT_EQ(ch.bounds.bestBoundBits, 8);
}

TEST(Example4, NarrowRangeDataTypeBounds)
{
    const OperandRange s8 = intOperand(8, true);
    const OperandRange s8n = intOperand(8, true, true);

    const DataTypeBounds regular = dataTypeBounds(s8, s8, 4);
    EXPECT_EQ(regular.exactLo, -65024);
    EXPECT_EQ(regular.exactHi, 65536);
    EXPECT_EQ(regular.exactBits, 18);
    EXPECT_EQ(regular.a2qBits, 18);
    EXPECT_EQ(regular.classicBits, 18);

    const DataTypeBounds narrowW = dataTypeBounds(s8, s8n, 4);
    EXPECT_EQ(narrowW.exactLo, -65024);
    EXPECT_EQ(narrowW.exactHi, 65024);
    EXPECT_EQ(narrowW.exactBits, 17);
    EXPECT_EQ(narrowW.a2qBits, 18); // (a2) ignores narrowness
    EXPECT_EQ(narrowW.classicBits, 18);

    const DataTypeBounds bothNarrow = dataTypeBounds(s8n, s8n, 4);
    EXPECT_EQ(bothNarrow.exactLo, -64516);
    EXPECT_EQ(bothNarrow.exactHi, 64516);
    EXPECT_EQ(bothNarrow.exactBits, 17);
    EXPECT_EQ(bothNarrow.a2qBits, 18);
    EXPECT_EQ(bothNarrow.classicBits, 18);
}

TEST(Example4, ActualNarrowAndRegularWeights)
{
    const OperandRange s8 = intOperand(8, true);
    const ChannelAccumulator narrow
        = analyzeChannel(s8, intOperand(8, true, true), std::vector<std::int64_t> {-127, -127, -127, -127});
    EXPECT_EQ(narrow.stats.sumNeg, 508);
    EXPECT_EQ(narrow.bounds.exactLo, -64516);
    EXPECT_EQ(narrow.bounds.exactHi, 65024);
    EXPECT_EQ(narrow.bounds.exactBits, 17);
    EXPECT_EQ(narrow.bounds.a2qMagnitude, 65024);
    EXPECT_EQ(narrow.bounds.a2qBits, 17);

    const ChannelAccumulator regular
        = analyzeChannel(s8, s8, std::vector<std::int64_t> {-128, -128, -128, -128});
    EXPECT_EQ(regular.stats.sumNeg, 512);
    EXPECT_EQ(regular.bounds.exactLo, -65024);
    EXPECT_EQ(regular.bounds.exactHi, 65536);
    EXPECT_EQ(regular.bounds.exactBits, 18);
    EXPECT_EQ(regular.bounds.a2qMagnitude, 65536);
    EXPECT_EQ(regular.bounds.a2qBits, 18);
}

TEST(Example5, BipolarConv3x3)
{
    std::vector<std::int64_t> w0(20, 1);
    w0.insert(w0.end(), 16, -1);
    std::vector<std::int64_t> w1(18, 1);
    w1.insert(w1.end(), 18, -1);
    const LayerAccumulator acc = analyzeLayer(bipolarOperand(), bipolarOperand(), Weights {w0, w1});
    ASSERT_EQ(acc.k, 36);
    for (const ChannelAccumulator& ch : acc.channels) {
        EXPECT_EQ(ch.bounds.exactLo, -36);
        EXPECT_EQ(ch.bounds.exactHi, 36);
        EXPECT_EQ(ch.bounds.exactBits, 7);
        EXPECT_EQ(ch.stats.l1, 36);
        EXPECT_EQ(ch.bounds.a2qBits, 7); // 2^(N - s_x) = 1
    }
    // FINN XNOR-popcount form: agreements in [0, 36] need 6 unsigned bits.
    EXPECT_EQ(bitsUnsigned(36), 6);

    const DataTypeBounds& dt = acc.layer.dataType;
    EXPECT_EQ(dt.a2qMagnitude, 36);
    EXPECT_EQ(dt.a2qBits, 7);
    EXPECT_EQ(dt.classicBits, 8);

    const AccumulatorBounds& b1 = acc.channels[1].bounds;
    EXPECT_TRUE(b1.zeroSum);
    EXPECT_EQ(b1.a2qPlusGenMagnitude, 36); // 18 * (b - a) = 18 * 2
    EXPECT_EQ(b1.a2qPlusGenBits, 7);
    // Published form with 2^1 - 1 = 1 says 6: wrong, 6-bit signed max is 31 < 36.
    EXPECT_EQ(b1.a2qPlusPubBits, 6);
    EXPECT_FALSE(b1.a2qPlusPubValid);
    EXPECT_EQ(b1.bestBoundBits, 7);

    // Binary {0, 1} inputs with w0.
    const ChannelAccumulator binary = analyzeChannel(binaryOperand(), bipolarOperand(), w0);
    EXPECT_EQ(binary.bounds.exactLo, -16);
    EXPECT_EQ(binary.bounds.exactHi, 20);
    EXPECT_EQ(binary.bounds.exactBits, 6);
}

TEST(Example6, ZeroPointOnTheInput)
{
    const std::vector<std::int64_t> w {100, 90, 20};
    const OperandRange s8 = intOperand(8, true);
    const ChannelAccumulator centered = analyzeChannel(intOperand(8, false, false, 128), s8, w);
    EXPECT_EQ(centered.stats.sumPos, 210);
    EXPECT_EQ(centered.bounds.exactLo, -26880);
    EXPECT_EQ(centered.bounds.exactHi, 26670);
    EXPECT_EQ(centered.bounds.exactBits, 16);
    // (b') with max|x~| = 128 vs naive A2Q with 2^(N - s_x) = 256.
    EXPECT_EQ(centered.bounds.a2qTrueMaxMagnitude, 26880);
    EXPECT_EQ(centered.bounds.a2qTrueMaxBits, 16);
    EXPECT_EQ(centered.bounds.a2qBits, 17);
    EXPECT_EQ(centered.bounds.dataType.exactLo, -48768);
    EXPECT_EQ(centered.bounds.dataType.exactHi, 49152);
    EXPECT_EQ(centered.bounds.dataType.exactBits, 17);
    EXPECT_EQ(centered.bounds.dataType.classicBits, 18);

    // Raw model: accumulate q_x * w over [0, 255].
    const ChannelAccumulator raw = analyzeChannel(intOperand(8, false), s8, w);
    EXPECT_EQ(raw.bounds.exactLo, 0);
    EXPECT_EQ(raw.bounds.exactHi, 53550);
    EXPECT_EQ(raw.bounds.exactBits, 17);
    EXPECT_EQ(bitsUnsigned(raw.bounds.exactHi), 16);
    // The correction z_x * sum(w) = 128 * 210 = 26880 is a per-channel constant.
    EXPECT_EQ(128 * raw.stats.sum, 26880);
    EXPECT_EQ(raw.bounds.exactHi - 26880, centered.bounds.exactHi);
}

TEST(Example7And8, KFromShapes)
{
    EXPECT_EQ(convMacs({1, 8, 10, 10}, {16, 4, 3, 3}, {1, 16, 10, 10}, 2).k, 36);
    EXPECT_EQ(convMacs({1, 32, 16, 16}, {32, 1, 3, 3}, {1, 32, 16, 16}, 32).k, 9);
    EXPECT_EQ(gemmMacs({4, 64}, {10, 64}, false, true).k, 64);
    EXPECT_EQ(matMulMacs({2, 3, 5, 7}, {7, 6}).k, 7);
}

TEST(Example9And10, WorstCaseRanges)
{
    // Example 9 uses the weights of example 1: worst case needs 9 > 8 bits for both channels.
    const LayerAccumulator ex9
        = analyzeLayer(intOperand(4, false), intOperand(4, true), Weights {{3, -2, 0, 7}, {-8, -8, 1, 2}});
    EXPECT_EQ(ex9.channels[0].bounds.exactBits, 9);
    EXPECT_EQ(ex9.channels[1].bounds.exactBits, 9);
    // Example 10: w = [7, 7, -8, -8], UINT4.
    const ChannelAccumulator ex10
        = analyzeChannel(intOperand(4, false), intOperand(4, true), std::vector<std::int64_t> {7, 7, -8, -8});
    EXPECT_EQ(ex10.bounds.exactLo, -240);
    EXPECT_EQ(ex10.bounds.exactHi, 210);
    EXPECT_EQ(ex10.bounds.exactBits, 9);
}

TEST(Example11, PreloadedBias)
{
    const OperandRange x = intOperand(4, false);
    const OperandRange w = intOperand(4, true);
    const Weights weights {{3, -2, 0, 7}, {-8, -8, 1, 2}};
    const std::vector<std::int64_t> beta {120, 0};
    const LayerAccumulator acc = analyzeLayer(x, w, weights, beta);
    const AccumulatorBounds& c0 = acc.channels[0].bounds;
    EXPECT_EQ(c0.exactLo, 90);
    EXPECT_EQ(c0.exactHi, 270);
    EXPECT_EQ(c0.exactBits, 10);
    EXPECT_EQ(bitsUnsigned(c0.exactHi), 9); // an unsigned register would need 9
    EXPECT_EQ(acc.channels[1].bounds.exactLo, -240);
    EXPECT_EQ(acc.channels[1].bounds.exactHi, 45);
    EXPECT_EQ(acc.channels[1].bounds.exactBits, 9);
    EXPECT_EQ(acc.layer.exactBits, 10);
    EXPECT_EQ(analyzeLayer(x, w, weights).layer.exactBits, 9);
    // A2Q with bias for ch0: 12 * 16 + 120 = 312.
    EXPECT_EQ(c0.a2qMagnitude, 312);
    EXPECT_EQ(c0.a2qBits, 10);
    EXPECT_EQ(minPSym(312), 10);
}

TEST(Example12, LargestAdmissibleL1Norm)
{
    EXPECT_EQ(l1BudgetA2Q(16, 8, false), 127);
    EXPECT_EQ(l1BudgetA2QPlus(16, 8), 256);
    EXPECT_EQ(l1BudgetA2Q(16, 8, true), 255);
    EXPECT_EQ(l1BudgetA2QPlus(16, 8), 256);
    EXPECT_EQ(l1BudgetA2Q(12, 4, false), 127);
    EXPECT_EQ(l1BudgetA2QPlus(12, 4), 272);
    EXPECT_EQ(l1BudgetA2Q(32, 8, false), 8388607);
    EXPECT_EQ(l1BudgetA2QPlus(32, 8), 16843008);
}

TEST(Budgets, AgreeWithTheForwardBounds)
{
    // L <= T(P) exactly when the forward bound gives at most P bits.
    for (int n = 1; n <= 8; ++n) {
        for (const bool s : {false, true}) {
            const OperandRange x = intOperand(n, s);
            for (int p = 2; p <= 20; ++p) {
                const Int128 t = l1BudgetA2Q(p, n, s);
                const Int128 tPlus = l1BudgetA2QPlus(p, n);
                for (Int128 l : {t - 1, t, t + 1}) {
                    if (l < 0)
                        continue;
                    EXPECT_EQ(minPSym(l * a2qMagnitude(x)) <= p, l <= t);
                    EXPECT_EQ(bitLength(static_cast<UInt128>(l * (pow2(n) - 1) + 1)) <= p, l <= tPlus);
                }
            }
        }
    }
    // A bias that does not even fit alone leaves a negative budget.
    EXPECT_EQ(l1BudgetA2Q(8, 4, false, 127), 0);
    EXPECT_EQ(l1BudgetA2Q(8, 4, false, 128), -1);
    EXPECT_EQ(l1BudgetA2QPlus(8, 4, 128), -1);
}

TEST(Layer, DataTypesOnlyFallsBackToA3)
{
    const std::vector<std::int64_t> bias {-5, 7};
    const LayerAccumulator acc = analyzeLayer(intOperand(4, false), intOperand(4, true), 4, {}, bias);
    EXPECT_FALSE(acc.hasWeights);
    EXPECT_TRUE(acc.channels.empty());
    EXPECT_EQ(acc.layer.exactLo, -480 - 5);
    EXPECT_EQ(acc.layer.exactHi, 420 + 7);
    EXPECT_EQ(acc.layer.dataType.a2qMagnitude, 512 + 7);
    EXPECT_FALSE(acc.layer.a2qValid);
    EXPECT_FALSE(acc.layer.a2qPlusGenValid);
    EXPECT_EQ(acc.layer.bestBoundBits, 10);
}

TEST(Layer, RejectsInconsistentInput)
{
    const OperandRange x = intOperand(4, false);
    const OperandRange w = intOperand(4, true);
    const std::vector<std::int64_t> five {1, 2, 3, 4, 5};
    EXPECT_THROW(analyzeLayer(x, w, 2, five), Error);
    EXPECT_THROW(analyzeLayer(x, w, 0, {}), Error);
    const std::vector<std::int64_t> outside {1, 9};
    EXPECT_THROW(analyzeLayer(x, w, 2, outside), Error);
    const std::vector<std::int64_t> four {1, 2, 3, 4};
    const std::vector<std::int64_t> oneBias {1};
    EXPECT_THROW(analyzeLayer(x, w, 2, four, oneBias), Error);
}

TEST(Layer, ThirtyTwoBitOperandsExceedInt64Exactly)
{
    // INT32 x INT32, K = 2^20: the (a2) magnitude 2^(20 + 31 + 31) is beyond int64 but exact here.
    const OperandRange s32 = intOperand(32, true);
    const DataTypeBounds dt = dataTypeBounds(s32, s32, std::int64_t {1} << 20);
    EXPECT_EQ(dt.a2qMagnitude, pow2(82));
    EXPECT_EQ(dt.a2qBits, 84);
    EXPECT_EQ(dt.exactHi, pow2(82));
    EXPECT_EQ(dt.exactBits, 84);
    EXPECT_EQ(dt.classicBits, 84);
}

// Brute force over the whole input box: (d) is attained, and the §2.e orderings hold.
TEST(Layer, ExactRangeMatchesBruteForceAndBoundsAreOrdered)
{
    std::mt19937 rng(7);
    const OperandRange xs[] = {intOperand(3, false), intOperand(3, true), intOperand(2, false, false, 1),
        intOperand(3, true, true), bipolarOperand()};
    const OperandRange w = intOperand(3, true);
    std::uniform_int_distribution<std::int64_t> pick(w.lo, w.hi);
    for (const OperandRange& x : xs) {
        for (int trial = 0; trial < 40; ++trial) {
            std::vector<std::int64_t> weights(3);
            for (auto& v : weights)
                v = pick(rng);
            const std::int64_t balance = -(weights[0] + weights[1]);
            if (trial % 4 == 0 && balance >= w.lo && balance <= w.hi)
                weights[2] = balance; // exercise the zero-sum (A2Q+) path too
            const ChannelAccumulator ch = analyzeChannel(x, w, weights);
            Int128 lo = 0;
            Int128 hi = 0;
            bool first = true;
            for (std::int64_t a = x.lo; a <= x.hi; ++a)
                for (std::int64_t b = x.lo; b <= x.hi; ++b)
                    for (std::int64_t c = x.lo; c <= x.hi; ++c) {
                        const Int128 y = a * weights[0] + b * weights[1] + c * weights[2];
                        lo = first ? y : std::min(lo, y);
                        hi = first ? y : std::max(hi, y);
                        first = false;
                    }
            EXPECT_EQ(ch.bounds.exactLo, lo);
            EXPECT_EQ(ch.bounds.exactHi, hi);
            const AccumulatorBounds& b = ch.bounds;
            EXPECT_LE(b.exactBits, b.bestBoundBits);
            EXPECT_LE(b.exactBits, b.a2qTrueMaxBits);
            EXPECT_LE(b.exactBits, b.dataType.exactBits);
            if (b.a2qValid) {
                EXPECT_LE(b.a2qTrueMaxBits, b.a2qBits);
                EXPECT_LE(b.a2qBits, b.dataType.a2qBits);
            }
            if (b.a2qPlusGenValid) {
                EXPECT_LE(b.exactBits, b.a2qPlusGenBits);
            }
            if (b.a2qPlusPubValid) {
                EXPECT_LE(b.exactBits, b.a2qPlusPubBits);
                EXPECT_LE(b.a2qPlusPubBits, b.a2qBits);
            }
        }
    }
}
