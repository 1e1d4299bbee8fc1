#include "core/projection/integerprojection.h"

#include "core/util/error.h"

#include <algorithm>
#include <numeric>

namespace qs {
namespace {

constexpr Int128 maxSteps = Int128(1) << 26;

Int128 ceilDiv(Int128 a, Int128 b)
{
    return a <= 0 ? 0 : (a + b - 1) / b;
} // a >= 0 in use, b > 0

// f(D) for D = 0..count: the least squared error of shrinking `magnitudes` by D units in total.
std::vector<std::int64_t> shrinkCosts(std::vector<std::int64_t> magnitudes, std::int64_t count)
{
    std::sort(magnitudes.begin(), magnitudes.end());
    std::vector<std::int64_t> cost {0};
    cost.reserve(static_cast<std::size_t>(count) + 1);
    std::size_t below = 0; // magnitudes <= level
    for (std::int64_t level = 0; static_cast<std::int64_t>(cost.size()) <= count; ++level) {
        while (below < magnitudes.size() && magnitudes[below] <= level)
            ++below;
        const std::size_t above = magnitudes.size() - below; // each can still lose a unit at 2 level + 1
        if (above == 0)
            break; // everything is zero already (count never exceeds the sum in use)
        for (std::size_t j = 0; j < above && static_cast<std::int64_t>(cost.size()) <= count; ++j)
            cost.push_back(cost.back() + 2 * level + 1);
    }
    return cost;
}

struct SignParts {
    std::vector<std::size_t> index;
    std::vector<std::int64_t> magnitude;
    Int128 sum = 0;
};

} // namespace

std::vector<std::int64_t> shrinkMagnitudes(std::span<const std::int64_t> magnitudes, Int128 reduction)
{
    const Int128 total = std::accumulate(magnitudes.begin(), magnitudes.end(), Int128(0));
    if (reduction < 0 || reduction > total)
        throw Error("cannot shrink magnitudes summing to " + toString(total) + " by " + toString(reduction));
    // Largest level with sum min(m, level) <= reduction, by bisection.
    auto reached = [&](std::int64_t level) {
        Int128 s = 0;
        for (std::int64_t m : magnitudes)
            s += std::min(m, level);
        return s;
    };
    std::int64_t lo = 0,
                 hi = magnitudes.empty() ? 0 : *std::max_element(magnitudes.begin(), magnitudes.end());
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo + 1) / 2;
        if (reached(mid) <= reduction)
            lo = mid;
        else
            hi = mid - 1;
    }
    std::vector<std::int64_t> out(magnitudes.size());
    std::vector<std::size_t> extra; // may lose one more unit at the same marginal cost
    for (std::size_t i = 0; i < magnitudes.size(); ++i) {
        out[i] = magnitudes[i] - std::min(magnitudes[i], lo);
        if (magnitudes[i] > lo)
            extra.push_back(i);
    }
    std::stable_sort(extra.begin(), extra.end(),
        [&](std::size_t a, std::size_t b) { return magnitudes[a] > magnitudes[b]; });
    const auto remaining = static_cast<std::size_t>(reduction - reached(lo));
    for (std::size_t j = 0; j < remaining; ++j)
        --out[extra[j]];
    return out;
}

std::optional<ChannelProjection> projectChannel(
    std::span<const std::int64_t> weights, const ChannelBudget& budget)
{
    if (!budget.feasible())
        return std::nullopt;
    SignParts pos, neg;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        SignParts& part = weights[i] > 0 ? pos : neg;
        if (weights[i] == 0)
            continue;
        part.index.push_back(i);
        part.magnitude.push_back(weights[i] > 0 ? weights[i] : -weights[i]);
        part.sum += part.magnitude.back();
    }
    // The least D- that makes every row hold once S+ shrank by dPos; -1 when none does.
    auto needNeg = [&](Int128 dPos) -> Int128 {
        Int128 need = 0;
        for (const BudgetRow& r : budget.rows) {
            const Int128 excess = r.cp * (pos.sum - dPos) + r.cn * neg.sum - r.limit;
            if (excess <= 0)
                continue;
            if (r.cn == 0)
                return -1;
            need = std::max(need, ceilDiv(excess, r.cn));
        }
        return need > neg.sum ? -1 : need;
    };
    // needNeg is non-increasing in dPos and admissible from some point on: bisect both ends of the
    // useful range [first admissible dPos, first dPos where needNeg stops falling].
    auto firstWhere = [&](auto pred) {
        Int128 lo = 0, hi = pos.sum;
        while (lo < hi) {
            const Int128 mid = lo + (hi - lo) / 2;
            if (pred(mid))
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    };
    const Int128 floorNeg = needNeg(pos.sum); // >= 0: all-zero weights fit
    const Int128 first = firstWhere([&](Int128 d) { return needNeg(d) >= 0; });
    const Int128 last = firstWhere([&](Int128 d) {
        const Int128 n = needNeg(d);
        return n >= 0 && n == floorNeg;
    });
    const Int128 negMax = needNeg(first);
    if (last > maxSteps || negMax > maxSteps)
        throw Error("the channel needs more than 2^26 unit steps; choose a larger accumulator width");
    const std::vector<std::int64_t> costPos = shrinkCosts(pos.magnitude, static_cast<std::int64_t>(last));
    const std::vector<std::int64_t> costNeg = shrinkCosts(neg.magnitude, static_cast<std::int64_t>(negMax));

    Int128 bestPos = -1, bestNeg = -1, bestCost = 0;
    for (Int128 dPos = first; dPos <= last; ++dPos) {
        const Int128 dNeg = needNeg(dPos);
        const Int128 cost
            = Int128(costPos[static_cast<std::size_t>(dPos)]) + costNeg[static_cast<std::size_t>(dNeg)];
        if (bestPos < 0 || cost < bestCost || (cost == bestCost && dPos + dNeg < bestPos + bestNeg)) {
            bestPos = dPos;
            bestNeg = dNeg;
            bestCost = cost;
        }
    }
    ChannelProjection out;
    out.weights.assign(weights.begin(), weights.end());
    out.reducedPos = bestPos;
    out.reducedNeg = bestNeg;
    out.squaredError = bestCost;
    const std::vector<std::int64_t> newPos = shrinkMagnitudes(pos.magnitude, bestPos);
    const std::vector<std::int64_t> newNeg = shrinkMagnitudes(neg.magnitude, bestNeg);
    for (std::size_t j = 0; j < pos.index.size(); ++j)
        out.weights[pos.index[j]] = newPos[j];
    for (std::size_t j = 0; j < neg.index.size(); ++j)
        out.weights[neg.index[j]] = -newNeg[j];
    return out;
}

} // namespace qs
