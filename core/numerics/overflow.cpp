#include "core/numerics/overflow.h"

#include "core/util/error.h"

#include <algorithm>
#include <limits>
#include <string>

namespace qs {

namespace {

void checkRegister(const AccRegister& reg)
{
    if (reg.bits < 1 || reg.bits > 126)
        throw Error("accumulator register width " + std::to_string(reg.bits) + " outside 1..126 bits");
}

bool signFlipped(Int128 sim, Int128 exact)
{
    return (sim > 0 && exact < 0) || (sim < 0 && exact > 0);
}

void addError(ErrorStats& e, Int128 sim, Int128 exact)
{
    const Int128 err = absValue(checkedSub(sim, exact));
    e.maxAbs = std::max(e.maxAbs, err);
    e.sumAbs = checkedAdd(e.sumAbs, err);
    e.signFlips += signFlipped(sim, exact) ? 1 : 0;
}

void mergeError(ErrorStats& into, const ErrorStats& from)
{
    into.maxAbs = std::max(into.maxAbs, from.maxAbs);
    into.sumAbs = checkedAdd(into.sumAbs, from.sumAbs);
    into.signFlips += from.signFlips;
}

// Extends [lo, hi] by [vLo, vHi]; `empty` says [lo, hi] holds nothing yet.
void extend(Int128& lo, Int128& hi, bool empty, Int128 vLo, Int128 vHi)
{
    lo = empty ? vLo : std::min(lo, vLo);
    hi = empty ? vHi : std::max(hi, vHi);
}

} // namespace

Int128 AccRegister::min() const
{
    checkRegister(*this);
    return isSigned ? -pow2(bits - 1) : 0;
}

Int128 AccRegister::max() const
{
    checkRegister(*this);
    return isSigned ? pow2(bits - 1) - 1 : pow2(bits) - 1;
}

Int128 wrap(Int128 v, const AccRegister& reg)
{
    checkRegister(reg);
    // Two's complement: the low P bits are v mod 2^P; sign-extend them for a signed register.
    const UInt128 modulus = static_cast<UInt128>(1) << reg.bits;
    const UInt128 low = static_cast<UInt128>(v) & (modulus - 1);
    if (reg.isSigned && low >= (modulus >> 1))
        return static_cast<Int128>(low) - static_cast<Int128>(modulus);
    return static_cast<Int128>(low);
}

Int128 sat(Int128 v, const AccRegister& reg)
{
    return std::clamp(v, reg.min(), reg.max());
}

Int128 wrap(Int128 v, int accBits, bool isSigned)
{
    return wrap(v, AccRegister {accBits, isSigned});
}

Int128 sat(Int128 v, int accBits, bool isSigned)
{
    return sat(v, AccRegister {accBits, isSigned});
}

int registerBitsFor(Int128 lo, Int128 hi, bool isSigned)
{
    if (!isSigned && lo >= 0)
        return bitsUnsigned(std::max<Int128>(hi, 0));
    return bitsSigned(lo, hi);
}

std::vector<std::int64_t> termProducts(std::span<const std::int64_t> x, std::span<const std::int64_t> w)
{
    if (x.size() != w.size())
        throw Error("dot product operands differ in length (" + std::to_string(x.size()) + " and "
            + std::to_string(w.size()) + ")");
    std::vector<std::int64_t> products(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (__builtin_mul_overflow(x[i], w[i], &products[i]))
            throw Error("product " + std::to_string(x[i]) + " * " + std::to_string(w[i]) + " exceeds int64");
    }
    return products;
}

AccumulationTrace simulateAccumulation(
    std::span<const std::int64_t> products, const AccRegister& reg, std::int64_t initial)
{
    AccumulationTrace t;
    t.exact = initial;
    t.partialLo = initial;
    t.partialHi = initial;
    Int128 satReg = sat(initial, reg);
    for (const std::int64_t p : products) {
        t.exact = checkedAdd(t.exact, p);
        t.partialLo = std::min(t.partialLo, t.exact);
        t.partialHi = std::max(t.partialHi, t.exact);
        satReg = sat(satReg + p, reg); // |satReg| < 2^126 and |p| < 2^63: no overflow
    }
    t.wrapped = wrap(t.exact, reg);
    t.saturated = satReg;
    t.wrapOverflow = !reg.contains(t.exact);
    t.saturateOverflow = !reg.contains(t.partialLo) || !reg.contains(t.partialHi);
    return t;
}

std::vector<Int128> registerSteps(
    std::span<const std::int64_t> products, const AccRegister& reg, OverflowMode mode, std::int64_t initial)
{
    const bool wrapping = mode == OverflowMode::Wrap;
    Int128 r = wrapping ? wrap(initial, reg) : sat(initial, reg);
    std::vector<Int128> steps;
    steps.reserve(products.size());
    for (const std::int64_t p : products) {
        r = wrapping ? wrap(r + p, reg) : sat(r + p, reg);
        steps.push_back(r);
    }
    return steps;
}

double ErrorStats::mean(std::int64_t elements) const
{
    return elements > 0 ? static_cast<double>(sumAbs) / static_cast<double>(elements) : 0.0;
}

double ChannelObservation::overflowRate() const
{
    return elements > 0 ? static_cast<double>(overflowElements) / static_cast<double>(elements) : 0.0;
}

int ChannelObservation::observedBits() const
{
    return elements > 0 ? bitsSigned(finalLo, finalHi) : 0;
}

OverflowObserver::OverflowObserver(std::int64_t channels, AccRegister reg, OverflowMode mode)
    : reg_(reg)
    , mode_(mode)
{
    checkRegister(reg);
    if (channels < 0)
        throw Error("negative channel count " + std::to_string(channels));
    channels_.resize(static_cast<std::size_t>(channels));
}

std::size_t OverflowObserver::index(std::int64_t channel) const
{
    if (channel < 0 || channel >= static_cast<std::int64_t>(channels_.size()))
        throw Error("channel " + std::to_string(channel) + " outside 0.."
            + std::to_string(static_cast<std::int64_t>(channels_.size()) - 1));
    return static_cast<std::size_t>(channel);
}

void OverflowObserver::record(std::int64_t channel, Int128 exact, bool hasPartials, Int128 partialLo,
    Int128 partialHi, Int128 saturated)
{
    ChannelObservation& ch = channels_[index(channel)];
    extend(ch.finalLo, ch.finalHi, ch.elements == 0, exact, exact);
    bool overflow = !reg_.contains(exact);
    if (hasPartials) {
        extend(ch.partialLo, ch.partialHi, ch.partialElements == 0, std::min(partialLo, exact),
            std::max(partialHi, exact));
        ++ch.partialElements;
        if (mode_ == OverflowMode::Saturate)
            overflow = overflow || !reg_.contains(partialLo) || !reg_.contains(partialHi);
    }
    ++ch.elements;
    ch.overflowElements += overflow ? 1 : 0;
    addError(ch.wrapError, wrap(exact, reg_), exact);
    addError(ch.saturateError, saturated, exact);
}

void OverflowObserver::addFinal(std::int64_t channel, Int128 exactSum)
{
    record(channel, exactSum, false, 0, 0, sat(exactSum, reg_));
}

void OverflowObserver::addFinals(std::int64_t channel, std::span<const std::int64_t> exactSums)
{
    if (exactSums.empty())
        return;
    ChannelObservation& ch = channels_[index(channel)];
    const Int128 regMin = reg_.min();
    const Int128 regMax = reg_.max();
    std::int64_t lo = exactSums[0];
    std::int64_t hi = exactSums[0];
    for (const std::int64_t sum : exactSums) {
        lo = std::min(lo, sum);
        hi = std::max(hi, sum);
        if (sum < regMin || sum > regMax) {
            ++ch.overflowElements;
            addError(ch.wrapError, wrap(sum, reg_), sum);
            addError(ch.saturateError, sat(sum, reg_), sum);
        }
    }
    extend(ch.finalLo, ch.finalHi, ch.elements == 0, lo, hi);
    ch.elements += static_cast<std::int64_t>(exactSums.size());
}

void OverflowObserver::addWithPartials(
    std::int64_t channel, Int128 exactSum, Int128 partialLo, Int128 partialHi)
{
    record(channel, exactSum, true, partialLo, partialHi, sat(exactSum, reg_));
}

void OverflowObserver::addProducts(
    std::int64_t channel, std::span<const std::int64_t> products, std::int64_t initial)
{
    const AccumulationTrace t = simulateAccumulation(products, reg_, initial);
    record(channel, t.exact, true, t.partialLo, t.partialHi, t.saturated);
}

void OverflowObserver::merge(const OverflowObserver& other)
{
    if (other.reg_.bits != reg_.bits || other.reg_.isSigned != reg_.isSigned || other.mode_ != mode_
        || other.channels_.size() != channels_.size())
        throw Error("cannot merge overflow observations of different registers, modes or channel counts");
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        ChannelObservation& into = channels_[c];
        const ChannelObservation& from = other.channels_[c];
        if (from.elements > 0)
            extend(into.finalLo, into.finalHi, into.elements == 0, from.finalLo, from.finalHi);
        if (from.partialElements > 0)
            extend(into.partialLo, into.partialHi, into.partialElements == 0, from.partialLo, from.partialHi);
        into.elements += from.elements;
        into.partialElements += from.partialElements;
        into.overflowElements += from.overflowElements;
        mergeError(into.wrapError, from.wrapError);
        mergeError(into.saturateError, from.saturateError);
    }
}

int OverflowObserver::excessBits(std::int64_t channel) const
{
    const ChannelObservation& ch = channels_[index(channel)];
    if (ch.elements == 0)
        return 0;
    return std::max(0, registerBitsFor(ch.finalLo, ch.finalHi, reg_.isSigned) - reg_.bits);
}

OverflowSummary OverflowObserver::summary() const
{
    OverflowSummary s;
    s.channels = static_cast<std::int64_t>(channels_.size());
    Int128 lo = 0;
    Int128 hi = 0;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        const ChannelObservation& ch = channels_[c];
        if (ch.elements > 0)
            extend(lo, hi, s.elements == 0, ch.finalLo, ch.finalHi);
        s.elements += ch.elements;
        s.overflowElements += ch.overflowElements;
        s.overflowChannels += ch.overflowElements > 0 ? 1 : 0;
        s.maxExcessBits = std::max(s.maxExcessBits, excessBits(static_cast<std::int64_t>(c)));
        mergeError(s.wrapError, ch.wrapError);
        mergeError(s.saturateError, ch.saturateError);
    }
    s.observedBits = s.elements > 0 ? bitsSigned(lo, hi) : 0;
    s.overflowRate
        = s.elements > 0 ? static_cast<double>(s.overflowElements) / static_cast<double>(s.elements) : 0.0;
    return s;
}

const char* riskClassName(RiskClass risk)
{
    switch (risk) {
    case RiskClass::NotApplicable:
        return "N/A";
    case RiskClass::Safe:
        return "SAFE";
    case RiskClass::Possible:
        return "POSSIBLE";
    case RiskClass::Unverified:
        return "UNVERIFIED";
    case RiskClass::Observed:
        return "OBSERVED";
    }
    return "?";
}

RiskClass worseRisk(RiskClass a, RiskClass b)
{
    // The enumerators are declared in increasing severity.
    return static_cast<std::uint8_t>(a) >= static_cast<std::uint8_t>(b) ? a : b;
}

const char* safeProofName(SafeProof proof)
{
    switch (proof) {
    case SafeProof::None:
        return "";
    case SafeProof::DataType:
        return "data type";
    case SafeProof::A2Q:
        return "A2Q";
    case SafeProof::A2QPlus:
        return "A2Q+";
    case SafeProof::Exact:
        return "exact";
    }
    return "?";
}

namespace {

ChannelRisk classifyBounds(const AccumulatorBounds& b, bool weightBased, const OperandRange& x,
    const AccRegister& reg, OverflowMode mode, const ChannelObservation* obs)
{
    const Int128 regMin = reg.min();
    const Int128 regMax = reg.max();
    const auto fitsRange = [&](Int128 lo, Int128 hi) { return lo >= regMin && hi <= regMax; };
    const auto fitsMagnitude = [&](Int128 m) { return -m >= regMin && m <= regMax; };
    // Saturation clamps every running sum, so the bounds must hold for partial sums too (§3.4).
    const bool saturate = mode == OverflowMode::Saturate;
    const bool zeroShiftOk = !saturate || (x.lo <= 0 && x.hi >= 0);

    ChannelRisk r;
    const bool safe = saturate ? fitsRange(b.partialLo, b.partialHi) : fitsRange(b.exactLo, b.exactHi);
    if (safe) {
        const DataTypeBounds& dt = b.dataType;
        r.provenByDataType = (dt.a2qValid && fitsMagnitude(dt.a2qMagnitude))
            || (saturate ? fitsRange(dt.partialLo, dt.partialHi) : fitsRange(dt.exactLo, dt.exactHi));
        if (weightBased) {
            r.provenByA2Q
                = (b.a2qValid && fitsMagnitude(b.a2qMagnitude)) || fitsMagnitude(b.a2qTrueMaxMagnitude);
            // The published bound is a width for a symmetric signed register.
            const bool pub = b.a2qPlusPubValid && reg.isSigned && b.a2qPlusPubBits <= reg.bits;
            const bool gen = b.a2qPlusGenValid && fitsMagnitude(b.a2qPlusGenMagnitude);
            r.provenByA2QPlus = zeroShiftOk && (pub || gen);
        }
        r.proof = r.provenByDataType ? SafeProof::DataType
            : r.provenByA2Q          ? SafeProof::A2Q
            : r.provenByA2QPlus      ? SafeProof::A2QPlus
                                     : SafeProof::Exact;
    }
    if (obs != nullptr && obs->overflowElements > 0) {
        r.risk = RiskClass::Observed;
    } else if (safe) {
        r.risk = RiskClass::Safe;
    } else if (obs != nullptr && obs->elements > 0) {
        r.risk = RiskClass::Possible;
        const bool usePartials = saturate && obs->partialElements > 0;
        const int observedBits = usePartials ? registerBitsFor(obs->partialLo, obs->partialHi, reg.isSigned)
                                             : registerBitsFor(obs->finalLo, obs->finalHi, reg.isSigned);
        r.headroomBits = reg.bits - observedBits;
    } else {
        r.risk = RiskClass::Unverified;
    }
    if (r.risk != RiskClass::Safe) {
        r.proof = SafeProof::None;
        r.provenByDataType = r.provenByA2Q = r.provenByA2QPlus = false;
    }
    return r;
}

} // namespace

LayerRisk classifyLayer(const LayerAccumulator& layer, const AccRegister& reg, OverflowMode mode,
    const OverflowObserver* observed)
{
    checkRegister(reg);
    if (observed != nullptr
        && (observed->accRegister().bits != reg.bits || observed->accRegister().isSigned != reg.isSigned
            || observed->mode() != mode))
        throw Error("the calibration observations were counted for a different register or overflow mode");
    const std::size_t observedChannels = observed != nullptr ? observed->channels().size() : 0;
    std::size_t channels = 1;
    if (layer.hasWeights) {
        channels = layer.channels.size();
        if (observed != nullptr && observedChannels != channels)
            throw Error("calibration observed " + std::to_string(observedChannels)
                + " channels, the layer has " + std::to_string(channels));
    } else if (observedChannels > 0) {
        channels = observedChannels;
    }
    LayerRisk out;
    out.channels.reserve(channels);
    RiskClass worst = RiskClass::NotApplicable;
    for (std::size_t c = 0; c < channels; ++c) {
        const AccumulatorBounds& b = layer.hasWeights ? layer.channels[c].bounds : layer.layer;
        const ChannelObservation* obs = c < observedChannels ? &observed->channels()[c] : nullptr;
        out.channels.push_back(classifyBounds(b, layer.hasWeights, layer.x, reg, mode, obs));
        worst = worseRisk(worst, out.channels.back().risk);
    }
    out.risk = worst;
    if (out.risk == RiskClass::Safe)
        out.proof = classifyBounds(layer.layer, layer.hasWeights, layer.x, reg, mode, nullptr).proof;
    return out;
}

} // namespace qs
