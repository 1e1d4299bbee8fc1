#pragma once
// Minimal-change projection of one output channel's integer weights onto a ChannelBudget.
//
// Method: among all integer weight vectors w' within the budget, return one that minimizes the
// squared error sum (w - w')^2. This is the integer form of the Euclidean projection onto an L1 ball
// (soft thresholding, Duchi et al. 2008) and the reason for choosing it: it is exactly optimal for the
// weight error we report, it needs no float arithmetic, and it never moves a code away from zero or
// across it, so the codes stay within the quantizer's integer range and the scale stays as it is.
//
// Why it is exact: every budget row is monotone in S+ and S-, so an optimum only shrinks magnitudes.
// Shrinking one sign's magnitudes by a total of D units costs at least f(D), the sum of the D smallest
// marginal costs 1, 3, 5, ... (taking a magnitude from d to d + 1 costs 2d + 1), and the greedy
// "shrink every magnitude evenly" reaches f(D). The two signs interact only through the budget, so
// trying every useful split (D+, D-) — with the smallest admissible D- for each D+ — is exhaustive.
//
// A2Q's own recipe (scale the float weights down and round toward zero) also lands inside the budget,
// but never with a smaller error, and truncation often zeroes small weights it did not need to: to take
// 1 unit off [8, 1] it gives [7, 0] (error 2), this gives [7, 1] (error 1). For channel 1 of the
// spec's example 1 at P = 9 both give [-7, -7, 0, 1].
#include "core/projection/channelbudget.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace qs {

struct ChannelProjection {
    std::vector<std::int64_t> weights; // w', same order as the input
    Int128 reducedPos = 0; // D+: how much S+ shrank
    Int128 reducedNeg = 0; // D-: how much S- shrank
    Int128 squaredError = 0; // sum (w - w')^2
};

// nullopt when not even all-zero weights fit (the bias alone overflows). Throws Error when the channel
// would need more than 2^26 unit steps of one sign (the exact search would be too large).
std::optional<ChannelProjection> projectChannel(
    std::span<const std::int64_t> weights, const ChannelBudget& budget);

// The even shrink of one sign: magnitudes (>= 0) reduced by `reduction` units in total at the least
// squared error; ties go to the larger magnitude, then to the lower index. reduction <= sum.
std::vector<std::int64_t> shrinkMagnitudes(std::span<const std::int64_t> magnitudes, Int128 reduction);

} // namespace qs
