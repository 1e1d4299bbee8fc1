#include "core/analysis/weightcodes.h"

#include "core/exec/opregistry.h"
#include "core/kernels/shapeops.h"
#include "core/model/nodeattributes.h"
#include "core/util/broadcast.h"
#include "core/util/error.h"

#include <cmath>

namespace qs {
namespace {

bool isLayoutOp(const NodeInfo& node)
{
    return node.domain.empty()
        && (node.opType == "Transpose" || node.opType == "Reshape" || node.opType == "Flatten"
            || node.opType == "Squeeze" || node.opType == "Unsqueeze" || node.opType == "Identity"
            || node.opType == "Cast");
}

const Tensor* foldedValue(const FoldedConstants& folded, TensorId t)
{
    const auto it = folded.values.find(t);
    return it == folded.values.end() ? nullptr : it->second.get();
}

// Runs `nodes` (layout ops, quantizer side first) on `data`, taking their other inputs from `folded`.
Tensor replay(
    const ModelDocument& doc, const std::vector<NodeId>& nodes, Tensor data, const FoldedConstants& folded)
{
    for (NodeId id : nodes) {
        const NodeInfo& node = doc.node(id);
        std::vector<const Tensor*> args {&data};
        for (std::size_t i = 1; i < node.inputs.size(); ++i)
            args.push_back(node.inputs[i] >= 0 ? foldedValue(folded, node.inputs[i]) : nullptr);
        if (node.opType == "Cast")
            continue; // codes stay as they are
        const int opset = doc.opsetVersion("") >= 0 ? doc.opsetVersion("") : 13;
        const KernelFn* kernel = OpRegistry::instance().find("", node.opType, opset);
        if (!kernel)
            throw Error("no kernel for " + node.opType);
        const NodeCall call(doc.nodeProto(id), opset, Precision::Float64, {}, std::move(args));
        data = std::move((*kernel)(call).at(0));
    }
    return data;
}

// Scale broadcast to the full shape of the quantizer output (so it can follow the same layout ops).
Tensor broadcastTo(const Tensor& value, const Shape& shape)
{
    Tensor out(DType::Float64, shape);
    const std::array<std::vector<std::int64_t>, 1> strides {broadcastStrides(value.shape(), shape)};
    forEachBroadcast<1>(shape, strides, [&](std::int64_t i, const std::array<std::int64_t, 1>& o) {
        out.data<double>()[i] = value.at(o[0]);
    });
    return out;
}

// Gathers the weight tensor (layer layout) into rows[c][k] for each output channel.
bool arrangeRows(const ModelDocument& doc, const Layer& layer, const Tensor& codes, const Tensor& scales,
    const Tensor& sources, IntegerWeights& out, std::string& whyNot)
{
    const Shape& s = codes.shape();
    // (channel, k) -> flat offset into `codes`, per layout.
    std::function<std::int64_t(std::int64_t, std::int64_t)> offset;
    if ((layer.opType == "Conv" || layer.opType == "ConvTranspose") && s.size() < 3) {
        whyNot = "weights of rank " + std::to_string(s.size()) + " (a convolution needs at least 3)";
        return false;
    }
    if (layer.opType == "ConvTranspose" && s[0] % std::max<std::int64_t>(1, layer.group) != 0) {
        whyNot = "the input channels do not divide into the groups";
        return false;
    }
    if (layer.opType == "Conv") {
        out.channels = s[0];
        out.k = codes.size() / std::max<std::int64_t>(1, s[0]);
        offset = [k = out.k](std::int64_t c, std::int64_t i) { return c * k + i; };
    } else if (layer.opType == "ConvTranspose") {
        const std::int64_t cin = s[0], coutPerGroup = s[1], group = std::max<std::int64_t>(1, layer.group);
        const std::int64_t taps = codes.size() / std::max<std::int64_t>(1, cin * coutPerGroup);
        out.channels = coutPerGroup * group;
        out.k = cin / group * taps;
        offset = [=](std::int64_t c, std::int64_t i) {
            const std::int64_t g = c / coutPerGroup, cLocal = c % coutPerGroup;
            const std::int64_t ci = g * (cin / group) + i / taps, tap = i % taps;
            return (ci * coutPerGroup + cLocal) * taps + tap;
        };
    } else { // Gemm / MatMul, 2-D weights only
        if (s.size() != 2) {
            whyNot = "batched weights of rank " + std::to_string(s.size());
            return false;
        }
        bool rowsAreChannels = layer.weightOnLeft;
        if (layer.opType == "Gemm") {
            const onnx::NodeProto& proto = doc.nodeProto(layer.node);
            rowsAreChannels = layer.weightOnLeft ? !intAttribute(proto, "transA").value_or(0)
                                                 : intAttribute(proto, "transB").value_or(0) != 0;
        }
        out.channels = rowsAreChannels ? s[0] : s[1];
        out.k = rowsAreChannels ? s[1] : s[0];
        const std::int64_t cols = s[1];
        offset = rowsAreChannels ? std::function<std::int64_t(std::int64_t, std::int64_t)>(
                     [cols](std::int64_t c, std::int64_t i) { return c * cols + i; })
                                 : [cols](std::int64_t c, std::int64_t i) { return i * cols + c; };
    }
    if (out.channels <= 0 || out.k <= 0 || out.channels * out.k != codes.size()) {
        whyNot = "empty weights";
        return false;
    }
    out.rows.resize(static_cast<std::size_t>(out.channels * out.k));
    out.sourceIndex.resize(out.rows.size());
    out.channelScale.assign(static_cast<std::size_t>(out.channels), 0.0);
    for (std::int64_t c = 0; c < out.channels; ++c) {
        const double scale = scales.at(offset(c, 0));
        out.channelScale[static_cast<std::size_t>(c)] = scale;
        for (std::int64_t i = 0; i < out.k; ++i) {
            const std::int64_t at = offset(c, i);
            if (scales.at(at) != scale) {
                whyNot = "the weight scale varies along the reduced axis (no single integer accumulator)";
                return false;
            }
            const double code = codes.at(at);
            if (!(std::fabs(code) < 0x1p62)) { // NaN, infinite or beyond any accumulator
                whyNot = "the weight codes are not finite integers";
                return false;
            }
            out.rows[static_cast<std::size_t>(c * out.k + i)] = static_cast<std::int64_t>(code);
            out.sourceIndex[static_cast<std::size_t>(c * out.k + i)]
                = static_cast<std::int64_t>(sources.at(at));
        }
    }
    return true;
}

} // namespace

int outputChannelAxis(const ModelDocument& doc, const Layer& layer, int outputRank)
{
    if (layer.opType == "Conv" || layer.opType == "ConvTranspose")
        return layer.channelsLast ? outputRank - 1 : 1;
    return layer.weightOnLeft ? outputRank - 2 : outputRank - 1;
}

std::optional<IntegerWeights> integerWeights(
    const ModelDocument& doc, const Layer& layer, const FoldedConstants& folded, std::string& whyNot)
{
    if (layer.weight < 0) {
        whyNot = "dynamic x dynamic product (no constant weights)";
        return std::nullopt;
    }
    if (layer.weightQuantizer < 0) {
        whyNot = "float weights (no weight quantizer)";
        return std::nullopt;
    }
    const Quantizer& q = doc.quantizers()[static_cast<std::size_t>(layer.weightQuantizer)];
    const Tensor* dequantized = foldedValue(folded, q.output);
    const std::optional<Tensor> scale = q.scale.tensor >= 0 ? doc.constantValue(q.scale.tensor)
                                                            : std::optional<Tensor>(Tensor::scalar(1.0f));
    if (!dequantized || !scale) {
        whyNot = "the weight quantizer's output or scale could not be evaluated";
        return std::nullopt;
    }
    // Layout ops between the quantizer and the layer, quantizer side first.
    std::vector<NodeId> path;
    for (TensorId t = layer.weight; t != q.output;) {
        const NodeId producer = doc.tensor(t).producer;
        if (producer < 0 || !isLayoutOp(doc.node(producer))) {
            whyNot = "unsupported ops between the weight quantizer and the layer";
            return std::nullopt;
        }
        path.insert(path.begin(), producer);
        t = doc.node(producer).inputs.at(0);
    }
    try {
        const Tensor fullScale = broadcastTo(*scale, dequantized->shape());
        Tensor codes(DType::Float64, dequantized->shape());
        for (std::int64_t i = 0; i < codes.size(); ++i) {
            const double v = dequantized->at(i) / fullScale.at(i);
            codes.data<double>()[i] = std::nearbyint(v);
            if (std::abs(v - std::nearbyint(v)) > 1e-3) {
                whyNot = "weights are not on an integer grid (scale " + std::to_string(fullScale.at(i)) + ")";
                return std::nullopt;
            }
        }
        IntegerWeights out;
        out.codes = replay(doc, path, std::move(codes), folded);
        const Tensor layerScales = replay(doc, path, fullScale, folded);
        // Flat positions (exact in float64 below 2^53) follow the same layout ops as the codes.
        Tensor positions(DType::Float64, dequantized->shape());
        for (std::int64_t i = 0; i < positions.size(); ++i)
            positions.data<double>()[i] = static_cast<double>(i);
        const Tensor layerSources = replay(doc, path, std::move(positions), folded);
        if (!arrangeRows(doc, layer, out.codes, layerScales, layerSources, out, whyNot))
            return std::nullopt;
        return out;
    } catch (const std::exception& e) {
        whyNot = std::string("cannot follow the weights into the layer: ") + e.what();
        return std::nullopt;
    }
}

} // namespace qs
