#include "core/projection/channelbudget.h"

#include "core/util/error.h"

#include <algorithm>

namespace qs {

const char* fitMethodName(FitMethod method)
{
    switch (method) {
    case FitMethod::A2Q:
        return "a2q";
    case FitMethod::A2QPlus:
        return "a2q-plus";
    case FitMethod::Exact:
        return "exact";
    }
    return "?";
}

std::optional<FitMethod> parseFitMethod(std::string_view name)
{
    for (FitMethod m : {FitMethod::A2Q, FitMethod::A2QPlus, FitMethod::Exact})
        if (name == fitMethodName(m))
            return m;
    return std::nullopt;
}

bool ChannelBudget::satisfiedBy(Int128 sumPos, Int128 sumNeg) const
{
    return std::all_of(rows.begin(), rows.end(),
        [&](const BudgetRow& r) { return r.cp * sumPos + r.cn * sumNeg <= r.limit; });
}

bool ChannelBudget::feasible() const
{
    return std::all_of(rows.begin(), rows.end(), [](const BudgetRow& r) { return r.limit >= 0; });
}

ChannelBudget channelBudget(FitMethod method, const OperandRange& input, std::int64_t bias, int accBits)
{
    if (accBits < 2 || accBits > 64)
        throw Error("accumulator width must be 2..64 bits, not " + std::to_string(accBits));
    const Int128 accMax = pow2(accBits - 1) - 1;
    const Int128 accMin = -pow2(accBits - 1);
    const Int128 beta = bias;
    const Int128 betaAbs = beta < 0 ? -beta : beta;
    const bool holdsZero = input.lo <= 0 && input.hi >= 0;
    ChannelBudget budget;
    switch (method) {
    case FitMethod::A2Q: {
        const Int128 m = std::max(a2qMagnitude(input), maxAbs(input));
        budget.rows.push_back({m, m, accMax - betaAbs});
        break;
    }
    case FitMethod::A2QPlus: {
        if (!holdsZero)
            throw Error("a2q-plus needs an input range that holds 0");
        const Int128 width = rangeWidth(input);
        budget.rows.push_back({width, 0, accMax - betaAbs});
        budget.rows.push_back({0, width, accMax - betaAbs});
        break;
    }
    case FitMethod::Exact: {
        if (!holdsZero)
            throw Error("exact fitting needs an input range that holds 0");
        const Int128 a = input.lo, b = input.hi;
        budget.rows.push_back({b, -a, accMax - beta}); // hi = S+ b - S- a + beta
        budget.rows.push_back({-a, b, beta - accMin}); // -lo = S+ (-a) + S- b - beta
        break;
    }
    }
    return budget;
}

int methodBits(const AccumulatorBounds& bounds, FitMethod method)
{
    switch (method) {
    case FitMethod::A2Q:
        return bounds.a2qValid ? bounds.a2qBits : bounds.a2qTrueMaxBits;
    case FitMethod::A2QPlus:
        return bounds.a2qPlusGenBits;
    case FitMethod::Exact:
        return bounds.exactBits;
    }
    return 0;
}

} // namespace qs
