// The per-channel budgets and the minimal-L2 integer projection, with expectations derived by hand
// from accumulator-and-bops.md §5 (examples 1, 2, 3 and 12).
#include "core/projection/integerprojection.h"
#include "core/util/error.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

std::vector<std::int64_t> project(const std::vector<std::int64_t>& w, const ChannelBudget& budget)
{
    const auto p = projectChannel(w, budget);
    EXPECT_TRUE(p.has_value());
    return p ? p->weights : std::vector<std::int64_t> {};
}

} // namespace

TEST(ChannelBudget, ExampleTwelveA2QBudgetsAreTheSpecFloors)
{
    // A2Q row: L1 * 2^(N - s_x) <= 2^(P-1) - 1, i.e. L1 <= floor((2^(P-1) - 1) / 2^(N - s_x)).
    const ChannelBudget u8 = channelBudget(FitMethod::A2Q, intOperand(8, false), 0, 16);
    ASSERT_EQ(u8.rows.size(), 1u);
    EXPECT_TRUE(u8.satisfiedBy(127, 0)); // budget 127
    EXPECT_FALSE(u8.satisfiedBy(128, 0));
    const ChannelBudget s8 = channelBudget(FitMethod::A2Q, intOperand(8, true), 0, 16);
    EXPECT_TRUE(s8.satisfiedBy(200, 55)); // budget 255
    EXPECT_FALSE(s8.satisfiedBy(200, 56));
    // A2Q+ (generalized): max(S+, S-) * 255 <= 32767 -> each sign up to 128 (the published 256 / 2).
    const ChannelBudget plus = channelBudget(FitMethod::A2QPlus, intOperand(8, false), 0, 16);
    EXPECT_TRUE(plus.satisfiedBy(128, 128));
    EXPECT_FALSE(plus.satisfiedBy(129, 0));
}

TEST(ChannelBudget, BiasShrinksTheBudgetAndCanMakeItInfeasible)
{
    // Example 11: beta = 120 with UINT4 inputs at P = 10: (511 - 120) / 16 = 24.
    const ChannelBudget b = channelBudget(FitMethod::A2Q, intOperand(4, false), 120, 10);
    EXPECT_TRUE(b.satisfiedBy(24, 0));
    EXPECT_FALSE(b.satisfiedBy(25, 0));
    EXPECT_TRUE(b.feasible());
    EXPECT_FALSE(channelBudget(FitMethod::Exact, intOperand(4, false), 300, 9).feasible()); // 300 > 255
    EXPECT_FALSE(projectChannel(
        std::vector<std::int64_t> {1, 2}, channelBudget(FitMethod::A2Q, intOperand(4, false), -300, 9)));
    EXPECT_THROW(channelBudget(FitMethod::Exact, customOperand(2, 9, 4, false), 0, 9), Error);
    EXPECT_THROW(channelBudget(FitMethod::A2Q, intOperand(4, false), 0, 65), Error);
}

TEST(IntegerProjection, ShrinkMagnitudesEvenlyLargestFirstOnTies)
{
    EXPECT_EQ(shrinkMagnitudes(std::vector<std::int64_t> {8, 1}, 1), (std::vector<std::int64_t> {7, 1}));
    EXPECT_EQ(shrinkMagnitudes(std::vector<std::int64_t> {8, 1}, 2), (std::vector<std::int64_t> {7, 0}));
    EXPECT_EQ(shrinkMagnitudes(std::vector<std::int64_t> {5, 5, 5, 1}, 3),
        (std::vector<std::int64_t> {4, 4, 4, 1}));
    // Level 2 removes 2 + 2 + 1 = 5; the sixth unit goes to the first of the two equal 5s.
    EXPECT_EQ(
        shrinkMagnitudes(std::vector<std::int64_t> {5, 5, 1}, 6), (std::vector<std::int64_t> {2, 3, 0}));
    EXPECT_EQ(shrinkMagnitudes(std::vector<std::int64_t> {3, 2}, 5), (std::vector<std::int64_t> {0, 0}));
    EXPECT_THROW(shrinkMagnitudes(std::vector<std::int64_t> {3, 2}, 6), Error);
}

TEST(IntegerProjection, ExampleOneA2QAtNineBits)
{
    // Budget 15. ch0 [3, -2, 0, 7] (L1 12) stays. ch1 [-8, -8, 1, 2] (L1 19) loses 4 units; the splits
    // (D+, D-) = (0,4) (1,3) (2,2) (3,1) cost 0+8, 1+5, 2+2, 5+1, so (2, 2): [-7, -7, 0, 1], error 4.
    const ChannelBudget budget = channelBudget(FitMethod::A2Q, intOperand(4, false), 0, 9);
    EXPECT_EQ(project({3, -2, 0, 7}, budget), (std::vector<std::int64_t> {3, -2, 0, 7}));
    const auto p = projectChannel(std::vector<std::int64_t> {-8, -8, 1, 2}, budget);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->weights, (std::vector<std::int64_t> {-7, -7, 0, 1}));
    EXPECT_EQ(p->reducedPos, 2);
    EXPECT_EQ(p->reducedNeg, 2);
    EXPECT_EQ(p->squaredError, 4);
}

TEST(IntegerProjection, ExampleOneExactAndA2QPlusAtEightBits)
{
    // Exact, UINT4 input: 15 S+ <= 127 and 15 S- <= 128, so S+ <= 8 and S- <= 8.
    // ch0 S+ = 10 -> [2, 6]; ch1 S- = 16 -> [-4, -4]. Ranges [-30, 120] and [-120, 45]: 8 bits.
    const ChannelBudget exact = channelBudget(FitMethod::Exact, intOperand(4, false), 0, 8);
    EXPECT_EQ(project({3, -2, 0, 7}, exact), (std::vector<std::int64_t> {2, -2, 0, 6}));
    EXPECT_EQ(project({-8, -8, 1, 2}, exact), (std::vector<std::int64_t> {-4, -4, 1, 2}));
    // A2Q+ (b - a = 15): max(S+, S-) <= floor(127 / 15) = 8, the same here.
    const ChannelBudget plus = channelBudget(FitMethod::A2QPlus, intOperand(4, false), 0, 8);
    EXPECT_EQ(project({-8, -8, 1, 2}, plus), (std::vector<std::int64_t> {-4, -4, 1, 2}));
    // At 9 bits the exact range already fits (S- = 16 <= floor(256 / 15) = 17): unchanged.
    EXPECT_EQ(project({-8, -8, 1, 2}, channelBudget(FitMethod::Exact, intOperand(4, false), 0, 9)),
        (std::vector<std::int64_t> {-8, -8, 1, 2}));
}

TEST(IntegerProjection, ExactWithSignedInputsCouplesTheSigns)
{
    // Example 3, INT4 x INT4: w = [7, -8, 0, 0, 1, -1, 3, 0], S+ = 11, S- = 9, range [-151, 149] (9 bits).
    // At 8 bits: 7 S+ + 8 S- <= 127 and 8 S+ + 7 S- <= 128, i.e. 7 D+ + 8 D- >= 22, 8 D+ + 7 D- >= 23.
    // f+ over [7, 1, 3] = 0, 1, 2, 3, 6; f- over [8, 1] = 0, 1, 2, 5, 10. Least D- per D+ and cost:
    // D+ 0 -> 4 (10), 1 -> 3 (6), 2 -> 1 (3), 3 -> 1 (4), 4 -> 0 (6). So D+ = 2 ([7, 3] lose one each,
    // larger first), D- = 1 (the 8): [6, -7, 0, 0, 1, -1, 2, 0], range [-128, 127], error 3.
    const ChannelBudget b = channelBudget(FitMethod::Exact, intOperand(4, true), 0, 8);
    const auto p = projectChannel(std::vector<std::int64_t> {7, -8, 0, 0, 1, -1, 3, 0}, b);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->weights, (std::vector<std::int64_t> {6, -7, 0, 0, 1, -1, 2, 0}));
    EXPECT_EQ(p->squaredError, 3);
    const AccumulatorBounds bounds
        = analyzeChannel(intOperand(4, true), intOperand(4, true), p->weights).bounds;
    EXPECT_EQ(bounds.exactLo, -128);
    EXPECT_EQ(bounds.exactHi, 127);
}

TEST(IntegerProjection, IsNeverWorseThanAnyOtherFittingVector)
{
    // Brute force over every integer vector in [-8, 7]^3 for a few channels and budgets.
    const std::vector<std::vector<std::int64_t>> channels {{7, -8, 3}, {-8, -8, -8}, {5, 5, -1}, {0, 7, -2}};
    for (FitMethod method : {FitMethod::A2Q, FitMethod::A2QPlus, FitMethod::Exact})
        for (int bits : {5, 6, 7, 8})
            for (const auto& w : channels) {
                const ChannelBudget b = channelBudget(method, intOperand(3, true), 0, bits);
                const auto p = projectChannel(w, b);
                ASSERT_TRUE(p);
                Int128 best = -1;
                for (std::int64_t x = -8; x <= 7; ++x)
                    for (std::int64_t y = -8; y <= 7; ++y)
                        for (std::int64_t z = -8; z <= 7; ++z) {
                            const WeightStats s = weightStats(std::vector<std::int64_t> {x, y, z});
                            if (!b.satisfiedBy(s.sumPos, s.sumNeg))
                                continue;
                            const Int128 e
                                = (x - w[0]) * (x - w[0]) + (y - w[1]) * (y - w[1]) + (z - w[2]) * (z - w[2]);
                            best = best < 0 ? e : std::min(best, e);
                        }
                const WeightStats s = weightStats(p->weights);
                EXPECT_TRUE(b.satisfiedBy(s.sumPos, s.sumNeg));
                EXPECT_EQ(p->squaredError, best) << fitMethodName(method) << " P=" << bits;
            }
}
