#include "core/numerics/advice.h"

#include "core/util/error.h"

#include <algorithm>
#include <string>

namespace qs {

namespace {

OperandRange withBits(const OperandRange& r, int bits)
{
    // Bipolar is modelled as a plain signed integer of the requested width.
    return intOperand(bits, r.isSigned || r.bipolar, r.narrow);
}

void checkOptions(const AdviceOptions& options)
{
    if (options.maxBits < 1 || options.maxBits > 63)
        throw Error("bit-width advice: maxBits " + std::to_string(options.maxBits) + " outside 1..63");
}

} // namespace

bool dataTypeFits(const OperandRange& x, const OperandRange& w, std::int64_t k, int accBits, int inputBits,
    int weightBits, const AdviceOptions& options)
{
    const DataTypeBounds d
        = dataTypeBounds(withBits(x, inputBits), withBits(w, weightBits), k, options.biasLo, options.biasHi);
    switch (options.rule) {
    case DataTypeRule::Classic:
        return d.classicBits + (d.classicUnsigned ? 1 : 0) <= accBits;
    case DataTypeRule::A2Q:
        return d.a2qBits <= accBits;
    case DataTypeRule::Exact:
        return d.exactBits <= accBits;
    }
    return false;
}

BitWidthAdvice adviseBitWidths(
    const OperandRange& x, const OperandRange& w, std::int64_t k, int accBits, const AdviceOptions& options)
{
    checkOptions(options);
    const int maxBits = options.maxBits;
    BitWidthAdvice advice;
    advice.accBits = accBits;
    // largestM[n] = largest fitting M for N = n (0: none). No monotonicity is assumed here.
    std::vector<int> largestM(static_cast<std::size_t>(maxBits) + 2, 0);
    for (int n = 1; n <= maxBits; ++n) {
        for (int m = maxBits; m >= 1; --m) {
            if (dataTypeFits(x, w, k, accBits, n, m, options)) {
                largestM[static_cast<std::size_t>(n)] = m;
                break;
            }
        }
    }
    // (N, largestM[N]) is Pareto-optimal when no larger N reaches the same M.
    int bestToTheRight = 0;
    for (int n = maxBits; n >= 1; --n) {
        const int m = largestM[static_cast<std::size_t>(n)];
        if (m > bestToTheRight) {
            advice.pareto.push_back({n, m});
            bestToTheRight = m;
        }
    }
    std::reverse(advice.pareto.begin(), advice.pareto.end());

    if (x.bits >= 1 && x.bits <= maxBits)
        advice.maxWeightBitsForInput = largestM[static_cast<std::size_t>(x.bits)];
    for (int n = maxBits; n >= 1 && w.bits >= 1 && w.bits <= maxBits; --n) {
        if (dataTypeFits(x, w, k, accBits, n, w.bits, options)) {
            advice.maxInputBitsForWeight = n;
            break;
        }
    }
    return advice;
}

L1Advice adviseL1Norms(const LayerAccumulator& layer, int accBits)
{
    if (!layer.hasWeights)
        throw Error("weight-norm advice needs the layer's integer weights");
    const OperandRange& x = layer.x;
    L1Advice advice;
    advice.accBits = accBits;
    advice.a2qBudget = l1BudgetA2Q(accBits, x.bits, x.isSigned);
    advice.a2qPlusBudget = l1BudgetA2QPlus(accBits, x.bits);
    for (const ChannelAccumulator& ch : layer.channels) {
        ChannelL1Advice c;
        const Int128 biasAbs = absValue(ch.bias);
        c.l1 = ch.stats.l1;
        c.a2qBudget = l1BudgetA2Q(accBits, x.bits, x.isSigned, biasAbs);
        c.a2qFits = ch.bounds.a2qValid && c.l1 <= c.a2qBudget;
        c.a2qPlusBudget = l1BudgetA2QPlus(accBits, x.bits, biasAbs);
        c.a2qPlusFits = ch.bounds.a2qPlusPubValid && c.l1 <= c.a2qPlusBudget;
        c.a2qPlusGenFits = ch.bounds.a2qPlusGenValid && ch.bounds.a2qPlusGenBits <= accBits;
        advice.a2qFailingChannels += c.a2qFits ? 0 : 1;
        advice.a2qPlusFailingChannels += c.a2qPlusFits ? 0 : 1;
        advice.channels.push_back(c);
    }
    return advice;
}

} // namespace qs
