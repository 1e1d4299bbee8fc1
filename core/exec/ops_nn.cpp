// Bindings for the neural-network ops: convolutions, matrix products, pooling, normalization.
#include "core/exec/opregistry.h"
#include "core/kernels/conv.h"
#include "core/kernels/convgeometry.h"
#include "core/kernels/convtranspose.h"
#include "core/kernels/matmul.h"
#include "core/kernels/normalization.h"
#include "core/kernels/pooling.h"
#include "core/kernels/shapeops.h"
#include "core/util/error.h"

namespace qs {
namespace {

using namespace kernels;

AutoPad autoPadOf(const NodeCall& call)
{
    return parseAutoPad(call.stringAttribute("auto_pad", "NOTSET"));
}

// Geometry attributes outside any real network's range are refused before the kernels multiply them
// (a group or stride near INT64_MAX overflowed there; found by fuzzing). Bounds: kernel, stride and
// dilation in [1, 2^31], pads in [0, 2^31], group in [1, 2^31].
void checkGeometry(const NodeCall& call)
{
    constexpr std::int64_t kMax = std::int64_t(1) << 31;
    auto check = [&](const char* name, std::int64_t low) {
        for (std::int64_t v : call.intsAttribute(name))
            if (v < low || v > kMax)
                throw Error(
                    std::string("attribute '") + name + "' value " + std::to_string(v) + " is out of range");
    };
    check("kernel_shape", 1);
    check("strides", 1);
    check("dilations", 1);
    check("pads", 0);
    check("output_padding", 0);
    check("output_shape", 0);
    const std::int64_t group = call.intAttribute("group", 1);
    if (group < 1 || group > kMax)
        throw Error("attribute 'group' value " + std::to_string(group) + " is out of range");
}

ConvAttrs convAttrs(const NodeCall& call)
{
    checkGeometry(call);
    ConvAttrs a;
    a.kernelShape = call.intsAttribute("kernel_shape");
    a.strides = call.intsAttribute("strides");
    a.pads = call.intsAttribute("pads");
    a.dilations = call.intsAttribute("dilations");
    a.group = call.intAttribute("group", 1);
    a.autoPad = autoPadOf(call);
    return a;
}

PoolAttrs poolAttrs(const NodeCall& call)
{
    checkGeometry(call);
    PoolAttrs a;
    a.kernelShape = call.intsAttribute("kernel_shape");
    a.strides = call.intsAttribute("strides");
    a.pads = call.intsAttribute("pads");
    a.dilations = call.intsAttribute("dilations");
    a.autoPad = autoPadOf(call);
    a.ceilMode = call.intAttribute("ceil_mode", 0) != 0;
    a.countIncludePad = call.intAttribute("count_include_pad", 0) != 0;
    a.storageOrder = static_cast<int>(call.intAttribute("storage_order", 0));
    return a;
}

// Channels-last (NHWC) <-> NCHW permutations for rank-r tensors.
std::vector<std::int64_t> toChannelsFirst(int rank)
{
    std::vector<std::int64_t> perm {0, rank - 1};
    for (int i = 1; i < rank - 1; ++i)
        perm.push_back(i);
    return perm;
}

std::vector<std::int64_t> toChannelsLast(int rank)
{
    std::vector<std::int64_t> perm {0};
    for (int i = 2; i < rank; ++i)
        perm.push_back(i);
    perm.push_back(1);
    return perm;
}

std::vector<Tensor> runConv(const NodeCall& call)
{
    return outputs(
        conv(call.input(0), call.input(1), call.optionalInput(2), convAttrs(call), call.context()));
}

// qonnx.custom_op.channels_last::Conv: x [N, spatial..., C], w [Cout, k..., Cin/group].
std::vector<Tensor> runChannelsLastConv(const NodeCall& call)
{
    const Tensor& x = call.input(0);
    const Tensor& w = call.input(1);
    if (x.rank() < 3 || w.rank() != x.rank())
        throw Error("channels-last Conv needs input and weight of equal rank >= 3");
    const Tensor xFirst = transpose(x, toChannelsFirst(x.rank()));
    const Tensor wFirst = transpose(w, toChannelsFirst(w.rank()));
    const Tensor y = conv(xFirst, wFirst, call.optionalInput(2), convAttrs(call), call.context());
    return outputs(transpose(y, toChannelsLast(y.rank())));
}

std::vector<Tensor> runChannelsLastMaxPool(const NodeCall& call)
{
    const Tensor& x = call.input(0);
    if (x.rank() < 3)
        throw Error("channels-last MaxPool needs rank >= 3");
    const Tensor y = maxPool(transpose(x, toChannelsFirst(x.rank())), poolAttrs(call), call.context());
    return outputs(transpose(y, toChannelsLast(y.rank())));
}

std::vector<Tensor> runConvTranspose(const NodeCall& call)
{
    checkGeometry(call);
    ConvTransposeAttrs a;
    a.kernelShape = call.intsAttribute("kernel_shape");
    a.strides = call.intsAttribute("strides");
    a.pads = call.intsAttribute("pads");
    a.dilations = call.intsAttribute("dilations");
    a.outputPadding = call.intsAttribute("output_padding");
    a.outputShape = call.intsAttribute("output_shape");
    a.group = call.intAttribute("group", 1);
    a.autoPad = autoPadOf(call);
    return outputs(convTranspose(call.input(0), call.input(1), call.optionalInput(2), a, call.context()));
}

std::vector<Tensor> runGemm(const NodeCall& call)
{
    GemmAttrs a;
    a.alpha = call.floatAttribute("alpha", 1.0f);
    a.beta = call.floatAttribute("beta", 1.0f);
    a.transA = call.intAttribute("transA", 0) != 0;
    a.transB = call.intAttribute("transB", 0) != 0;
    return outputs(gemm(call.input(0), call.input(1), call.optionalInput(2), a, call.context()));
}

std::vector<Tensor> runMaxPool(const NodeCall& call)
{
    if (call.node().output_size() > 1 && !call.node().output(1).empty()) {
        MaxPoolResult r = maxPoolWithIndices(call.input(0), poolAttrs(call), call.context());
        return outputs(std::move(r.values), std::move(r.indices));
    }
    return outputs(maxPool(call.input(0), poolAttrs(call), call.context()));
}

std::vector<Tensor> runBatchNorm(const NodeCall& call)
{
    return outputs(batchNormalization(call.input(0), call.input(1), call.input(2), call.input(3),
        call.input(4), call.floatAttribute("epsilon", 1e-5f)));
}

} // namespace

void registerNeuralNetOps(OpRegistry& r)
{
    const std::string onnx = OpRegistry::kOnnx;
    r.add(onnx, "Conv", runConv);
    r.add(OpRegistry::kChannelsLast, "Conv", runChannelsLastConv);
    r.add(OpRegistry::kChannelsLast, "MaxPool", runChannelsLastMaxPool);
    r.add(onnx, "ConvTranspose", runConvTranspose);
    r.add(onnx, "Gemm", runGemm);
    r.add(onnx, "MatMul",
        [](const NodeCall& c) { return outputs(matMul(c.input(0), c.input(1), c.context())); });
    r.add(onnx, "MaxPool", runMaxPool);
    r.add(onnx, "AveragePool",
        [](const NodeCall& c) { return outputs(averagePool(c.input(0), poolAttrs(c), c.context())); });
    r.add(
        onnx, "GlobalAveragePool", [](const NodeCall& c) { return outputs(globalAveragePool(c.input(0))); });
    r.add(onnx, "GlobalMaxPool", [](const NodeCall& c) { return outputs(globalMaxPool(c.input(0))); });
    r.add(onnx, "BatchNormalization", runBatchNorm);
}

} // namespace qs
