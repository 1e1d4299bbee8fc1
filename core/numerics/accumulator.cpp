#include "core/numerics/accumulator.h"

#include "core/util/error.h"

#include <algorithm>
#include <limits>
#include <string>

namespace qs {

namespace {

std::int64_t toInt64(Int128 v, const char* what)
{
    if (v < std::numeric_limits<std::int64_t>::min() || v > std::numeric_limits<std::int64_t>::max())
        throw Error(std::string(what) + " " + toString(v) + " does not fit in 64 bits");
    return static_cast<std::int64_t>(v);
}

// floor(num / den) for den > 0, or -1 when num < 0: no norm at all fits then.
Int128 budget(Int128 num, Int128 den)
{
    return num < 0 ? -1 : num / den;
}

void checkAccBits(int accBits)
{
    if (accBits < 1 || accBits > 126)
        throw Error("accumulator width " + std::to_string(accBits) + " outside 1..126 bits");
}

// The data-type part of the tightest-guarantee minimum, shared by channels and weight-less layers.
int dataTypeBest(const DataTypeBounds& dt)
{
    return dt.a2qValid ? std::min(dt.a2qBits, dt.exactBits) : dt.exactBits;
}

void combineInto(AccumulatorBounds& layer, const AccumulatorBounds& ch, bool first)
{
    if (first) {
        const DataTypeBounds dataType = layer.dataType;
        layer = ch;
        layer.dataType = dataType;
        return;
    }
    layer.exactLo = std::min(layer.exactLo, ch.exactLo);
    layer.exactHi = std::max(layer.exactHi, ch.exactHi);
    layer.exactBits = bitsSigned(layer.exactLo, layer.exactHi);
    layer.partialLo = std::min(layer.partialLo, ch.partialLo);
    layer.partialHi = std::max(layer.partialHi, ch.partialHi);
    layer.a2qMagnitude = std::max(layer.a2qMagnitude, ch.a2qMagnitude);
    layer.a2qBits = std::max(layer.a2qBits, ch.a2qBits);
    layer.a2qValid = layer.a2qValid && ch.a2qValid;
    layer.a2qTrueMaxMagnitude = std::max(layer.a2qTrueMaxMagnitude, ch.a2qTrueMaxMagnitude);
    layer.a2qTrueMaxBits = std::max(layer.a2qTrueMaxBits, ch.a2qTrueMaxBits);
    layer.a2qPlusPubBits = std::max(layer.a2qPlusPubBits, ch.a2qPlusPubBits);
    layer.zeroSum = layer.zeroSum && ch.zeroSum;
    layer.a2qPlusPubValid = layer.a2qPlusPubValid && ch.a2qPlusPubValid;
    layer.a2qPlusGenMagnitude = std::max(layer.a2qPlusGenMagnitude, ch.a2qPlusGenMagnitude);
    layer.a2qPlusGenBits = std::max(layer.a2qPlusGenBits, ch.a2qPlusGenBits);
    layer.a2qPlusGenValid = layer.a2qPlusGenValid && ch.a2qPlusGenValid;
    // Each channel is covered by its own best bound, so the layer is covered by the widest of them.
    layer.bestBoundBits = std::max(layer.bestBoundBits, ch.bestBoundBits);
}

} // namespace

OperandRange intOperand(int bits, bool isSigned, bool narrow, std::int64_t zeroPoint)
{
    if (bits < 1 || bits > (isSigned ? 64 : 63))
        throw Error("operand bit width " + std::to_string(bits) + " outside 1.." + (isSigned ? "64" : "63")
            + " for a" + (isSigned ? " signed" : "n unsigned") + " integer");
    Int128 qMin = 0;
    Int128 qMax = 0;
    if (isSigned) {
        qMin = -pow2(bits - 1) + (narrow ? 1 : 0);
        qMax = pow2(bits - 1) - 1;
    } else {
        qMax = pow2(bits) - (narrow ? 2 : 1);
    }
    OperandRange r;
    r.lo = toInt64(qMin - zeroPoint, "operand lower bound");
    r.hi = toInt64(qMax - zeroPoint, "operand upper bound");
    r.bits = bits;
    r.isSigned = isSigned;
    r.narrow = narrow;
    return r;
}

OperandRange bipolarOperand()
{
    return OperandRange {-1, 1, 1, true, false, true};
}

OperandRange binaryOperand()
{
    return intOperand(1, false);
}

OperandRange ternaryOperand()
{
    return intOperand(2, true, true);
}

OperandRange customOperand(std::int64_t lo, std::int64_t hi, int bits, bool isSigned)
{
    if (lo > hi)
        throw Error("operand range [" + std::to_string(lo) + ", " + std::to_string(hi) + "] is empty");
    if (bits < 1 || bits > 64)
        throw Error("operand bit width " + std::to_string(bits) + " outside 1..64");
    return OperandRange {lo, hi, bits, isSigned, false, false};
}

Int128 maxAbs(const OperandRange& r)
{
    return std::max(absValue(r.lo), absValue(r.hi));
}

Int128 rangeWidth(const OperandRange& r)
{
    return static_cast<Int128>(r.hi) - r.lo;
}

Int128 a2qMagnitude(const OperandRange& r)
{
    return pow2(r.bits - (r.isSigned ? 1 : 0));
}

WeightStats weightStats(std::span<const std::int64_t> weights)
{
    WeightStats s;
    for (const std::int64_t v : weights) {
        if (v > 0)
            s.sumPos = checkedAdd(s.sumPos, v);
        else
            s.sumNeg = checkedSub(s.sumNeg, v);
        if (v != 0)
            ++s.nonZero;
    }
    s.count = static_cast<std::int64_t>(weights.size());
    s.l1 = checkedAdd(s.sumPos, s.sumNeg);
    s.sum = s.sumPos - s.sumNeg;
    return s;
}

DataTypeBounds dataTypeBounds(
    const OperandRange& x, const OperandRange& w, std::int64_t k, std::int64_t biasLo, std::int64_t biasHi)
{
    if (k < 1)
        throw Error("dot product length K = " + std::to_string(k) + " must be at least 1");
    if (biasLo > biasHi)
        throw Error("bias interval is empty");
    DataTypeBounds d;
    d.k = k;
    d.classicBits = x.bits + w.bits + ceilLog2(k);
    d.classicUnsigned = !x.isSigned && !w.isSigned;

    const Int128 biasAbs = std::max(absValue(biasLo), absValue(biasHi));
    const Int128 xPow = a2qMagnitude(x);
    const Int128 wPow = a2qMagnitude(w);
    d.a2qMagnitude = checkedAdd(checkedMul(k, checkedMul(xPow, wPow)), biasAbs);
    d.a2qBits = minPSym(d.a2qMagnitude);
    d.a2qValid = maxAbs(x) <= xPow && maxAbs(w) <= wPow;

    // int64 x int64 is exact in 128 bits.
    const Int128 corners[] = {static_cast<Int128>(x.lo) * w.lo, static_cast<Int128>(x.lo) * w.hi,
        static_cast<Int128>(x.hi) * w.lo, static_cast<Int128>(x.hi) * w.hi};
    d.termLo = *std::min_element(std::begin(corners), std::end(corners));
    d.termHi = *std::max_element(std::begin(corners), std::end(corners));
    const Int128 sumLo = checkedMul(k, d.termLo);
    const Int128 sumHi = checkedMul(k, d.termHi);
    d.exactLo = checkedAdd(sumLo, biasLo);
    d.exactHi = checkedAdd(sumHi, biasHi);
    d.exactBits = bitsSigned(d.exactLo, d.exactHi);
    // A running sum of j <= K terms lies in [j termLo, j termHi]; j = 0 is the bias alone.
    d.partialLo = checkedAdd(std::min<Int128>(0, sumLo), biasLo);
    d.partialHi = checkedAdd(std::max<Int128>(0, sumHi), biasHi);
    return d;
}

ChannelAccumulator analyzeChannel(
    const OperandRange& x, const OperandRange& w, std::span<const std::int64_t> weights, std::int64_t bias)
{
    for (const std::int64_t v : weights) {
        if (v < w.lo || v > w.hi)
            throw Error("weight " + std::to_string(v) + " outside the weight data type range ["
                + std::to_string(w.lo) + ", " + std::to_string(w.hi) + "]");
    }
    ChannelAccumulator ch;
    ch.stats = weightStats(weights);
    ch.bias = bias;
    AccumulatorBounds& b = ch.bounds;
    b.dataType = dataTypeBounds(x, w, static_cast<std::int64_t>(weights.size()), bias, bias);

    const WeightStats& s = ch.stats;
    const Int128 biasAbs = absValue(bias);
    const Int128 a = x.lo;
    const Int128 bx = x.hi;
    // (d): each x_i independently at the end of [a, b] that maximizes / minimizes its term.
    b.exactHi = checkedAdd(checkedSub(checkedMul(s.sumPos, bx), checkedMul(s.sumNeg, a)), bias);
    b.exactLo = checkedAdd(checkedSub(checkedMul(s.sumPos, a), checkedMul(s.sumNeg, bx)), bias);
    b.exactBits = bitsSigned(b.exactLo, b.exactHi);
    const Int128 aNeg = std::min<Int128>(a, 0);
    const Int128 bPos = std::max<Int128>(bx, 0);
    b.partialHi = checkedAdd(checkedSub(checkedMul(s.sumPos, bPos), checkedMul(s.sumNeg, aNeg)), bias);
    b.partialLo = checkedAdd(checkedSub(checkedMul(s.sumPos, aNeg), checkedMul(s.sumNeg, bPos)), bias);

    b.a2qMagnitude = checkedAdd(checkedMul(s.l1, a2qMagnitude(x)), biasAbs);
    b.a2qBits = minPSym(b.a2qMagnitude);
    b.a2qValid = maxAbs(x) <= a2qMagnitude(x);
    b.a2qTrueMaxMagnitude = checkedAdd(checkedMul(s.l1, maxAbs(x)), biasAbs);
    b.a2qTrueMaxBits = minPSym(b.a2qTrueMaxMagnitude);

    const Int128 pubWidth = pow2(x.bits) - 1;
    const Int128 pubValue = checkedAdd(checkedMul(s.l1, pubWidth), checkedAdd(checkedMul(2, biasAbs), 1));
    b.a2qPlusPubBits = bitLength(static_cast<UInt128>(pubValue));
    b.zeroSum = s.sum == 0;
    b.a2qPlusPubValid = b.zeroSum && rangeWidth(x) <= pubWidth;
    b.a2qPlusGenMagnitude = checkedAdd(checkedMul(std::max(s.sumPos, s.sumNeg), rangeWidth(x)), biasAbs);
    b.a2qPlusGenBits = minPSym(b.a2qPlusGenMagnitude);
    b.a2qPlusGenValid = (x.lo <= 0 && x.hi >= 0) || b.zeroSum;

    int best = std::min(dataTypeBest(b.dataType), b.a2qTrueMaxBits);
    if (b.a2qValid)
        best = std::min(best, b.a2qBits);
    if (b.a2qPlusPubValid)
        best = std::min(best, b.a2qPlusPubBits);
    if (b.a2qPlusGenValid)
        best = std::min(best, b.a2qPlusGenBits);
    b.bestBoundBits = best;
    return ch;
}

LayerAccumulator analyzeLayer(const OperandRange& x, const OperandRange& w, std::int64_t k,
    std::span<const std::int64_t> weights, std::span<const std::int64_t> bias)
{
    if (k < 1)
        throw Error("dot product length K = " + std::to_string(k) + " must be at least 1");
    LayerAccumulator out;
    out.x = x;
    out.w = w;
    out.k = k;
    out.hasWeights = !weights.empty();
    const std::int64_t biasLo = bias.empty() ? 0 : *std::min_element(bias.begin(), bias.end());
    const std::int64_t biasHi = bias.empty() ? 0 : *std::max_element(bias.begin(), bias.end());
    out.layer.dataType = dataTypeBounds(x, w, k, biasLo, biasHi);

    if (!out.hasWeights) {
        const DataTypeBounds& dt = out.layer.dataType;
        out.layer.exactLo = dt.exactLo;
        out.layer.exactHi = dt.exactHi;
        out.layer.exactBits = dt.exactBits;
        out.layer.partialLo = dt.partialLo;
        out.layer.partialHi = dt.partialHi;
        out.layer.bestBoundBits = dataTypeBest(dt);
        return out;
    }
    const auto kSize = static_cast<std::size_t>(k);
    if (weights.size() % kSize != 0)
        throw Error("weight count " + std::to_string(weights.size())
            + " is not a multiple of K = " + std::to_string(k));
    const std::size_t channels = weights.size() / kSize;
    if (!bias.empty() && bias.size() != channels)
        throw Error("got " + std::to_string(bias.size()) + " bias values for " + std::to_string(channels)
            + " output channels");
    out.channels.reserve(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        out.channels.push_back(
            analyzeChannel(x, w, weights.subspan(c * kSize, kSize), bias.empty() ? 0 : bias[c]));
        combineInto(out.layer, out.channels.back().bounds, c == 0);
        out.maxL1 = std::max(out.maxL1, out.channels.back().stats.l1);
    }
    return out;
}

LayerAccumulator analyzeLayer(const OperandRange& x, const OperandRange& w,
    const std::vector<std::vector<std::int64_t>>& weights, std::span<const std::int64_t> bias)
{
    if (weights.empty())
        throw Error("analyzeLayer: no weight channels given (pass K and empty weights for data types only)");
    const std::size_t k = weights.front().size();
    std::vector<std::int64_t> flat;
    flat.reserve(k * weights.size());
    for (const auto& channel : weights) {
        if (channel.size() != k)
            throw Error("weight channels have different lengths (" + std::to_string(k) + " and "
                + std::to_string(channel.size()) + ")");
        flat.insert(flat.end(), channel.begin(), channel.end());
    }
    return analyzeLayer(x, w, static_cast<std::int64_t>(k), flat, bias);
}

Int128 l1BudgetA2Q(int accBits, int inputBits, bool inputSigned, Int128 biasAbs)
{
    checkAccBits(accBits);
    if (biasAbs < 0)
        throw Error("bias magnitude must not be negative");
    const Int128 den = pow2(inputBits - (inputSigned ? 1 : 0));
    return budget(checkedSub(pow2(accBits - 1) - 1, biasAbs), den);
}

Int128 l1BudgetA2QPlus(int accBits, int inputBits, Int128 biasAbs)
{
    checkAccBits(accBits);
    if (biasAbs < 0)
        throw Error("bias magnitude must not be negative");
    if (inputBits < 1)
        throw Error("input bit width must be at least 1");
    const Int128 den = pow2(inputBits) - 1;
    return budget(checkedSub(pow2(accBits) - 2, checkedMul(2, biasAbs)), den);
}

} // namespace qs
