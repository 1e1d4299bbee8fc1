#pragma once
// What a target accumulator width P demands of one output channel's integer weights, for each
// weight-based bound of accumulator-and-bops.md §2:
//   a2q       (2.b)  L1 * m + |beta| <= 2^(P-1) - 1, m = 2^(N - s_x) (or max|x| when that is larger,
//                    e.g. a zero point on the input: variant b')
//   a2q-plus  (2.c)  max(S+, S-) * (b - a) + |beta| <= 2^(P-1) - 1   (generalized form, a <= 0 <= b)
//   exact     (2.d)  S+ b - S- a + beta <= 2^(P-1) - 1  and  S+ a - S- b + beta >= -2^(P-1)
// Each is a set of linear constraints cp * S+ + cn * S- <= limit with cp, cn >= 0, so shrinking any
// weight toward zero can only help; that monotonicity is what the projection relies on.
#include "core/numerics/accumulator.h"

#include <optional>
#include <string_view>
#include <vector>

namespace qs {

enum class FitMethod { A2Q, A2QPlus, Exact };
const char* fitMethodName(FitMethod method); // "a2q", "a2q-plus", "exact"
std::optional<FitMethod> parseFitMethod(std::string_view name);

struct BudgetRow {
    Int128 cp = 0; // coefficient of S+
    Int128 cn = 0; // coefficient of S-
    Int128 limit = 0;
};

struct ChannelBudget {
    std::vector<BudgetRow> rows; // every row must hold

    bool satisfiedBy(Int128 sumPos, Int128 sumNeg) const;
    // All-zero weights fit (no limit is negative): false when the bias alone overflows the register.
    bool feasible() const;
};

// Throws Error when the method does not apply to the input range: a2q-plus and exact need a <= 0 <= b
// (otherwise a smaller weight can widen the range), and accBits must be 2..64.
ChannelBudget channelBudget(FitMethod method, const OperandRange& input, std::int64_t bias, int accBits);

// The accumulator width the method's bound gives for an analysed channel or layer (bias included
// when `bounds` came with it).
int methodBits(const AccumulatorBounds& bounds, FitMethod method);

} // namespace qs
