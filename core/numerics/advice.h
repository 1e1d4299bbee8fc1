#pragma once
// Bit-width advice for a target accumulator width P (de Bruin et al.; A2Q, spec §2.a-§2.c): which
// input / weight bit widths (N, M) still guarantee no overflow by a data-type bound, and how large
// each channel's integer weight L1 norm may be by the A2Q / A2Q+ norm bounds. Signed register.
#include "core/numerics/accumulator.h"

#include <cstdint>
#include <vector>

namespace qs {

enum class DataTypeRule : std::uint8_t {
    Classic, // (a1) N + M + ceil(log2 K), +1 when both operands are unsigned
    A2Q, // (a2) minP_sym(K 2^(N - s_x) 2^(M - s_w)), the de Bruin / A2Q budget (default)
    Exact, // (a3) exact corner-product range of the operand types
};

struct AdviceOptions {
    DataTypeRule rule = DataTypeRule::A2Q;
    int maxBits = 32; // search N and M in 1..maxBits (at most 63)
    // Preloaded bias interval over the layer's channels (0, 0: no bias).
    std::int64_t biasLo = 0;
    std::int64_t biasHi = 0;
};

struct BitWidthPair {
    int inputBits = 0; // N
    int weightBits = 0; // M
    friend bool operator==(const BitWidthPair&, const BitWidthPair&) = default;
};

struct BitWidthAdvice {
    int accBits = 0;
    // Pareto set: every fitting (N, M) that no other fitting pair dominates; N ascending, M descending.
    std::vector<BitWidthPair> pareto;
    int maxWeightBitsForInput = 0; // largest M for the layer's current N (0: not even M = 1 fits)
    int maxInputBitsForWeight = 0; // largest N for the layer's current M (0: not even N = 1 fits)
};

// Whether an N-bit input times an M-bit weight over K terms fits a signed accBits register by the
// chosen rule. The operands keep the signedness and narrowness of x / w; zero points are dropped and
// bipolar operands count as signed integers of the requested width.
bool dataTypeFits(const OperandRange& x, const OperandRange& w, std::int64_t k, int accBits, int inputBits,
    int weightBits, const AdviceOptions& options = {});

// x and w describe the layer's current operands (their bits are the "current" N and M).
BitWidthAdvice adviseBitWidths(const OperandRange& x, const OperandRange& w, std::int64_t k, int accBits,
    const AdviceOptions& options = {});

struct ChannelL1Advice {
    Int128 l1 = 0;
    Int128 a2qBudget = 0; // T_A2Q(P) with this channel's bias
    bool a2qFits = false; // L1 <= budget and the A2Q input assumption holds
    Int128 a2qPlusBudget = 0; // T_A2Q+(P) with this channel's bias
    bool a2qPlusFits = false; // L1 <= budget and the published precondition holds (zero-sum weights)
    bool a2qPlusGenFits = false; // the generalized A2Q+ bound max(S+, S-)(b - a) fits instead
};

struct L1Advice {
    int accBits = 0;
    Int128 a2qBudget = 0; // bias-free layer budgets
    Int128 a2qPlusBudget = 0;
    std::vector<ChannelL1Advice> channels;
    std::int64_t a2qFailingChannels = 0;
    std::int64_t a2qPlusFailingChannels = 0;
};

// Largest admissible weight L1 norm per channel at accBits for an analysed layer (needs weights).
L1Advice adviseL1Norms(const LayerAccumulator& layer, int accBits);

} // namespace qs
