#include "core/model/qonnxschemas.h"

#include "core/model/onnxinferenceguards.h"

#include <mutex>
#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>

namespace qs {
namespace {

using onnx::AttributeProto;
using onnx::InferenceContext;
using onnx::OpSchema;

constexpr const char* kQonnxGeneral = "qonnx.custom_op.general";
constexpr const char* kBrevitas = "onnx.brevitas";
constexpr const char* kFinnGeneral = "finn.custom_op.general";
constexpr const char* kChannelsLast = "qonnx.custom_op.channels_last";

const std::vector<std::string> kAllTypes = {"tensor(float)", "tensor(double)", "tensor(float16)",
    "tensor(int64)", "tensor(int32)", "tensor(int16)", "tensor(int8)", "tensor(uint8)", "tensor(uint16)",
    "tensor(uint32)", "tensor(uint64)", "tensor(bool)"};

// Quant / FloatQuant: shape of X, float output unless the file already declares another type (§6.4).
void inferAsCastToFloat(InferenceContext& ctx)
{
    auto* out = ctx.getOutputType(0);
    if (out->tensor_type().elem_type() == 0)
        out->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    if (onnx::hasInputShape(ctx, 0))
        onnx::propagateShapeFromInputToOutput(ctx, 0, 0);
}

void inferAsIdentity(InferenceContext& ctx)
{
    onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    if (onnx::hasInputShape(ctx, 0))
        onnx::propagateShapeFromInputToOutput(ctx, 0, 0);
}

OpSchema base(const char* name, const std::string& domain, int sinceVersion)
{
    OpSchema schema;
    schema.SetName(name).SetDomain(domain).SinceVersion(sinceVersion);
    // Exporters add attributes of their own; the checker should not reject a model for them.
    schema.AllowUncheckedAttributes();
    schema.TypeConstraint("T", kAllTypes, "data type");
    schema.TypeConstraint("P", kAllTypes, "parameter type");
    return schema;
}

OpSchema intQuantSchema(const char* name, const std::string& domain)
{
    OpSchema s = base(name, domain, 1);
    s.SetDoc(
        "QONNX uniform integer fake-quantization: Y = (clamp(round(X/scale + zeropt)) - zeropt) * scale.");
    s.Input(0, "X", "input", "T").Input(1, "scale", "scale", "P").Input(2, "zeropt", "zero point", "P");
    s.Input(3, "bitwidth", "bit width", "P");
    s.Output(0, "Y", "fake-quantized output", "T");
    s.Attr("signed", "signed integer range", AttributeProto::INT, static_cast<std::int64_t>(1));
    s.Attr("narrow", "narrow range (drops the most negative code)", AttributeProto::INT,
        static_cast<std::int64_t>(0));
    s.Attr("rounding_mode", "rounding mode", AttributeProto::STRING, std::string("ROUND"));
    s.TypeAndShapeInferenceFunction(inferAsCastToFloat);
    return s;
}

OpSchema bipolarQuantSchema(const std::string& domain)
{
    OpSchema s = base("BipolarQuant", domain, 1);
    s.SetDoc("QONNX binary quantization: Y = (X >= 0 ? +1 : -1) * scale.");
    s.Input(0, "X", "input", "T").Input(1, "scale", "scale", "P");
    s.Output(0, "Y", "output", "T");
    s.TypeAndShapeInferenceFunction(inferAsIdentity);
    return s;
}

OpSchema truncSchema(const std::string& domain, int version)
{
    OpSchema s = base("Trunc", domain, version);
    s.SetDoc(version == 1 ? "QONNX Trunc v1 (X, scale, zeropt, in_bitwidth, out_bitwidth)"
                          : "QONNX Trunc v2 (X, scale, zeropt, in_bitwidth, out_scale, out_bitwidth)");
    s.Input(0, "X", "input", "T").Input(1, "scale", "scale", "P").Input(2, "zeropt", "zero point", "P");
    s.Input(3, "in_bitwidth", "input bit width", "P")
        .Input(4, "p4", "out_bitwidth (v1) / out_scale (v2)", "P");
    // Files in the wild disagree with their declared version; accept both input counts in both versions.
    s.Input(5, "out_bitwidth", "output bit width (v2)", "P", OpSchema::Optional);
    s.Output(0, "Y", "output", "T");
    s.Attr("rounding_mode", "rounding mode", AttributeProto::STRING, std::string("FLOOR"));
    s.Attr("signed", "signed output range (v2)", AttributeProto::INT, static_cast<std::int64_t>(1));
    s.Attr("narrow", "narrow output range (v2)", AttributeProto::INT, static_cast<std::int64_t>(0));
    s.TypeAndShapeInferenceFunction(inferAsIdentity);
    return s;
}

OpSchema floatQuantSchema(const std::string& domain)
{
    OpSchema s = base("FloatQuant", domain, 1);
    s.SetDoc("QONNX minifloat fake-quantization.");
    s.Input(0, "X", "input", "T").Input(1, "scale", "scale", "P").Input(2, "exponent_bitwidth", "", "P");
    s.Input(3, "mantissa_bitwidth", "", "P").Input(4, "exponent_bias", "", "P").Input(5, "max_val", "", "P");
    s.Output(0, "Y", "output", "T");
    s.Attr("rounding_mode", "rounding mode", AttributeProto::STRING, std::string("ROUND"));
    s.Attr("has_inf", "", AttributeProto::INT, static_cast<std::int64_t>(0));
    s.Attr("has_nan", "", AttributeProto::INT, static_cast<std::int64_t>(0));
    s.Attr("has_subnormal", "", AttributeProto::INT, static_cast<std::int64_t>(0));
    s.Attr("saturation", "", AttributeProto::INT, static_cast<std::int64_t>(1));
    s.TypeAndShapeInferenceFunction(inferAsCastToFloat);
    return s;
}

OpSchema multiThresholdSchema(const std::string& domain)
{
    OpSchema s = base("MultiThreshold", domain, 1);
    s.SetDoc("FINN multi-threshold activation: out_scale * count(x >= thresholds[c]) + out_bias.");
    s.Input(0, "X", "input", "T").Input(1, "thresholds", "thresholds [C, T]", "P");
    s.Output(0, "Y", "output", "T");
    s.Attr("out_dtype", "output datatype", AttributeProto::STRING, std::string("FLOAT32"));
    s.Attr("out_scale", "", AttributeProto::FLOAT, 1.0f);
    s.Attr("out_bias", "", AttributeProto::FLOAT, 0.0f);
    s.Attr("data_layout", "", AttributeProto::STRING, std::string("NCHW"));
    s.TypeAndShapeInferenceFunction(inferAsCastToFloat);
    return s;
}

// Spatial output size of a pooling/convolution window along one axis (explicit pads only).
std::int64_t windowOutput(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
    std::int64_t padBegin, std::int64_t padEnd, bool ceilMode)
{
    const std::int64_t span = dilation * (kernel - 1) + 1;
    const std::int64_t numer = in + padBegin + padEnd - span;
    if (numer < 0 || stride <= 0)
        return -1;
    return (ceilMode ? (numer + stride - 1) / stride : numer / stride) + 1;
}

// Channels-last Conv / MaxPool: X is [N, spatial..., C]; Conv weights are [Cout, k..., Cin/group].
void inferChannelsLast(InferenceContext& ctx, bool isConv)
{
    onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
    if (!onnx::hasInputShape(ctx, 0))
        return;
    const auto& xShape = onnx::getInputShape(ctx, 0);
    const int rank = xShape.dim_size();
    if (rank < 3)
        return;
    std::vector<std::int64_t> kernel, strides, dilations, pads;
    if (const auto* a = ctx.getAttribute("kernel_shape"))
        kernel.assign(a->ints().begin(), a->ints().end());
    if (const auto* a = ctx.getAttribute("strides"))
        strides.assign(a->ints().begin(), a->ints().end());
    if (const auto* a = ctx.getAttribute("dilations"))
        dilations.assign(a->ints().begin(), a->ints().end());
    if (const auto* a = ctx.getAttribute("pads"))
        pads.assign(a->ints().begin(), a->ints().end());
    const int spatial = rank - 2;
    std::int64_t outChannels = -1;
    if (isConv && onnx::hasInputShape(ctx, 1)) {
        const auto& w = onnx::getInputShape(ctx, 1);
        if (w.dim_size() == rank && w.dim(0).has_dim_value())
            outChannels = w.dim(0).dim_value();
        if (kernel.empty())
            for (int i = 1; i + 1 < w.dim_size(); ++i)
                kernel.push_back(w.dim(i).has_dim_value() ? w.dim(i).dim_value() : 1);
    }
    if (static_cast<int>(kernel.size()) != spatial)
        return;
    const bool ceilMode = ctx.getAttribute("ceil_mode") && ctx.getAttribute("ceil_mode")->i() != 0;
    auto* out = ctx.getOutputType(0)->mutable_tensor_type()->mutable_shape();
    out->clear_dim();
    *out->add_dim() = xShape.dim(0);
    for (int i = 0; i < spatial; ++i) {
        auto* dim = out->add_dim();
        const auto& in = xShape.dim(i + 1);
        if (!in.has_dim_value())
            continue;
        const auto at = [](const std::vector<std::int64_t>& v, std::size_t k, std::int64_t d) {
            return k < v.size() ? v[k] : d;
        };
        const std::int64_t o = windowOutput(in.dim_value(), kernel[static_cast<std::size_t>(i)],
            at(strides, i, 1), at(dilations, i, 1), at(pads, i, 0),
            at(pads, static_cast<std::size_t>(i + spatial), 0), ceilMode);
        if (o > 0)
            dim->set_dim_value(o);
    }
    auto* channels = out->add_dim();
    if (isConv) {
        if (outChannels > 0)
            channels->set_dim_value(outChannels);
    } else {
        *channels = xShape.dim(rank - 1);
    }
}

OpSchema channelsLastSchema(const char* name, bool isConv)
{
    OpSchema s = base(name, kChannelsLast, 1);
    s.SetDoc("Channels-last (NHWC) variant of the standard operator.");
    s.Input(0, "X", "input [N, spatial..., C]", "T");
    if (isConv) {
        s.Input(1, "W", "weights [Cout, k..., Cin/group]", "T");
        s.Input(2, "B", "bias", "T", OpSchema::Optional);
    }
    s.Output(0, "Y", "output", "T");
    s.TypeAndShapeInferenceFunction([isConv](InferenceContext& ctx) { inferChannelsLast(ctx, isConv); });
    return s;
}

void ensureDomain(const std::string& domain, int maxVersion)
{
    auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance();
    if (ranges.Map().count(domain) == 0)
        ranges.AddDomainToVersion(domain, 1, maxVersion);
}

void registerAll()
{
    for (const std::string domain : {kQonnxGeneral, kBrevitas, kFinnGeneral}) {
        ensureDomain(domain, 2);
        onnx::RegisterSchema(intQuantSchema("Quant", domain));
        onnx::RegisterSchema(intQuantSchema("IntQuant", domain));
        onnx::RegisterSchema(bipolarQuantSchema(domain));
        onnx::RegisterSchema(truncSchema(domain, 1));
        onnx::RegisterSchema(truncSchema(domain, 2));
        onnx::RegisterSchema(floatQuantSchema(domain));
        onnx::RegisterSchema(multiThresholdSchema(domain));
    }
    // Early Brevitas exports put Quant (without rounding_mode) into the default domain.
    onnx::RegisterSchema(intQuantSchema("Quant", ""));
    onnx::RegisterSchema(intQuantSchema("IntQuant", ""));
    onnx::RegisterSchema(bipolarQuantSchema(""));

    ensureDomain(kChannelsLast, 1);
    onnx::RegisterSchema(channelsLastSchema("Conv", true));
    onnx::RegisterSchema(channelsLastSchema("MaxPool", false));

    guardOnnxShapeInference();
}

} // namespace

void registerQonnxSchemas()
{
    static std::once_flag once;
    std::call_once(once, registerAll);
}

const std::vector<std::string>& qonnxCustomDomains()
{
    static const std::vector<std::string> domains = {kQonnxGeneral, kBrevitas, kFinnGeneral, kChannelsLast};
    return domains;
}

bool isQonnxDomain(std::string_view domain)
{
    return domain == kQonnxGeneral || domain == kBrevitas || domain == kFinnGeneral || domain.empty()
        || domain == "ai.onnx";
}

bool isChannelsLastDomain(std::string_view domain)
{
    return domain == kChannelsLast;
}

} // namespace qs
