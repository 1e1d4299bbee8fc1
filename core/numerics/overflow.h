#pragma once
// Overflow simulation, counting and risk classes of a P-bit accumulator register (spec §3):
// wrap / saturate arithmetic, an ordered accumulation simulation, an observer that collects
// calibration results per output channel, and the SAFE / POSSIBLE / UNVERIFIED / OBSERVED / N/A classes.
#include "core/numerics/accumulator.h"

#include <cstdint>
#include <span>
#include <vector>

namespace qs {

// A signed ([-2^(P-1), 2^(P-1) - 1]) or unsigned ([0, 2^P - 1]) register of 1..126 bits.
struct AccRegister {
    int bits = 32;
    bool isSigned = true;
    Int128 min() const;
    Int128 max() const;
    bool contains(Int128 v) const { return v >= min() && v <= max(); }
};

enum class OverflowMode : std::uint8_t { Wrap, Saturate };

// §3.4: wrap(v) = ((v - A_min) mod 2^P) + A_min, sat(v) = min(max(v, A_min), A_max).
Int128 wrap(Int128 v, const AccRegister& reg);
Int128 sat(Int128 v, const AccRegister& reg);
Int128 wrap(Int128 v, int accBits, bool isSigned = true);
Int128 sat(Int128 v, int accBits, bool isSigned = true);

// Width a register of the given kind needs for [lo, hi]: bits_s when signed; bits_u when unsigned
// and lo >= 0 (for lo < 0 no unsigned width suffices and bits_s is returned).
int registerBitsFor(Int128 lo, Int128 hi, bool isSigned);

// x_i * w_i for two equally long vectors (throws Error if a product leaves int64).
std::vector<std::int64_t> termProducts(std::span<const std::int64_t> x, std::span<const std::int64_t> w);

// One dot product accumulated in order r_0 = initial (a preloaded bias), r_i = r_(i-1) + p_i.
struct AccumulationTrace {
    Int128 exact = 0; // r_K without any register
    Int128 partialLo = 0, partialHi = 0; // extremes of the exact running sums r_0..r_K
    Int128 wrapped = 0; // wrap register result = wrap(exact), whatever the order
    Int128 saturated = 0; // saturate register result, clamped after every addition
    bool wrapOverflow = false; // the final exact sum leaves the register
    bool saturateOverflow = false; // some exact running sum leaves it (the register clamped)
};
AccumulationTrace simulateAccumulation(
    std::span<const std::int64_t> products, const AccRegister& reg, std::int64_t initial = 0);
// Register contents after each addition (without r_0), for display and tests.
std::vector<Int128> registerSteps(std::span<const std::int64_t> products, const AccRegister& reg,
    OverflowMode mode, std::int64_t initial = 0);

struct ErrorStats {
    Int128 maxAbs = 0; // max |y_sim - y_exact|
    Int128 sumAbs = 0;
    std::int64_t signFlips = 0; // y_sim and y_exact of strictly opposite signs
    double mean(std::int64_t elements) const;
};

struct ChannelObservation {
    std::int64_t elements = 0;
    std::int64_t overflowElements = 0; // by the observer's mode (§3.3)
    Int128 finalLo = 0, finalHi = 0; // observed exact final sums
    std::int64_t partialElements = 0; // elements that came with running-sum extremes
    Int128 partialLo = 0, partialHi = 0;
    ErrorStats wrapError; // register result wrap(y)
    ErrorStats saturateError; // clamped in order when products were given, else sat(y)
    double overflowRate() const;
    int observedBits() const; // P_obs = bits_s(finalLo, finalHi); 0 without elements
};

struct OverflowSummary {
    std::int64_t elements = 0; // E = S * C_out * prod(output spatial)
    std::int64_t overflowElements = 0;
    double overflowRate = 0.0;
    std::int64_t channels = 0;
    std::int64_t overflowChannels = 0;
    int observedBits = 0; // over all channels
    int maxExcessBits = 0; // max_c max(0, P_obs_c - P)
    ErrorStats wrapError;
    ErrorStats saturateError;
};

// Collects calibration results per output channel. Overflow counting follows the mode: wrap checks
// final sums, saturate checks running sums when they were given (final sums otherwise). Errors are
// kept for both register behaviours. Multiply errors by s_x * s_w,c for real units.
class OverflowObserver {
public:
    OverflowObserver(std::int64_t channels, AccRegister reg, OverflowMode mode);

    // Exact final sum only (bias included when preloaded).
    void addFinal(std::int64_t channel, Int128 exactSum);
    // addFinal() of each sum in turn, with the same results; much faster on long runs, since a sum the
    // register holds is wrapped and saturated to itself (no error, no overflow) and needs no more.
    void addFinals(std::int64_t channel, std::span<const std::int64_t> exactSums);
    // Final sum plus the extremes of its exact running sums; the saturated result is approximated
    // by sat(exactSum) -- use addProducts for the order-exact value.
    void addWithPartials(std::int64_t channel, Int128 exactSum, Int128 partialLo, Int128 partialHi);
    // Products in accumulation order, simulated exactly (initial = preloaded bias).
    void addProducts(std::int64_t channel, std::span<const std::int64_t> products, std::int64_t initial = 0);
    // Adds another observer's counts (same register, mode and channel count), e.g. from another thread.
    void merge(const OverflowObserver& other);

    const AccRegister& accRegister() const { return reg_; }
    OverflowMode mode() const { return mode_; }
    const std::vector<ChannelObservation>& channels() const { return channels_; }
    int excessBits(std::int64_t channel) const; // max(0, P_obs - P) for the register kind
    OverflowSummary summary() const;

private:
    std::size_t index(std::int64_t channel) const; // throws Error when out of range
    void record(std::int64_t channel, Int128 exact, bool hasPartials, Int128 partialLo, Int128 partialHi,
        Int128 saturated);

    AccRegister reg_;
    OverflowMode mode_;
    std::vector<ChannelObservation> channels_;
};

// §3.2. Order: OBSERVED > UNVERIFIED > POSSIBLE > SAFE > N/A (the spec ranks POSSIBLE and
// UNVERIFIED equal; the unverified one wins here as the more cautious label).
enum class RiskClass : std::uint8_t { NotApplicable, Safe, Possible, Unverified, Observed };
const char* riskClassName(RiskClass risk); // "SAFE", "POSSIBLE", "UNVERIFIED", "OBSERVED", "N/A"
RiskClass worseRisk(RiskClass a, RiskClass b);

// The cheapest bound that proves SAFE: data types (a2)/(a3) < A2Q (b)/(b') < A2Q+ < exact (d).
enum class SafeProof : std::uint8_t { None, DataType, A2Q, A2QPlus, Exact };
const char* safeProofName(SafeProof proof); // "", "data type", "A2Q", "A2Q+", "exact"

struct ChannelRisk {
    RiskClass risk = RiskClass::NotApplicable;
    SafeProof proof = SafeProof::None; // set when SAFE
    bool provenByDataType = false;
    bool provenByA2Q = false;
    bool provenByA2QPlus = false;
    int headroomBits = 0; // POSSIBLE: P - P_obs (running sums in saturate mode when observed)
};

struct LayerRisk {
    RiskClass risk = RiskClass::NotApplicable;
    SafeProof proof = SafeProof::None; // by the layer-wide bounds, set when SAFE
    std::vector<ChannelRisk> channels;
};

// Classifies every channel of an analysed layer in `reg` (§3.2, §3.4). In saturate mode, bounds are
// checked on running sums: the exact / (a3) envelopes, and A2Q+ only when the input range holds 0.
// With `observed` (same register and mode, one entry per channel) OBSERVED / POSSIBLE become possible;
// without it an unsafe channel is UNVERIFIED. A layer without weights is classified as one channel
// by its data-type range unless the observer has channels of its own. A layer without an integer
// accumulator (float input, non-integer zero point) is simply LayerRisk{}, i.e. N/A.
LayerRisk classifyLayer(const LayerAccumulator& layer, const AccRegister& reg, OverflowMode mode,
    const OverflowObserver* observed = nullptr);

} // namespace qs
