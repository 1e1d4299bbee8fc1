// Overflow simulation, counting and risk classes (accumulator-and-bops.md §3) against examples 9-11
// of §5. Expected numbers come from the spec; the few marked "by hand" are derived in the comment.
#include "core/numerics/accumulator.h"
#include "core/numerics/overflow.h"
#include "core/util/error.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

using namespace qs;

namespace {

using Vec = std::vector<std::int64_t>;

const Vec kW0 {3, -2, 0, 7};
const Vec kW1 {-8, -8, 1, 2};
const Vec kX1 {15, 0, 15, 15};
const Vec kX2 {0, 15, 3, 1};
const Vec kX3 {10, 10, 10, 10};

LayerAccumulator example1Layer(std::span<const std::int64_t> bias = {})
{
    const Vec flat {3, -2, 0, 7, -8, -8, 1, 2};
    return analyzeLayer(intOperand(4, false), intOperand(4, true), 4, flat, bias);
}

Int128 dot(const Vec& x, const Vec& w)
{
    Int128 y = 0;
    for (const std::int64_t p : termProducts(x, w))
        y += p;
    return y;
}

OverflowObserver observe(const std::vector<Vec>& samples, int accBits, OverflowMode mode = OverflowMode::Wrap)
{
    OverflowObserver obs(2, AccRegister {accBits, true}, mode);
    for (const Vec& x : samples) {
        obs.addFinal(0, dot(x, kW0));
        obs.addFinal(1, dot(x, kW1));
    }
    return obs;
}

} // namespace

TEST(WrapAndSaturate, Definitions)
{
    // Example 9's table, P = 8.
    EXPECT_EQ(wrap(150, 8), -106);
    EXPECT_EQ(wrap(-23, 8), -23);
    EXPECT_EQ(wrap(80, 8), 80);
    EXPECT_EQ(wrap(-130, 8), 126);
    EXPECT_EQ(sat(150, 8), 127);
    EXPECT_EQ(sat(-130, 8), -128);
    EXPECT_EQ(sat(-75, 8), -75);
    const AccRegister u8 {8, false};
    EXPECT_EQ(u8.min(), 0);
    EXPECT_EQ(u8.max(), 255);
    EXPECT_EQ(wrap(256 + 7, u8), 7);
    EXPECT_EQ(wrap(-1, u8), 255);
    EXPECT_EQ(sat(-1, u8), 0);
    // Far outside the register, and at 64 bits.
    EXPECT_EQ(wrap(pow2(100) + 5, 8), 5);
    EXPECT_EQ(wrap(pow2(63), 64), -pow2(63));
    EXPECT_EQ(sat(-pow2(80), 64), -pow2(63));
    EXPECT_THROW(wrap(0, 0), Error);
}

TEST(Example9, ExactWrappedAndSaturatedResults)
{
    EXPECT_EQ(dot(kX1, kW0), 150);
    EXPECT_EQ(dot(kX2, kW0), -23);
    EXPECT_EQ(dot(kX3, kW0), 80);
    EXPECT_EQ(dot(kX1, kW1), -75);
    EXPECT_EQ(dot(kX2, kW1), -115);
    EXPECT_EQ(dot(kX3, kW1), -130);

    const OverflowObserver obs = observe({kX1, kX2, kX3}, 8);
    const ChannelObservation& c0 = obs.channels()[0];
    const ChannelObservation& c1 = obs.channels()[1];
    EXPECT_EQ(c0.finalLo, -23);
    EXPECT_EQ(c0.finalHi, 150);
    EXPECT_EQ(c1.finalLo, -130);
    EXPECT_EQ(c1.finalHi, -75);
    EXPECT_EQ(c0.observedBits(), 9);
    EXPECT_EQ(c1.observedBits(), 9);
    EXPECT_EQ(obs.excessBits(0), 1);
    EXPECT_EQ(obs.excessBits(1), 1);
    EXPECT_EQ(c0.overflowElements, 1);
    EXPECT_EQ(c1.overflowElements, 1);
    EXPECT_EQ(c0.wrapError.maxAbs, 256);
    EXPECT_EQ(c1.wrapError.maxAbs, 256);
    EXPECT_EQ(c0.saturateError.maxAbs, 23);
    EXPECT_EQ(c1.saturateError.maxAbs, 2);

    const OverflowSummary s = obs.summary();
    EXPECT_EQ(s.elements, 6);
    EXPECT_EQ(s.overflowElements, 2);
    EXPECT_DOUBLE_EQ(s.overflowRate, 1.0 / 3.0);
    EXPECT_EQ(s.channels, 2);
    EXPECT_EQ(s.overflowChannels, 2);
    EXPECT_EQ(s.maxExcessBits, 1);
    EXPECT_EQ(s.wrapError.maxAbs, 256);
    EXPECT_EQ(s.wrapError.sumAbs, 512);
    EXPECT_DOUBLE_EQ(s.wrapError.mean(s.elements), 512.0 / 6.0);
    EXPECT_EQ(s.saturateError.sumAbs, 25);
    // 150 -> -106 and -130 -> 126 flip sign; the clamped values keep it.
    EXPECT_EQ(s.wrapError.signFlips, 2);
    EXPECT_EQ(s.saturateError.signFlips, 0);
}

TEST(Example9, RiskClasses)
{
    const LayerAccumulator layer = example1Layer();
    const AccRegister p8 {8, true};

    // Worst case needs 9 > 8 bits: without data both channels are UNVERIFIED.
    const LayerRisk none = classifyLayer(layer, p8, OverflowMode::Wrap);
    EXPECT_EQ(none.channels[0].risk, RiskClass::Unverified);
    EXPECT_EQ(none.channels[1].risk, RiskClass::Unverified);
    EXPECT_EQ(none.risk, RiskClass::Unverified);

    const OverflowObserver all = observe({kX1, kX2, kX3}, 8);
    const LayerRisk observed = classifyLayer(layer, p8, OverflowMode::Wrap, &all);
    EXPECT_EQ(observed.channels[0].risk, RiskClass::Observed);
    EXPECT_EQ(observed.channels[1].risk, RiskClass::Observed);
    EXPECT_EQ(observed.risk, RiskClass::Observed);

    // Only {x2, x3}: ch0 observed in [-23, 80] fits, ch1 sees -130.
    const OverflowObserver some = observe({kX2, kX3}, 8);
    const LayerRisk partial = classifyLayer(layer, p8, OverflowMode::Wrap, &some);
    EXPECT_EQ(partial.channels[0].risk, RiskClass::Possible);
    EXPECT_EQ(partial.channels[0].headroomBits, 8 - 8); // P_obs of [-23, 80] is 8 (by hand)
    EXPECT_EQ(partial.channels[1].risk, RiskClass::Observed);
    EXPECT_EQ(partial.risk, RiskClass::Observed);

    // P = 9: both SAFE. ch0 is proven by A2Q (9 bits), ch1 only by A2Q+ gen (9; A2Q says 10).
    const LayerRisk safe = classifyLayer(layer, AccRegister {9, true}, OverflowMode::Wrap, nullptr);
    EXPECT_EQ(safe.channels[0].risk, RiskClass::Safe);
    EXPECT_EQ(safe.channels[1].risk, RiskClass::Safe);
    EXPECT_EQ(safe.risk, RiskClass::Safe);
    EXPECT_EQ(safe.channels[0].proof, SafeProof::A2Q);
    EXPECT_FALSE(safe.channels[1].provenByA2Q);
    EXPECT_TRUE(safe.channels[1].provenByA2QPlus);
    EXPECT_EQ(safe.channels[1].proof, SafeProof::A2QPlus);
    EXPECT_FALSE(safe.channels[0].provenByDataType); // data type needs 10 / 11
    EXPECT_EQ(safe.proof, SafeProof::A2QPlus);
    // At 10 bits the exact data-type bound (a3) suffices.
    EXPECT_EQ(classifyLayer(layer, AccRegister {10, true}, OverflowMode::Wrap).proof, SafeProof::DataType);
}

TEST(Example9, SaturateModeCountsRunningSums)
{
    OverflowObserver obs(2, AccRegister {8, true}, OverflowMode::Saturate);
    for (const Vec& x : {kX1, kX2, kX3}) {
        obs.addProducts(0, termProducts(x, kW0));
        obs.addProducts(1, termProducts(x, kW1));
    }
    // The two final sums outside [-128, 127] also have running sums outside it; no other does
    // (by hand: ch1 with x1 runs -120, -120, -105, -75).
    EXPECT_EQ(obs.summary().overflowElements, 2);
    EXPECT_EQ(obs.channels()[1].partialLo, -160); // x3: -80, -160, -150, -130 (by hand)
    const LayerRisk risk
        = classifyLayer(example1Layer(), AccRegister {8, true}, OverflowMode::Saturate, &obs);
    EXPECT_EQ(risk.risk, RiskClass::Observed);
}

TEST(Example9, MergingObserversEqualsOneRun)
{
    OverflowObserver merged = observe({kX1}, 8);
    merged.merge(observe({kX2, kX3}, 8));
    const OverflowSummary a = merged.summary();
    const OverflowSummary b = observe({kX1, kX2, kX3}, 8).summary();
    EXPECT_EQ(a.elements, b.elements);
    EXPECT_EQ(a.overflowElements, b.overflowElements);
    EXPECT_EQ(a.overflowChannels, b.overflowChannels);
    EXPECT_EQ(a.wrapError.sumAbs, b.wrapError.sumAbs);
    EXPECT_EQ(a.saturateError.sumAbs, b.saturateError.sumAbs);
    EXPECT_EQ(merged.channels()[0].finalLo, -23);
    EXPECT_EQ(merged.channels()[0].finalHi, 150);
    EXPECT_THROW(merged.merge(observe({kX1}, 9)), Error);
}

TEST(Example10, TransientOverflowWrapCorrectSaturateNot)
{
    const Vec w {7, 7, -8, -8};
    const Vec x {15, 15, 15, 15};
    const Vec products = termProducts(x, w);
    const AccRegister p8 {8, true};

    const AccumulationTrace t = simulateAccumulation(products, p8);
    EXPECT_EQ(t.exact, -30);
    EXPECT_EQ(t.partialHi, 210);
    EXPECT_EQ(t.partialLo, -30);
    EXPECT_EQ(t.wrapped, -30);
    EXPECT_FALSE(t.wrapOverflow);
    EXPECT_EQ(t.saturated, -113);
    EXPECT_TRUE(t.saturateOverflow);

    // Exact partial sums 105, 210, 90, -30.
    EXPECT_EQ(registerSteps(products, AccRegister {64, true}, OverflowMode::Wrap),
        (std::vector<Int128> {105, 210, 90, -30}));
    EXPECT_EQ(registerSteps(products, p8, OverflowMode::Wrap), (std::vector<Int128> {105, -46, 90, -30}));
    EXPECT_EQ(registerSteps(products, p8, OverflowMode::Saturate), (std::vector<Int128> {105, 127, 7, -113}));
    const Vec reversed(products.rbegin(), products.rend());
    EXPECT_EQ(
        registerSteps(reversed, p8, OverflowMode::Saturate), (std::vector<Int128> {-120, -128, -23, 82}));
    const AccumulationTrace r = simulateAccumulation(reversed, p8);
    EXPECT_EQ(r.saturated, 82);
    EXPECT_EQ(r.wrapped, -30);

    // Errors: 83 in order, 112 reversed; none for wrap.
    OverflowObserver sat(1, p8, OverflowMode::Saturate);
    sat.addProducts(0, products);
    EXPECT_EQ(sat.channels()[0].overflowElements, 1);
    EXPECT_EQ(sat.channels()[0].saturateError.maxAbs, 83);
    EXPECT_EQ(sat.channels()[0].wrapError.maxAbs, 0);
    sat.addProducts(0, reversed);
    EXPECT_EQ(sat.channels()[0].saturateError.maxAbs, 112);
    EXPECT_EQ(sat.channels()[0].saturateError.signFlips, 1); // -30 -> 82

    // The channel needs 9 bits: saturate mode observes the overflow, wrap mode only a possible one.
    const LayerAccumulator layer = analyzeLayer(intOperand(4, false), intOperand(4, true), 4, w);
    EXPECT_EQ(layer.layer.exactBits, 9);
    EXPECT_EQ(classifyLayer(layer, p8, OverflowMode::Saturate, &sat).risk, RiskClass::Observed);
    OverflowObserver wrapped(1, p8, OverflowMode::Wrap);
    wrapped.addProducts(0, products);
    EXPECT_EQ(wrapped.channels()[0].overflowElements, 0);
    EXPECT_EQ(classifyLayer(layer, p8, OverflowMode::Wrap, &wrapped).risk, RiskClass::Possible);
}

TEST(Example11, PreloadedBiasShiftsTheRange)
{
    const Vec beta {120, 0};
    const LayerAccumulator biased = example1Layer(beta);
    EXPECT_EQ(biased.channels[0].bounds.exactLo, 90);
    EXPECT_EQ(biased.channels[0].bounds.exactHi, 270);
    EXPECT_EQ(biased.layer.exactBits, 10);

    // Signed 10 bits: SAFE; 9 bits: ch0 (needs 10) is not, ch1 (needs 9) is.
    EXPECT_EQ(classifyLayer(biased, AccRegister {10, true}, OverflowMode::Wrap).risk, RiskClass::Safe);
    const LayerRisk p9 = classifyLayer(biased, AccRegister {9, true}, OverflowMode::Wrap);
    EXPECT_EQ(p9.channels[0].risk, RiskClass::Unverified);
    EXPECT_EQ(p9.channels[1].risk, RiskClass::Safe);
    EXPECT_EQ(p9.risk, RiskClass::Unverified);
    // Without the bias the layer fits 9 bits.
    EXPECT_EQ(
        classifyLayer(example1Layer(), AccRegister {9, true}, OverflowMode::Wrap).risk, RiskClass::Safe);
    // "9 if the register were unsigned": ch0's [90, 270] fits an unsigned 9-bit register.
    const LayerRisk u9 = classifyLayer(biased, AccRegister {9, false}, OverflowMode::Saturate);
    EXPECT_EQ(u9.channels[0].risk, RiskClass::Safe);
    EXPECT_EQ(u9.channels[1].risk, RiskClass::Unverified); // negative sums never fit unsigned

    // The simulation starts from the bias: x1 on ch0 gives 150 + 120 = 270.
    const AccumulationTrace t = simulateAccumulation(termProducts(kX1, kW0), AccRegister {10, true}, 120);
    EXPECT_EQ(t.exact, 270);
    EXPECT_EQ(t.partialLo, 120);
    EXPECT_FALSE(t.wrapOverflow);
}

TEST(RiskClasses, OrderAndNames)
{
    EXPECT_EQ(worseRisk(RiskClass::Safe, RiskClass::Observed), RiskClass::Observed);
    EXPECT_EQ(worseRisk(RiskClass::Possible, RiskClass::Safe), RiskClass::Possible);
    EXPECT_EQ(worseRisk(RiskClass::Unverified, RiskClass::Observed), RiskClass::Observed);
    EXPECT_EQ(worseRisk(RiskClass::NotApplicable, RiskClass::Safe), RiskClass::Safe);
    EXPECT_STREQ(riskClassName(RiskClass::Observed), "OBSERVED");
    EXPECT_STREQ(riskClassName(RiskClass::NotApplicable), "N/A");
    EXPECT_STREQ(safeProofName(SafeProof::A2QPlus), "A2Q+");
    // Example 8: a FLOAT32 input has no integer accumulator; the caller reports an empty LayerRisk.
    EXPECT_EQ(LayerRisk {}.risk, RiskClass::NotApplicable);
}

TEST(RiskClasses, DataTypesOnlyLayerUsesA3)
{
    // Runtime weights: UINT4 x INT4, K = 4 spans [-480, 420] (example 1) and needs 10 bits.
    const LayerAccumulator layer = analyzeLayer(intOperand(4, false), intOperand(4, true), 4, {});
    const LayerRisk p10 = classifyLayer(layer, AccRegister {10, true}, OverflowMode::Wrap);
    EXPECT_EQ(p10.risk, RiskClass::Safe);
    EXPECT_EQ(p10.proof, SafeProof::DataType);
    EXPECT_EQ(classifyLayer(layer, AccRegister {9, true}, OverflowMode::Wrap).risk, RiskClass::Unverified);
    OverflowObserver obs(3, AccRegister {9, true}, OverflowMode::Wrap);
    obs.addFinal(2, 300);
    const LayerRisk p9 = classifyLayer(layer, AccRegister {9, true}, OverflowMode::Wrap, &obs);
    ASSERT_EQ(p9.channels.size(), 3u);
    EXPECT_EQ(p9.channels[0].risk, RiskClass::Unverified);
    EXPECT_EQ(p9.channels[2].risk, RiskClass::Observed);
    EXPECT_THROW(classifyLayer(layer, AccRegister {8, true}, OverflowMode::Wrap, &obs), Error);
}

// addFinals() is addFinal() of each sum in turn: every field of every channel, for signed and
// unsigned registers, wrap and saturate modes, with sums inside, at the edges of and far outside the
// register (and negative sums in an unsigned one).
TEST(OverflowObserver, AddFinalsEqualsAddFinalOneByOne)
{
    const Vec sums {0, 5, -6, 127, 128, -128, -129, 255, 256, -1, 40000, -40000, INT64_MAX, INT64_MIN, 3};
    for (const bool isSigned : {true, false})
        for (const OverflowMode mode : {OverflowMode::Wrap, OverflowMode::Saturate})
            for (const int bits : {1, 8, 16, 64, 100}) {
                const AccRegister reg {bits, isSigned};
                OverflowObserver one(2, reg, mode), block(2, reg, mode);
                for (std::size_t i = 0; i < sums.size(); ++i)
                    one.addFinal(static_cast<std::int64_t>(i % 2), sums[i]);
                Vec even, odd;
                for (std::size_t i = 0; i < sums.size(); ++i)
                    (i % 2 ? odd : even).push_back(sums[i]);
                block.addFinals(0, std::span(even).first(3));
                block.addFinals(0, std::span(even).subspan(3));
                block.addFinals(1, odd);
                block.addFinals(1, {});
                for (std::size_t c = 0; c < 2; ++c) {
                    const ChannelObservation& a = one.channels()[c];
                    const ChannelObservation& b = block.channels()[c];
                    SCOPED_TRACE(std::to_string(bits) + (isSigned ? " signed" : " unsigned") + " channel "
                        + std::to_string(c));
                    EXPECT_EQ(a.elements, b.elements);
                    EXPECT_EQ(a.overflowElements, b.overflowElements);
                    EXPECT_TRUE(a.finalLo == b.finalLo && a.finalHi == b.finalHi);
                    EXPECT_EQ(a.partialElements, b.partialElements);
                    for (const auto& [x, y] :
                        {std::pair(a.wrapError, b.wrapError), std::pair(a.saturateError, b.saturateError)}) {
                        EXPECT_TRUE(x.maxAbs == y.maxAbs && x.sumAbs == y.sumAbs);
                        EXPECT_EQ(x.signFlips, y.signFlips);
                    }
                }
                if (bits < 64 || !isSigned) { // a wide signed register holds every int64
                    EXPECT_GT(one.summary().overflowElements, 0);
                }
            }
}
