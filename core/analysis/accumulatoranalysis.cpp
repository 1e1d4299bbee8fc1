#include "core/analysis/accumulatoranalysis.h"

#include "core/analysis/analysiscache.h"
#include "core/analysis/weightcodes.h"
#include "core/model/nodeattributes.h"
#include "core/util/dtypevisit.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace qs {
namespace {

bool isInteger(double v)
{
    return std::isfinite(v) && v == std::floor(v);
}

// Whether the zero point and the integer range relative to it are values an int64 operand holds with
// room to spare (a QCDQ Clip bound may be any float; fuzzing found 1.7e38).
bool operandFits(const Quantizer& q, double zp)
{
    const auto fits = [](double v) { return std::isfinite(v) && std::fabs(v) < 0x1p62; };
    return fits(zp) && (!q.qmin || fits(*q.qmin - zp)) && (!q.qmax || fits(*q.qmax - zp));
}

// The integer activation operand of a layer, or nullopt with the reason.
std::optional<OperandRange> inputOperand(
    const ModelDocument& doc, const Layer& layer, double& scale, std::string& why)
{
    if (layer.inputQuantizer < 0) {
        why = "float input (no input quantizer)";
        return std::nullopt;
    }
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(layer.inputQuantizer)];
    if (q.kind == QuantizerKind::Trunc || q.kind == QuantizerKind::FloatQuant) {
        why = std::string("input quantized by ") + quantizerKindName(q.kind) + " (not an integer grid)";
        return std::nullopt;
    }
    if (!q.scale.known || q.scale.values.empty() || q.scale.isPerChannel()
        || !std::all_of(
            q.scale.values.begin(), q.scale.values.end(), [&](double v) { return v == q.scale.values[0]; })) {
        why = "per-channel or unknown activation scale";
        return std::nullopt;
    }
    scale = q.scale.values[0];
    const double zp = q.zeroPoint.known && !q.zeroPoint.values.empty() ? q.zeroPoint.values[0] : 0.0;
    if (!q.zeroPoint.allEqual(zp) && q.zeroPoint.tensor >= 0) {
        why = "per-channel activation zero point";
        return std::nullopt;
    }
    if (!isInteger(zp)) {
        why = "non-integer zero point";
        return std::nullopt;
    }
    if (!q.bitWidth || !isInteger(*q.bitWidth) || *q.bitWidth < 1 || *q.bitWidth > 62) {
        why = "bit width unknown or not an integer";
        return std::nullopt;
    }
    if (!operandFits(q, zp)) {
        why = "activation integer range or zero point beyond 2^62";
        return std::nullopt;
    }
    const int bits = static_cast<int>(*q.bitWidth);
    OperandRange range;
    if (q.kind == QuantizerKind::BipolarQuant
        || (q.kind == QuantizerKind::IntQuant && bits == 1 && q.isSigned))
        range = bipolarOperand(); // qonnx executes 1-bit signed Quant as sign quantization (qonnx-ops §2.3)
    else if (q.qmin && q.qmax)
        range = customOperand(static_cast<std::int64_t>(*q.qmin - zp),
            static_cast<std::int64_t>(*q.qmax - zp), bits, q.isSigned);
    else
        range = intOperand(bits, q.isSigned, q.narrow, static_cast<std::int64_t>(zp));
    range.narrow = q.narrow;
    // A ReLU between the quantizer and the layer keeps values on the grid but removes the negatives.
    if (std::find(layer.inputPath.begin(), layer.inputPath.end(), "Relu") != layer.inputPath.end()
        && range.lo < 0)
        range = customOperand(0, range.hi, range.bits, range.isSigned);
    return range;
}

std::optional<OperandRange> weightOperand(const ModelDocument& doc, const Layer& layer, std::string& why)
{
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
    if (q.kind == QuantizerKind::BipolarQuant)
        return bipolarOperand();
    if (!q.bitWidth || !isInteger(*q.bitWidth) || *q.bitWidth < 1 || *q.bitWidth > 62) {
        why = "weight bit width unknown or not an integer";
        return std::nullopt;
    }
    const int bits = static_cast<int>(*q.bitWidth);
    if (q.kind == QuantizerKind::IntQuant && bits == 1 && q.isSigned)
        return bipolarOperand();
    const double zp = q.zeroPoint.known && !q.zeroPoint.values.empty() ? q.zeroPoint.values[0] : 0.0;
    if (!q.zeroPoint.allEqual(zp) && q.zeroPoint.tensor >= 0) {
        why = "per-channel weight zero point";
        return std::nullopt;
    }
    if (!isInteger(zp) || !operandFits(q, zp)) {
        why = "weight integer range or zero point not an integer within 2^62";
        return std::nullopt;
    }
    if (q.qmin && q.qmax)
        return customOperand(static_cast<std::int64_t>(*q.qmin - zp), static_cast<std::int64_t>(*q.qmax - zp),
            bits, q.isSigned);
    return intOperand(bits, q.isSigned, q.narrow, static_cast<std::int64_t>(zp));
}

// Integer bias per channel when it can sit in the accumulator (§1.5), else empty.
std::vector<std::int64_t> preloadedBias(const ModelDocument& doc, const Layer& layer,
    const FoldedConstants& folded, double inputScale, const std::vector<double>& weightScales)
{
    if (layer.bias < 0 || layer.biasQuantizer < 0)
        return {};
    const Quantizer& qb = doc.quantizers()[static_cast<std::size_t>(layer.biasQuantizer)];
    if (!qb.zeroPoint.allEqual(0.0) && qb.zeroPoint.tensor >= 0)
        return {};
    const auto it = folded.values.find(layer.bias);
    if (it == folded.values.end() || it->second->size() != static_cast<std::int64_t>(weightScales.size()))
        return {};
    const Tensor& bias = *it->second;
    std::vector<std::int64_t> beta(weightScales.size());
    for (std::size_t c = 0; c < weightScales.size(); ++c) {
        const double step = inputScale * weightScales[c];
        const double biasScale
            = qb.scale.values.size() == weightScales.size() ? qb.scale.values[c] : qb.scale.values.at(0);
        if (std::abs(biasScale - step) > 1e-6 * std::abs(step))
            return {};
        const double code = std::nearbyint(bias.at(static_cast<std::int64_t>(c)) / step);
        if (!(std::fabs(code) < 0x1p62)) // NaN / inf / absurd bias: not an integer the register holds
            return {};
        beta[c] = static_cast<std::int64_t>(code);
    }
    return beta;
}

// Everything observe() reads besides the layer input, as bytes (the key of a cached observation).
std::string observationContext(const ModelDocument& doc, const Layer& layer, const IntegerWeights& weights,
    const std::vector<std::int64_t>& bias, const LayerAccumulatorResult& result,
    const AccumulatorOptions& options)
{
    std::string out = doc.nodeProto(layer.node).SerializeAsString();
    auto add = [&](const void* data, std::size_t size) { out.append(static_cast<const char*>(data), size); };
    const int opset = doc.opsetVersion(doc.node(layer.node).domain);
    const int mode = static_cast<int>(options.mode);
    for (const void* field : {static_cast<const void*>(&opset), static_cast<const void*>(&mode)})
        add(field, sizeof(int));
    add(&options.accBits, sizeof options.accBits);
    add(&options.signedRegister, sizeof options.signedRegister);
    add(&layer.weightOnLeft, sizeof layer.weightOnLeft);
    add(&result.inputScale, sizeof result.inputScale);
    add(&weights.channels, sizeof weights.channels);
    for (std::int64_t d : weights.codes.shape())
        add(&d, sizeof d);
    add(weights.codes.rawData(), weights.codes.byteSize());
    add(bias.data(), bias.size() * sizeof(std::int64_t));
    return out;
}

void recordObservation(
    const OverflowObserver& observer, LayerAccumulatorResult& result, const AccumulatorOptions& options)
{
    result.observed = true;
    result.observations = observer.channels();
    result.observedSummary = observer.summary();
    result.risk = classifyLayer(result.boundsWithBias, AccRegister {options.accBits, options.signedRegister},
        options.mode, &observer);
    if (options.mode == OverflowMode::Saturate)
        result.notes.push_back("saturation simulated on final sums (accumulation order not replayed)");
}

void observe(const ModelDocument& doc, const Layer& layer, const RunResult& run,
    const IntegerWeights& weights, const std::vector<std::int64_t>& bias, LayerAccumulatorResult& result,
    const AccumulatorOptions& options, AnalysisCache* cache)
{
    const auto captured = run.captured.find(doc.tensor(layer.input).name);
    if (captured == run.captured.end()) {
        result.notes.push_back("the run did not capture the layer input");
        return;
    }
    const Tensor& x = *captured->second;
    std::string context;
    if (cache) {
        context = observationContext(doc, layer, weights, bias, result, options);
        if (const OverflowObserver* known = cache->observation(x, context)) {
            recordObservation(*known, result, options);
            return;
        }
    }
    Tensor codes(DType::Float64, x.shape());
    visitStorageType(x.dtype(), [&]<class T>(T) {
        const T* values = x.data<T>();
        double* out = codes.data<double>();
        for (std::int64_t i = 0; i < x.size(); ++i)
            out[i] = std::nearbyint(static_cast<double>(values[i]) / result.inputScale);
    });
    // The layer's own kernel on integer codes in float64 (exact below 2^53), without the bias.
    const int opset = doc.opsetVersion(doc.node(layer.node).domain) >= 0
        ? doc.opsetVersion(doc.node(layer.node).domain)
        : 13;
    const KernelFn* kernel = OpRegistry::instance().find(doc.node(layer.node).domain, layer.opType, opset);
    if (!kernel)
        return;
    std::vector<const Tensor*> args = layer.weightOnLeft
        ? std::vector<const Tensor*> {&weights.codes, &codes}
        : std::vector<const Tensor*> {&codes, &weights.codes};
    const NodeCall call(doc.nodeProto(layer.node), opset, Precision::Float64, {}, std::move(args));
    const Tensor y = std::move((*kernel)(call).at(0));
    const int axis = outputChannelAxis(doc, layer, y.rank());
    std::int64_t inner = 1;
    for (int i = axis + 1; i < y.rank(); ++i)
        inner *= y.shape()[static_cast<std::size_t>(i)];
    const std::int64_t channels = y.shape()[static_cast<std::size_t>(axis)];
    if (channels != weights.channels) {
        result.notes.push_back("output channels do not match the weights; not observed");
        return;
    }
    OverflowObserver observer(channels, AccRegister {options.accBits, options.signedRegister}, options.mode);
    // The output holds runs of `inner` sums of one channel; each run goes to the observer at once.
    visitStorageType(y.dtype(), [&]<class T>(T) {
        const T* values = y.data<T>();
        const auto sumAt = [&](std::int64_t i, Int128 preloaded) {
            return static_cast<Int128>(std::llround(static_cast<double>(values[i]))) + preloaded;
        };
        std::vector<std::int64_t> sums(static_cast<std::size_t>(inner));
        for (std::int64_t start = 0; start < y.size(); start += inner) {
            const std::int64_t c = (start / inner) % channels;
            const Int128 preloaded = bias.empty() ? 0 : bias[static_cast<std::size_t>(c)];
            bool fitInt64 = true;
            for (std::int64_t i = 0; i < inner; ++i) {
                const Int128 sum = sumAt(start + i, preloaded);
                fitInt64 = fitInt64 && sum == static_cast<std::int64_t>(sum);
                sums[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(sum);
            }
            if (fitInt64) {
                observer.addFinals(c, sums);
                continue;
            }
            for (std::int64_t i = 0; i < inner; ++i) // a sum beyond int64 (absurd bias or codes)
                observer.addFinal(c, sumAt(start + i, preloaded));
        }
    });
    recordObservation(observer, result, options);
    if (cache)
        cache->storeObservation(x, std::move(context), std::move(observer));
}

} // namespace

const char* riskClassLabel(RiskClass risk)
{
    switch (risk) {
    case RiskClass::Safe:
        return "safe";
    case RiskClass::Possible:
        return "possible";
    case RiskClass::Unverified:
        return "unverified";
    case RiskClass::Observed:
        return "observed";
    case RiskClass::NotApplicable:
        return "n/a";
    }
    return "?";
}

std::set<std::string> accumulatorCaptureNames(const ModelDocument& doc)
{
    std::set<std::string> names;
    for (const Layer& layer : doc.layers())
        if (layer.input >= 0)
            names.insert(doc.tensor(layer.input).name);
    return names;
}

AccumulatorReport analyzeAccumulators(
    const ModelDocument& doc, const AccumulatorOptions& options, const RunResult* run, AnalysisCache* cache)
{
    AccumulatorReport report;
    report.options = options;
    const FoldedConstants folded = foldConstants(doc, Precision::Float32, doc.limits());
    const AccRegister reg {options.accBits, options.signedRegister};
    for (std::size_t i = 0; i < doc.layers().size(); ++i) {
        const Layer& layer = doc.layers()[i];
        LayerAccumulatorResult result;
        result.layer = static_cast<int>(i);
        auto input = inputOperand(doc, layer, result.inputScale, result.reason);
        std::optional<IntegerWeights> weights;
        std::optional<OperandRange> weight;
        if (input)
            weights = integerWeights(doc, layer, folded, result.reason);
        if (weights)
            weight = weightOperand(doc, layer, result.reason);
        if (input && weights && weight && layer.opType == "Gemm"
            && floatAttribute(doc.nodeProto(layer.node), "alpha").value_or(1.0f) != 1.0f) {
            result.reason = "Gemm alpha != 1 scales the integer products";
            weight.reset();
        }
        if (!input || !weights || !weight) {
            report.layers.push_back(std::move(result));
            continue;
        }
        try {
            result.applicable = true;
            result.input = *input;
            result.weight = *weight;
            result.weightScales = weights->channelScale;
            result.bounds = analyzeLayer(*input, *weight, weights->k, weights->rows);
            if (options.preloadBias)
                result.bias = preloadedBias(doc, layer, folded, result.inputScale, weights->channelScale);
            result.biasPreloaded = !result.bias.empty();
            result.boundsWithBias = result.biasPreloaded
                ? analyzeLayer(*input, *weight, weights->k, weights->rows, result.bias)
                : result.bounds;
            result.risk = classifyLayer(result.boundsWithBias, reg, options.mode);
            result.advice = adviseBitWidths(*input, *weight, weights->k, options.accBits);
            result.l1Advice = adviseL1Norms(result.boundsWithBias, options.accBits);
            if (run)
                observe(doc, layer, *run, *weights, result.bias, result, options, cache);
        } catch (const std::exception& e) {
            result.applicable = false;
            result.reason = e.what();
        }
        report.layers.push_back(std::move(result));
    }
    return report;
}

} // namespace qs
