#pragma once
// Required accumulator width of one Conv / Gemm / MatMul layer (spec accumulator-and-bops.md §2):
// data-type bounds (a1)-(a3), the A2Q / A2Q+ norm bounds (b), (c) and the exact range of the integer
// weights (d), per output channel and per layer. Pure integer math: plain data in, plain structs out.
//
// Widths assume a signed two's-complement register unless a field says otherwise. Range ends and
// magnitudes are Int128 (see intbits.h); weights, biases and operand ranges are int64.
#include "core/numerics/intbits.h"

#include <cstdint>
#include <span>
#include <vector>

namespace qs {

// The integer operand x - z (or w - z) of a dot product: the interval [lo, hi] of §1.2 plus the data
// type it came from, which the A2Q forms need (they use 2^(bits - isSigned), not lo/hi).
struct OperandRange {
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    int bits = 0;
    bool isSigned = false;
    bool narrow = false;
    bool bipolar = false;
};

// IntQuant / Quant / QCDQ operand: q in [q_min, q_max] of §1.2, shifted by the integer zero point.
// Unsigned narrow ranges end at 2^N - 2 (as qonnx's implementation does); a signed 1-bit operand is
// {-1, 0}. bits: 1..64 signed, 1..63 unsigned. Pass zeroPoint 0 for the raw accumulation model (§1.3).
OperandRange intOperand(int bits, bool isSigned, bool narrow = false, std::int64_t zeroPoint = 0);
OperandRange bipolarOperand(); // {-1, +1}: [-1, 1], 1 bit, signed; b - a = 2
OperandRange binaryOperand(); // FINN BINARY {0, 1}
OperandRange ternaryOperand(); // FINN TERNARY {-1, 0, 1}: 2 bits, signed narrow
// An explicit interval (e.g. QCDQ Clip bounds); throws Error unless lo <= hi.
OperandRange customOperand(std::int64_t lo, std::int64_t hi, int bits, bool isSigned);

Int128 maxAbs(const OperandRange& r); // max(|lo|, |hi|), the true max|x| of variant (b')
Int128 rangeWidth(const OperandRange& r); // hi - lo, the "b - a" of A2Q+
Int128 a2qMagnitude(const OperandRange& r); // 2^(bits - isSigned), A2Q's bound on |x|

// Per-channel weight statistics of §1.1.
struct WeightStats {
    Int128 sumPos = 0; // S+
    Int128 sumNeg = 0; // S-, the absolute value of the sum of the negative weights
    Int128 l1 = 0; // S+ + S-
    Int128 sum = 0; // S+ - S- (Z); zero-centered means 0
    std::int64_t count = 0;
    std::int64_t nonZero = 0;
};
WeightStats weightStats(std::span<const std::int64_t> weights);

// (a1)-(a3): bit widths, signedness and K only (plus the bias interval when it is preloaded).
struct DataTypeBounds {
    std::int64_t k = 0;
    int classicBits = 0; // (a1) N + M + ceil(log2 K); bias not included
    bool classicUnsigned = false; // both operands unsigned: (a1) is an unsigned width (+1 if signed)
    // (a2) K * 2^(N - s_x) * 2^(M - s_w) + max|beta|; for signed weights 2^(M - s_w) = 2^(M-1).
    Int128 a2qMagnitude = 0;
    int a2qBits = 0;
    bool a2qValid = true; // both operands really lie within those powers of two
    Int128 termLo = 0, termHi = 0; // one product x_i * w_i: min / max of the four corner products
    Int128 exactLo = 0, exactHi = 0; // (a3) K * termLo + min beta, K * termHi + max beta
    int exactBits = 0;
    Int128 partialLo = 0, partialHi = 0; // running sums in any order, starting at the bias
};
DataTypeBounds dataTypeBounds(const OperandRange& x, const OperandRange& w, std::int64_t k,
    std::int64_t biasLo = 0, std::int64_t biasHi = 0);

// Every method of §2 for one channel (or, combined, for a layer). Invalid bounds keep their numbers
// but must not be used as guarantees; the *Valid flags say why.
struct AccumulatorBounds {
    DataTypeBounds dataType;
    // (d) exact range of the final sum over the input box [a, b]^K, bias included
    Int128 exactLo = 0, exactHi = 0;
    int exactBits = 0;
    // running sums of any subset in any order, from the bias (= (d) when a <= 0 <= b, §2.d)
    Int128 partialLo = 0, partialHi = 0;
    // (b) A2Q: L * 2^(N - s_x) + |beta|; valid when max|x| <= 2^(N - s_x) (not for some zero points)
    Int128 a2qMagnitude = 0;
    int a2qBits = 0;
    bool a2qValid = false;
    // (b') L * max|x| + |beta|: always valid, never looser than (b)
    Int128 a2qTrueMaxMagnitude = 0;
    int a2qTrueMaxBits = 0;
    // A2Q+ published: bitLength(L (2^N - 1) + 2|beta| + 1) = ceil(log2(L (2^N - 1) + 2)) without bias
    int a2qPlusPubBits = 0;
    bool zeroSum = false; // its precondition Z = 0
    bool a2qPlusPubValid = false; // zeroSum and b - a <= 2^N - 1 (fails for bipolar inputs)
    // A2Q+ generalized: max(S+, S-) * (b - a) + |beta|; valid when a <= 0 <= b or Z = 0
    Int128 a2qPlusGenMagnitude = 0;
    int a2qPlusGenBits = 0;
    bool a2qPlusGenValid = false;
    // Tightest valid guarantee short of (d): min of (a2), (a3), (b), (b'), A2Q+ pub/gen when valid.
    int bestBoundBits = 0;
};

struct ChannelAccumulator {
    WeightStats stats;
    std::int64_t bias = 0; // preloaded integer bias beta_c (0 when there is none)
    AccumulatorBounds bounds;
};

struct LayerAccumulator {
    OperandRange x;
    OperandRange w;
    std::int64_t k = 0;
    bool hasWeights = false; // false: data types only (runtime weights, dynamic x dynamic MatMul)
    std::vector<ChannelAccumulator> channels;
    // Layer = max over channels of widths and magnitudes, union of ranges, AND of validity flags.
    // Without weights, (d) and the running-sum envelope fall back to (a3) and the norm bounds are invalid.
    AccumulatorBounds layer;
    Int128 maxL1 = 0; // L = max_c L_c
};

// One channel: weights of length K in dot-product order. Weights must lie in [w.lo, w.hi]
// (map FINN XNOR {0, 1} weights to 2w - 1 first); throws Error otherwise.
ChannelAccumulator analyzeChannel(const OperandRange& x, const OperandRange& w,
    std::span<const std::int64_t> weights, std::int64_t bias = 0);

// A layer from channel-major weights [channels][k] (empty: data types only). bias is empty or holds
// one preloaded integer bias per channel; without weights it only sets the bias interval of (a3).
LayerAccumulator analyzeLayer(const OperandRange& x, const OperandRange& w, std::int64_t k,
    std::span<const std::int64_t> weights, std::span<const std::int64_t> bias = {});
LayerAccumulator analyzeLayer(const OperandRange& x, const OperandRange& w,
    const std::vector<std::vector<std::int64_t>>& weights, std::span<const std::int64_t> bias = {});

// Inverse budgets at accumulator width P (§2.b, §2.c, integer floor): the largest admissible L1
// norm of a channel; -1 when not even an all-zero channel fits (the bias alone is too large).
// T_A2Q(P)  = floor((2^(P-1) - 1 - |beta|) / 2^(N - s_x))
// T_A2Q+(P) = floor((2^P - 2 - 2|beta|) / (2^N - 1))    (zero-centered weights only)
Int128 l1BudgetA2Q(int accBits, int inputBits, bool inputSigned, Int128 biasAbs = 0);
Int128 l1BudgetA2QPlus(int accBits, int inputBits, Int128 biasAbs = 0);

} // namespace qs
