#include "app/cli/modeljson.h"

#include "core/model/tensordata.h"

#include <algorithm>
#include <map>

namespace qs::cli {
namespace {

Json optionalNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json parameterJson(const ModelDocument& doc, const QuantParameter& p)
{
    if (p.tensor < 0)
        return nullptr;
    Json j;
    j["tensor"] = doc.tensor(p.tensor).name;
    if (!p.known) {
        j["known"] = false;
        return j;
    }
    j["shape"] = p.shape;
    j["min"] = p.minValue();
    j["max"] = p.maxValue();
    j["per_channel"] = p.isPerChannel();
    j["axis"] = p.isPerChannel() ? Json(p.axis) : Json(nullptr);
    return j;
}

std::string tensorName(const ModelDocument& doc, TensorId id) { return id >= 0 ? doc.tensor(id).name : ""; }

Json quantizerRef(const ModelDocument& doc, int id)
{
    return id >= 0 ? Json(doc.quantizers()[static_cast<std::size_t>(id)].name) : Json(nullptr);
}

} // namespace

Json shapeJson(const TensorInfo& tensor)
{
    if (!tensor.dims)
        return nullptr;
    Json dims = Json::array();
    for (const Dim& d : *tensor.dims) {
        if (d.isKnown())
            dims.push_back(d.value);
        else
            dims.push_back(d.symbol.empty() ? Json("?") : Json(d.symbol));
    }
    return dims;
}

Json tensorJson(const ModelDocument& doc, TensorId id)
{
    const TensorInfo& t = doc.tensor(id);
    return Json {{"name", t.name}, {"dtype", onnxTypeName(t.elemType)}, {"shape", shapeJson(t)}};
}

Json quantizerJson(const ModelDocument& doc, const Quantizer& q)
{
    Json j;
    j["name"] = q.name;
    j["kind"] = quantizerKindName(q.kind);
    j["domain"] = q.domain;
    j["role"] = quantizerRoleName(q.role);
    Json nodes = Json::array();
    for (NodeId n : q.nodes)
        nodes.push_back(doc.node(n).name);
    j["nodes"] = nodes;
    j["input"] = tensorName(doc, q.input);
    j["output"] = tensorName(doc, q.output);
    j["bit_width"] = optionalNumber(q.bitWidth);
    j["signed"] = q.isSigned;
    j["narrow"] = q.narrow;
    j["rounding_mode"] = q.roundingMode;
    j["scale"] = parameterJson(doc, q.scale);
    j["zero_point"] = parameterJson(doc, q.zeroPoint);
    j["qmin"] = optionalNumber(q.qmin);
    j["qmax"] = optionalNumber(q.qmax);
    j["datatype"] = q.dataType;
    if (q.kind == QuantizerKind::Trunc) {
        j["trunc_version"] = q.truncVersion;
        j["out_bit_width"] = optionalNumber(q.outBitWidth);
    }
    if (q.attributesDefaulted)
        j["attributes_defaulted"] = true;
    return j;
}

Json layerJson(const ModelDocument& doc, const Layer& layer)
{
    Json j;
    j["name"] = layer.name;
    j["op"] = layer.opType;
    if (layer.channelsLast)
        j["channels_last"] = true;
    j["input"] = tensorName(doc, layer.input);
    j["weight"] = layer.weight >= 0 ? Json(tensorName(doc, layer.weight)) : Json(nullptr);
    j["bias"] = layer.bias >= 0 ? Json(tensorName(doc, layer.bias)) : Json(nullptr);
    j["output"] = tensorName(doc, layer.output);
    j["input_quantizer"] = quantizerRef(doc, layer.inputQuantizer);
    j["weight_quantizer"] = quantizerRef(doc, layer.weightQuantizer);
    j["bias_quantizer"] = quantizerRef(doc, layer.biasQuantizer);
    j["output_quantizer"] = quantizerRef(doc, layer.outputQuantizer);
    j["K"] = layer.dotProductLength ? Json(*layer.dotProductLength) : Json(nullptr);
    j["group"] = layer.group;
    j["input_shape"] = layer.inputShape ? Json(*layer.inputShape) : Json(nullptr);
    j["weight_shape"] = layer.weightShape ? Json(*layer.weightShape) : Json(nullptr);
    j["output_shape"] = layer.outputShape ? Json(*layer.outputShape) : Json(nullptr);
    return j;
}

Json modelInfoJson(const ModelDocument& doc)
{
    const auto& model = doc.proto();
    Json j;
    j["file"] = doc.path().string();
    j["format"] = modelFormatName(doc.format());
    j["ir_version"] = model.ir_version();
    j["producer"] = model.producer_name() + (model.producer_version().empty() ? "" : " " + model.producer_version());
    Json opsets = Json::object();
    for (const auto& o : model.opset_import())
        opsets[o.domain().empty() ? "ai.onnx" : o.domain()] = o.version();
    j["opsets"] = opsets;
    j["node_count"] = doc.graph().nodeCount();
    const auto histogram = doc.opHistogram();
    std::vector<std::pair<std::string, int>> ops(histogram.begin(), histogram.end());
    std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    Json hist = Json::object();
    for (const auto& [op, count] : ops)
        hist[op] = count;
    j["op_histogram"] = hist;
    Json inputs = Json::array();
    for (TensorId id : doc.graph().graphInputs())
        inputs.push_back(tensorJson(doc, id));
    j["inputs"] = inputs;
    Json outputs = Json::array();
    for (TensorId id : doc.graph().graphOutputs())
        outputs.push_back(tensorJson(doc, id));
    j["outputs"] = outputs;
    j["initializer_count"] = model.graph().initializer_size();
    Json quantizers = Json::array();
    std::map<std::string, int> kinds;
    for (const Quantizer& q : doc.quantizers()) {
        quantizers.push_back(quantizerJson(doc, q));
        ++kinds[quantizerKindName(q.kind)];
    }
    j["quantizer_counts"] = kinds;
    j["quantizers"] = quantizers;
    Json layers = Json::array();
    for (const Layer& layer : doc.layers())
        layers.push_back(layerJson(doc, layer));
    j["layers"] = layers;
    j["checker"] = doc.checkerResult();
    j["diagnostics"] = doc.diagnostics();
    return j;
}

} // namespace qs::cli
