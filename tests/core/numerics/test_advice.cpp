// Bit-width and weight-norm advice (accumulator-and-bops.md §2.a-§2.c) checked against brute force
// over N, M in 1..16 and against examples 1, 2, 11 and 12 of §5.
#include "core/numerics/advice.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

using namespace qs;

namespace {

constexpr int kMaxBits = 16;

Int128 powerOfTwo(int e)
{
    return static_cast<Int128>(1) << e;
}

int ceilLog2Slow(std::int64_t k)
{
    int e = 0;
    while ((std::int64_t {1} << e) < k)
        ++e;
    return e;
}

// The rules written out from the spec, independently of dataTypeBounds().
bool fitsBruteForce(DataTypeRule rule, bool xSigned, bool wSigned, std::int64_t k, int p, int n, int m)
{
    switch (rule) {
    case DataTypeRule::Classic:
        return n + m + ceilLog2Slow(k) + (!xSigned && !wSigned ? 1 : 0) <= p;
    case DataTypeRule::A2Q: {
        const Int128 bound = k * powerOfTwo(n - (xSigned ? 1 : 0)) * powerOfTwo(m - (wSigned ? 1 : 0));
        return bound <= powerOfTwo(p - 1) - 1; // symmetric signed register
    }
    case DataTypeRule::Exact: {
        const Int128 xLo = xSigned ? -powerOfTwo(n - 1) : 0;
        const Int128 xHi = xSigned ? powerOfTwo(n - 1) - 1 : powerOfTwo(n) - 1;
        const Int128 wLo = wSigned ? -powerOfTwo(m - 1) : 0;
        const Int128 wHi = wSigned ? powerOfTwo(m - 1) - 1 : powerOfTwo(m) - 1;
        const Int128 corners[] = {xLo * wLo, xLo * wHi, xHi * wLo, xHi * wHi};
        const Int128 lo = k * *std::min_element(std::begin(corners), std::end(corners));
        const Int128 hi = k * *std::max_element(std::begin(corners), std::end(corners));
        return lo >= -powerOfTwo(p - 1) && hi <= powerOfTwo(p - 1) - 1;
    }
    }
    return false;
}

} // namespace

TEST(BitWidthAdvice, MatchesBruteForce)
{
    const DataTypeRule rules[] = {DataTypeRule::A2Q, DataTypeRule::Exact, DataTypeRule::Classic};
    const std::int64_t ks[] = {1, 3, 36, 128, 1000};
    const int ps[] = {8, 16, 20, 32};
    for (const DataTypeRule rule : rules) {
        for (const bool xSigned : {false, true}) {
            for (const bool wSigned : {true, false}) {
                for (const std::int64_t k : ks) {
                    for (const int p : ps) {
                        SCOPED_TRACE(testing::Message()
                            << "rule " << static_cast<int>(rule) << " xSigned " << xSigned << " wSigned "
                            << wSigned << " K " << k << " P " << p);
                        const OperandRange x = intOperand(8, xSigned);
                        const OperandRange w = intOperand(4, wSigned);
                        AdviceOptions options;
                        options.rule = rule;
                        options.maxBits = kMaxBits;
                        const BitWidthAdvice advice = adviseBitWidths(x, w, k, p, options);

                        std::vector<BitWidthPair> pareto;
                        for (int n = 1; n <= kMaxBits; ++n) {
                            for (int m = 1; m <= kMaxBits; ++m) {
                                if (!fitsBruteForce(rule, xSigned, wSigned, k, p, n, m))
                                    continue;
                                EXPECT_TRUE(dataTypeFits(x, w, k, p, n, m, options));
                                bool dominated = false;
                                for (int n2 = n; n2 <= kMaxBits && !dominated; ++n2)
                                    for (int m2 = m; m2 <= kMaxBits && !dominated; ++m2)
                                        dominated = (n2 != n || m2 != m)
                                            && fitsBruteForce(rule, xSigned, wSigned, k, p, n2, m2);
                                if (!dominated)
                                    pareto.push_back({n, m});
                            }
                        }
                        EXPECT_EQ(advice.pareto, pareto);

                        int maxM = 0;
                        int maxN = 0;
                        for (int v = 1; v <= kMaxBits; ++v) {
                            if (fitsBruteForce(rule, xSigned, wSigned, k, p, 8, v))
                                maxM = v;
                            if (fitsBruteForce(rule, xSigned, wSigned, k, p, v, 4))
                                maxN = v;
                        }
                        EXPECT_EQ(advice.maxWeightBitsForInput, maxM);
                        EXPECT_EQ(advice.maxInputBitsForWeight, maxN);
                    }
                }
            }
        }
    }
}

TEST(BitWidthAdvice, Example1AtSixteenBits)
{
    // K = 4, unsigned input, signed weights: 4 * 2^N * 2^(M-1) <= 2^15 - 1 exactly when N + M <= 13.
    const BitWidthAdvice advice = adviseBitWidths(intOperand(4, false), intOperand(4, true), 4, 16);
    ASSERT_EQ(advice.pareto.size(), 12u);
    for (std::size_t i = 0; i < advice.pareto.size(); ++i) {
        EXPECT_EQ(advice.pareto[i].inputBits, static_cast<int>(i) + 1);
        EXPECT_EQ(advice.pareto[i].weightBits, 12 - static_cast<int>(i));
    }
    EXPECT_EQ(advice.maxWeightBitsForInput, 9);
    EXPECT_EQ(advice.maxInputBitsForWeight, 9);
}

TEST(BitWidthAdvice, Example2DataTypeBoundIsTwentyBits)
{
    // UINT8 x INT4, K = 128: (a2) needs 20 bits, (a3) and (a1) 19.
    const OperandRange x = intOperand(8, false);
    const OperandRange w = intOperand(4, true);
    EXPECT_TRUE(dataTypeFits(x, w, 128, 20, 8, 4));
    EXPECT_FALSE(dataTypeFits(x, w, 128, 19, 8, 4));
    AdviceOptions exact;
    exact.rule = DataTypeRule::Exact;
    EXPECT_TRUE(dataTypeFits(x, w, 128, 19, 8, 4, exact));
    EXPECT_FALSE(dataTypeFits(x, w, 128, 18, 8, 4, exact));
    AdviceOptions classic;
    classic.rule = DataTypeRule::Classic;
    EXPECT_TRUE(dataTypeFits(x, w, 128, 19, 8, 4, classic));
    EXPECT_FALSE(dataTypeFits(x, w, 128, 18, 8, 4, classic));
    EXPECT_EQ(adviseBitWidths(x, w, 128, 20).maxWeightBitsForInput, 4);
    EXPECT_EQ(adviseBitWidths(x, w, 128, 19).maxWeightBitsForInput, 3);
}

TEST(BitWidthAdvice, NothingFitsATinyRegister)
{
    const BitWidthAdvice advice = adviseBitWidths(intOperand(8, false), intOperand(8, true), 1000, 4);
    EXPECT_TRUE(advice.pareto.empty());
    EXPECT_EQ(advice.maxWeightBitsForInput, 0);
    EXPECT_EQ(advice.maxInputBitsForWeight, 0);
    AdviceOptions bad;
    bad.maxBits = 64;
    EXPECT_THROW(adviseBitWidths(intOperand(8, false), intOperand(8, true), 4, 16, bad), Error);
}

TEST(L1Advice, Example1AtNineBits)
{
    const std::vector<std::int64_t> flat {3, -2, 0, 7, -8, -8, 1, 2};
    const LayerAccumulator layer = analyzeLayer(intOperand(4, false), intOperand(4, true), 4, flat);
    const L1Advice advice = adviseL1Norms(layer, 9);
    EXPECT_EQ(advice.a2qBudget, 15);
    ASSERT_EQ(advice.channels.size(), 2u);
    EXPECT_EQ(advice.channels[0].l1, 12);
    EXPECT_TRUE(advice.channels[0].a2qFits);
    EXPECT_EQ(advice.channels[1].l1, 19);
    EXPECT_FALSE(advice.channels[1].a2qFits);
    EXPECT_EQ(advice.a2qFailingChannels, 1);
    // A2Q+ does not apply: neither channel sums to zero, although both L1 norms are within its budget.
    EXPECT_EQ(advice.a2qPlusBudget, 34); // floor(510 / 15)
    EXPECT_FALSE(advice.channels[0].a2qPlusFits);
    EXPECT_FALSE(advice.channels[1].a2qPlusFits);
    EXPECT_EQ(advice.a2qPlusFailingChannels, 2);
    // The generalized A2Q+ bound proves both at 9 bits (example 1: 9 and 9).
    EXPECT_TRUE(advice.channels[0].a2qPlusGenFits);
    EXPECT_TRUE(advice.channels[1].a2qPlusGenFits);
    // At P = 8 the published formula would wrongly admit ch0 (8 bits); the precondition blocks it.
    EXPECT_FALSE(adviseL1Norms(layer, 8).channels[0].a2qPlusFits);
}

TEST(L1Advice, Example2AtThirteenBits)
{
    std::vector<std::int64_t> flat(256, 0);
    const std::int64_t w0[] = {7, 7, 2, -8, -8};
    std::copy(std::begin(w0), std::end(w0), flat.begin());
    flat[128] = 1;
    flat[129] = -1;
    const LayerAccumulator layer = analyzeLayer(intOperand(8, false), intOperand(4, true), 128, flat);
    const L1Advice advice = adviseL1Norms(layer, 13);
    EXPECT_EQ(advice.a2qBudget, 15);
    EXPECT_EQ(advice.a2qPlusBudget, 32);
    EXPECT_FALSE(advice.channels[0].a2qFits); // 32 > 15
    EXPECT_TRUE(advice.channels[1].a2qFits); // 2 <= 15
    EXPECT_TRUE(advice.channels[0].a2qPlusFits);
    EXPECT_TRUE(advice.channels[1].a2qPlusFits);
    EXPECT_EQ(advice.a2qFailingChannels, 1);
    EXPECT_EQ(advice.a2qPlusFailingChannels, 0);
}

TEST(L1Advice, Example11BiasReducesTheBudget)
{
    const std::vector<std::int64_t> flat {3, -2, 0, 7, -8, -8, 1, 2};
    const std::vector<std::int64_t> beta {120, 0};
    const LayerAccumulator layer = analyzeLayer(intOperand(4, false), intOperand(4, true), 4, flat, beta);
    // ch0 needs minP_sym(12 * 16 + 120) = 10 bits.
    EXPECT_TRUE(adviseL1Norms(layer, 10).channels[0].a2qFits);
    EXPECT_FALSE(adviseL1Norms(layer, 9).channels[0].a2qFits);
    EXPECT_EQ(adviseL1Norms(layer, 10).channels[0].a2qBudget, (511 - 120) / 16);
    EXPECT_EQ(adviseL1Norms(layer, 10).a2qBudget, 511 / 16);
}

TEST(L1Advice, Example12Budgets)
{
    const std::vector<std::int64_t> one {1};
    const auto budgets = [&](int p, int n, bool s) {
        const L1Advice a = adviseL1Norms(analyzeLayer(intOperand(n, s), intOperand(2, true), 1, one), p);
        return std::pair {a.a2qBudget, a.a2qPlusBudget};
    };
    EXPECT_EQ(budgets(16, 8, false), (std::pair<Int128, Int128> {127, 256}));
    EXPECT_EQ(budgets(16, 8, true), (std::pair<Int128, Int128> {255, 256}));
    EXPECT_EQ(budgets(12, 4, false), (std::pair<Int128, Int128> {127, 272}));
    EXPECT_EQ(budgets(32, 8, false), (std::pair<Int128, Int128> {8388607, 16843008}));
}

TEST(L1Advice, BudgetIsTheLargestFittingNormByBruteForce)
{
    for (const std::int64_t bias : {0, 5, 100}) {
        for (int p = 6; p <= 14; ++p) {
            for (int n = 1; n <= 6; ++n) {
                for (const bool s : {false, true}) {
                    Int128 largest = -1;
                    for (Int128 l = 0; l < (1 << 15); ++l) {
                        if (minPSym(l * powerOfTwo(n - (s ? 1 : 0)) + bias) <= p)
                            largest = l;
                    }
                    EXPECT_EQ(l1BudgetA2Q(p, n, s, bias), largest)
                        << "P " << p << " N " << n << " bias " << bias;
                    Int128 largestPlus = -1;
                    for (Int128 l = 0; l < (1 << 15); ++l) {
                        // (L/2)(2^N - 1) + |beta| <= 2^(P-1) - 1, doubled to stay in integers.
                        if (l * (powerOfTwo(n) - 1) + 2 * bias <= powerOfTwo(p) - 2)
                            largestPlus = l;
                    }
                    EXPECT_EQ(l1BudgetA2QPlus(p, n, bias), largestPlus) << "P " << p << " N " << n;
                }
            }
        }
    }
}
