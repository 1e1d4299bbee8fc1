// Fuzz target (c): the reference executor on tiny graphs. The bytes choose 1-4 nodes from a table of
// ops (quantizers, Conv, MatMul and the shape ops whose attributes index memory) with fuzzed
// attributes, parameter values and small shapes; the model is built with ModelBuilder, loaded and
// run with a tight Limits::maxTensorBytes, then analysed as the GUI does (both runs and the dynamic
// analyses). A qs::Error is fine; anything else is a bug.
#include "core/analysis/inferencecost.h"
#include "core/analysis/modelanalysis.h"
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modelbuilder.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzzsupport.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <fuzzer/FuzzedDataProvider.h>

namespace {

using qs::Attribute;
using qs::Tensor;

class GraphFuzzer {
public:
    explicit GraphFuzzer(FuzzedDataProvider& in)
        : in_(in)
    {
    }

    onnx::ModelProto build()
    {
        const int rank = in_.ConsumeIntegralInRange(1, 4);
        std::vector<std::int64_t> dims;
        for (int i = 0; i < rank; ++i)
            dims.push_back(in_.ConsumeIntegralInRange<std::int64_t>(1, 6));
        b_.input("x", dims);
        std::string current = "x";
        const int nodes = in_.ConsumeIntegralInRange(1, 4);
        for (int n = 0; n < nodes; ++n)
            current = addNode(current, rank);
        b_.node("Identity", {current}, {"y"});
        b_.output("y");
        b_.opset("qonnx.custom_op.general", 1);
        return b_.build();
    }

private:
    // Small, sometimes hostile integers: mostly in [-3, 8], now and then extreme.
    std::int64_t smallInt()
    {
        switch (in_.ConsumeIntegralInRange(0, 15)) {
        case 0:
            return std::numeric_limits<std::int64_t>::max();
        case 1:
            return std::numeric_limits<std::int64_t>::min();
        case 2:
            return in_.ConsumeIntegral<std::int32_t>();
        default:
            return in_.ConsumeIntegralInRange<std::int64_t>(-3, 8);
        }
    }
    std::vector<std::int64_t> ints(std::size_t maxCount)
    {
        std::vector<std::int64_t> v(in_.ConsumeIntegralInRange<std::size_t>(0, maxCount));
        for (auto& x : v)
            x = smallInt();
        return v;
    }
    float value()
    {
        switch (in_.ConsumeIntegralInRange(0, 9)) {
        case 0:
            return std::numeric_limits<float>::quiet_NaN();
        case 1:
            return std::numeric_limits<float>::infinity();
        case 2:
            return 0.0f;
        case 3:
            return in_.ConsumeFloatingPoint<float>();
        default:
            return in_.ConsumeFloatingPointInRange<float>(-40.0f, 40.0f);
        }
    }
    std::vector<std::int64_t> smallShape(int maxRank)
    {
        std::vector<std::int64_t> s(
            in_.ConsumeIntegralInRange<std::size_t>(0, static_cast<std::size_t>(maxRank)));
        for (auto& d : s)
            d = in_.ConsumeIntegralInRange<std::int64_t>(0, 5);
        return s;
    }
    std::string floatInit(std::vector<std::int64_t> shape)
    {
        std::int64_t count = 1;
        for (auto d : shape)
            count *= d;
        std::vector<float> values(static_cast<std::size_t>(count));
        for (auto& v : values)
            v = value();
        const std::string name = "p" + std::to_string(counter_++);
        b_.initializer(name, Tensor::fromFloats(shape, values));
        return name;
    }
    std::string intInit(std::vector<std::int64_t> values)
    {
        const std::string name = "p" + std::to_string(counter_++);
        b_.initializer(name, Tensor::fromInt64s({static_cast<std::int64_t>(values.size())}, values));
        return name;
    }
    std::string scalarInit(float v)
    {
        const std::string name = "p" + std::to_string(counter_++);
        b_.initializer(name, Tensor::scalar(v));
        return name;
    }
    std::string rounding()
    {
        static const char* modes[] = {"ROUND", "CEIL", "FLOOR", "ROUND_TO_ZERO", "HALF_EVEN", "bogus", ""};
        return modes[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(modes) - 1)];
    }

    std::string addNode(const std::string& x, int rank)
    {
        const std::string out = "t" + std::to_string(counter_++);
        const std::string q = "qonnx.custom_op.general";
        switch (in_.ConsumeIntegralInRange(0, 19)) {
        case 0: // Quant with fuzzed parameters (scalar or broadcast shapes)
            b_.node("Quant",
                {x, floatInit(smallShape(rank)), floatInit(smallShape(rank)), scalarInit(value())}, {out},
                {{"signed", smallInt()}, {"narrow", smallInt()}, {"rounding_mode", rounding()}}, q);
            break;
        case 1:
            b_.node("BipolarQuant", {x, floatInit(smallShape(rank))}, {out}, {}, q);
            break;
        case 2:
            b_.node("Trunc",
                {x, floatInit(smallShape(rank)), floatInit(smallShape(rank)), scalarInit(value()),
                    scalarInit(value())},
                {out}, {{"rounding_mode", rounding()}, {"signed", smallInt()}, {"narrow", smallInt()}}, q);
            break;
        case 3: { // Conv with a fuzzed kernel and geometry
            std::vector<std::int64_t> w {in_.ConsumeIntegralInRange<std::int64_t>(0, 4),
                in_.ConsumeIntegralInRange<std::int64_t>(0, 4)};
            for (int i = 2; i < rank; ++i)
                w.push_back(in_.ConsumeIntegralInRange<std::int64_t>(0, 4));
            std::vector<Attribute> attrs;
            if (in_.ConsumeBool())
                attrs.push_back({"pads", ints(6)});
            if (in_.ConsumeBool())
                attrs.push_back({"strides", ints(3)});
            if (in_.ConsumeBool())
                attrs.push_back({"dilations", ints(3)});
            if (in_.ConsumeBool())
                attrs.push_back({"group", smallInt()});
            if (in_.ConsumeBool())
                attrs.push_back({"kernel_shape", ints(3)});
            if (in_.ConsumeBool())
                attrs.push_back({"auto_pad", std::string(in_.ConsumeBool() ? "SAME_UPPER" : "VALID")});
            std::vector<std::string> inputs {x, floatInit(w)};
            if (in_.ConsumeBool())
                inputs.push_back(floatInit(smallShape(1)));
            b_.node(in_.ConsumeBool() ? "Conv" : "ConvTranspose", inputs, {out}, attrs);
            break;
        }
        case 4:
            b_.node("MatMul", {x, floatInit(smallShape(3))}, {out});
            break;
        case 5:
            b_.node("Reshape", {x, intInit(ints(5))}, {out});
            break;
        case 6:
            b_.node("Transpose", {x}, {out}, {{"perm", ints(5)}});
            break;
        case 7: {
            std::vector<std::string> inputs {x, intInit(ints(8))};
            if (in_.ConsumeBool())
                inputs.push_back(floatInit({}));
            b_.node("Pad", inputs, {out}, {{"mode", std::string(in_.ConsumeBool() ? "reflect" : "edge")}});
            break;
        }
        case 8: {
            std::vector<std::string> inputs {x, intInit(ints(4)), intInit(ints(4))};
            if (in_.ConsumeBool())
                inputs.push_back(intInit(ints(4)));
            if (in_.ConsumeBool())
                inputs.push_back(intInit(ints(4)));
            b_.node("Slice", inputs, {out});
            break;
        }
        case 9:
            b_.node("Gather", {x, intInit(ints(4))}, {out}, {{"axis", smallInt()}});
            break;
        case 10: {
            static const char* modes[] = {"nearest", "linear", "cubic"};
            const bool useSizes = in_.ConsumeBool();
            std::vector<std::string> inputs {x, "",
                useSizes ? "" : floatInit({static_cast<std::int64_t>(in_.ConsumeIntegralInRange(0, 5))})};
            if (useSizes)
                inputs.push_back(intInit(ints(5)));
            b_.node("Resize", inputs, {out},
                {{"mode", std::string(modes[in_.ConsumeIntegralInRange(0, 2)])},
                    {"coordinate_transformation_mode",
                        std::string(in_.ConsumeBool() ? "asymmetric" : "half_pixel")}});
            break;
        }
        case 11:
            b_.node(in_.ConsumeBool() ? "MaxPool" : "AveragePool", {x}, {out},
                {{"kernel_shape", ints(3)}, {"strides", ints(3)}, {"pads", ints(6)}});
            break;
        case 12:
            b_.node("Concat", {x, floatInit(smallShape(rank))}, {out}, {{"axis", smallInt()}});
            break;
        case 13:
            b_.node(in_.ConsumeBool() ? "Expand" : "Tile", {x, intInit(ints(5))}, {out});
            break;
        case 14:
            b_.node(
                in_.ConsumeBool() ? "DepthToSpace" : "SpaceToDepth", {x}, {out}, {{"blocksize", smallInt()}});
            break;
        case 15: {
            const std::string s = floatInit(smallShape(1));
            const std::string z = "p" + std::to_string(counter_++);
            b_.initializer(z, Tensor::fromInt64s({}, {in_.ConsumeIntegralInRange<std::int64_t>(-130, 260)}),
                in_.ConsumeBool() ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8);
            const std::string mid = out + "_q";
            b_.node("QuantizeLinear", {x, s, z}, {mid}, {{"axis", smallInt()}});
            b_.node("DequantizeLinear", {mid, s, z}, {out}, {{"axis", smallInt()}});
            break;
        }
        case 16:
            b_.node("MultiThreshold", {x, floatInit(smallShape(2))}, {out},
                {{"out_scale", value()}, {"out_bias", value()}, {"data_layout", std::string("NCHW")}}, q);
            break;
        case 17:
            b_.node(in_.ConsumeBool() ? "Squeeze" : "Unsqueeze", {x, intInit(ints(3))}, {out});
            break;
        case 18:
            b_.node("Split", {x}, {out, out + "_b"}, {{"axis", smallInt()}, {"split", ints(3)}});
            break;
        default:
            b_.node(in_.ConsumeBool() ? "Softmax" : "Flatten", {x}, {out}, {{"axis", smallInt()}});
            break;
        }
        return out;
    }

    FuzzedDataProvider& in_;
    qs::ModelBuilder b_ {13};
    int counter_ = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const bool f64 = in.ConsumeBool();
    const onnx::ModelProto model = GraphFuzzer(in).build();
    // QS_FUZZ_SAVE_MODEL=path writes the built model (to turn a crashing input into a regression file).
    if (const char* save = std::getenv("QS_FUZZ_SAVE_MODEL"))
        std::ofstream(save, std::ios::binary) << model.SerializeAsString();
    qs::Limits limits = qs::fuzz::fuzzLimits();
    limits.maxTensorBytes = std::int64_t(1) << 20;
    try {
        auto doc = qs::ModelDocument::fromProto(model, qs::fuzz::scratchFolder(), limits);
        (void)qs::computeInferenceCost(*doc);
        qs::ExecutorOptions options;
        options.limits = limits;
        options.precision = f64 ? qs::Precision::Float64 : qs::Precision::Float32;
        qs::Executor executor(*doc, options);
        (void)executor.run(qs::randomInputs(*doc, 1));
        // What the GUI runs after every edit: the quantized and float-shadow runs and the dynamic
        // analyses on them (error, value ranges, observed accumulators).
        qs::AnalysisOptions analysis;
        analysis.batch = 1;
        (void)qs::analyzeModel(*doc, analysis);
    } catch (const qs::Error&) {
    }
    return 0;
}
