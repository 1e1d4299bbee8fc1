#include "app/cli/accumulatorjson.h"

#include "app/cli/texttable.h"

#include <limits>

namespace qs::cli {
namespace {

using Json = nlohmann::ordered_json;

// 128-bit range ends: exact numbers when they fit in int64, else decimal strings.
Json bigInt(Int128 v)
{
    if (v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max())
        return static_cast<std::int64_t>(v);
    return toString(v);
}

Json boundsJson(const AccumulatorBounds& b)
{
    Json j;
    j["exact"] = {{"lo", bigInt(b.exactLo)}, {"hi", bigInt(b.exactHi)}, {"bits", b.exactBits}};
    j["datatype_classic_bits"] = b.dataType.classicBits;
    j["datatype_a2q_bits"] = b.dataType.a2qValid ? Json(b.dataType.a2qBits) : Json(nullptr);
    j["datatype_exact"] = {{"lo", bigInt(b.dataType.exactLo)}, {"hi", bigInt(b.dataType.exactHi)},
                           {"bits", b.dataType.exactBits}};
    j["a2q_l1_bits"] = b.a2qValid ? Json(b.a2qBits) : Json(nullptr);
    j["a2q_l1_true_max_bits"] = b.a2qTrueMaxBits;
    j["a2q_plus_bits"] = b.a2qPlusPubValid ? Json(b.a2qPlusPubBits) : Json(nullptr);
    j["a2q_plus_generalized_bits"] = b.a2qPlusGenValid ? Json(b.a2qPlusGenBits) : Json(nullptr);
    j["zero_sum"] = b.zeroSum;
    j["best_bound_bits"] = b.bestBoundBits;
    return j;
}

std::string operandText(const OperandRange& r)
{
    if (r.bipolar)
        return "BIPOLAR";
    return std::string(r.isSigned ? "INT" : "UINT") + std::to_string(r.bits) + (r.narrow ? "n" : "");
}

std::string optionalBits(bool valid, int bits) { return valid ? std::to_string(bits) : "-"; }

} // namespace

Json accumulatorLayerJson(const ModelDocument& doc, const LayerAccumulatorResult& l, bool perChannel)
{
    const Layer& layer = doc.layers()[static_cast<std::size_t>(l.layer)];
    Json j;
    j["layer"] = layer.name;
    j["op"] = layer.opType;
    j["applicable"] = l.applicable;
    if (!l.applicable) {
        j["reason"] = l.reason;
        j["risk"] = "n/a";
        return j;
    }
    j["K"] = l.bounds.k;
    j["input"] = {{"type", operandText(l.input)}, {"lo", l.input.lo}, {"hi", l.input.hi}, {"scale", l.inputScale}};
    j["weight"] = {{"type", operandText(l.weight)}, {"lo", l.weight.lo}, {"hi", l.weight.hi}};
    j["bias_preloaded"] = l.biasPreloaded;
    j["required_bits"] = boundsJson(l.boundsWithBias.layer);
    if (l.biasPreloaded)
        j["required_bits_without_bias"] = boundsJson(l.bounds.layer);
    j["risk"] = riskClassLabel(l.risk.risk);
    if (l.observed) {
        const OverflowSummary& s = l.observedSummary;
        j["observed"] = {{"bits", s.observedBits}, {"elements", s.elements}, {"overflow_elements", s.overflowElements},
                         {"overflow_rate", s.overflowRate}, {"channels", s.channels},
                         {"overflow_channels", s.overflowChannels}, {"max_excess_bits", s.maxExcessBits},
                         {"wrap_error_max", bigInt(s.wrapError.maxAbs)}, {"wrap_error_mean", s.wrapError.mean(s.elements)},
                         {"wrap_sign_flips", s.wrapError.signFlips}, {"saturate_error_max", bigInt(s.saturateError.maxAbs)},
                         {"saturate_error_mean", s.saturateError.mean(s.elements)}};
    }
    Json pareto = Json::array();
    for (const BitWidthPair& p : l.advice.pareto)
        pareto.push_back({p.inputBits, p.weightBits});
    j["advice"] = {{"max_weight_bits_for_input", l.advice.maxWeightBitsForInput},
                   {"max_input_bits_for_weight", l.advice.maxInputBitsForWeight},
                   {"pareto_input_weight_bits", pareto},
                   {"a2q_l1_budget", bigInt(l.l1Advice.a2qBudget)},
                   {"a2q_plus_l1_budget", bigInt(l.l1Advice.a2qPlusBudget)}};
    if (perChannel) {
        Json channels = Json::array();
        for (std::size_t c = 0; c < l.boundsWithBias.channels.size(); ++c) {
            const ChannelAccumulator& ch = l.boundsWithBias.channels[c];
            Json cj = boundsJson(ch.bounds);
            cj["l1"] = bigInt(ch.stats.l1);
            cj["sum"] = bigInt(ch.stats.sum);
            cj["bias"] = ch.bias;
            cj["risk"] = c < l.risk.channels.size() ? riskClassLabel(l.risk.channels[c].risk) : "n/a";
            if (l.observed && c < l.observations.size()) {
                const ChannelObservation& o = l.observations[c];
                cj["observed"] = {{"lo", bigInt(o.finalLo)}, {"hi", bigInt(o.finalHi)}, {"bits", o.observedBits()},
                                  {"overflow_elements", o.overflowElements}};
            }
            channels.push_back(std::move(cj));
        }
        j["channels"] = channels;
    }
    if (!l.notes.empty())
        j["notes"] = l.notes;
    return j;
}

std::vector<std::string> accumulatorTableHeader()
{
    return {"layer", "op", "K", "x * w", "dt classic", "dt A2Q", "dt exact", "A2Q L1", "A2Q+", "exact", "observed",
            "risk", "overflow", "max (N,M) at P"};
}

std::vector<std::string> accumulatorTableRow(const ModelDocument& doc, const LayerAccumulatorResult& l, int accBits)
{
    const Layer& layer = doc.layers()[static_cast<std::size_t>(l.layer)];
    if (!l.applicable)
        return {layer.name, layer.opType, layer.dotProductLength ? std::to_string(*layer.dotProductLength) : "?",
                "n/a: " + l.reason};
    const AccumulatorBounds& b = l.boundsWithBias.layer;
    std::string overflow = "-";
    if (l.observed)
        overflow = std::to_string(l.observedSummary.overflowElements) + "/" + std::to_string(l.observedSummary.elements)
            + " el, " + std::to_string(l.observedSummary.overflowChannels) + "/" + std::to_string(l.observedSummary.channels)
            + " ch";
    return {layer.name,
            layer.opType,
            std::to_string(l.bounds.k),
            operandText(l.input) + " * " + operandText(l.weight) + (l.biasPreloaded ? " +b" : ""),
            std::to_string(b.dataType.classicBits),
            optionalBits(b.dataType.a2qValid, b.dataType.a2qBits),
            std::to_string(b.dataType.exactBits),
            optionalBits(b.a2qValid, b.a2qBits),
            optionalBits(b.a2qPlusGenValid, b.a2qPlusGenBits),
            std::to_string(b.exactBits),
            l.observed ? std::to_string(l.observedSummary.observedBits) : "-",
            riskClassLabel(l.risk.risk),
            overflow,
            "(" + std::to_string(l.input.bits) + "," + std::to_string(l.advice.maxWeightBitsForInput) + ") / ("
                + std::to_string(l.advice.maxInputBitsForWeight) + "," + std::to_string(l.weight.bits) + ")"};
}

} // namespace qs::cli
