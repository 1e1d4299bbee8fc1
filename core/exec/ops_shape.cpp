// Bindings for shape and data-movement ops. Where ONNX moved attributes to inputs across opsets,
// both forms are accepted.
#include "core/exec/opregistry.h"
#include "core/kernels/cast.h"
#include "core/kernels/depthtospace.h"
#include "core/kernels/pad.h"
#include "core/kernels/shapeops.h"
#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <cstring>

namespace qs {
namespace {

using namespace kernels;
using Tensors = std::vector<Tensor>;

std::vector<std::int64_t> requiredInts(const NodeCall& c, std::size_t input, const std::string& attribute)
{
    auto values = c.intsFromInputOrAttribute(input, attribute);
    if (!values)
        throw Error("'" + attribute + "' is missing (neither an input nor an attribute)");
    return *values;
}

Tensors runReshape(const NodeCall& c)
{
    const std::vector<std::int64_t> target
        = c.opset() < 5 ? c.intsAttribute("shape") : requiredInts(c, 1, "shape");
    return outputs(reshape(c.input(0), target, c.intAttribute("allowzero", 0) != 0));
}

Tensors runSqueeze(const NodeCall& c)
{
    return outputs(
        squeeze(c.input(0), c.intsFromInputOrAttribute(1, "axes").value_or(std::vector<std::int64_t> {})));
}

Tensors runUnsqueeze(const NodeCall& c)
{
    return outputs(unsqueeze(c.input(0), requiredInts(c, 1, "axes")));
}

Tensors runSlice(const NodeCall& c)
{
    if (c.opset() < 10)
        return outputs(
            slice(c.input(0), c.intsAttribute("starts"), c.intsAttribute("ends"), c.intsAttribute("axes")));
    return outputs(slice(c.input(0), requiredInts(c, 1, "starts"), requiredInts(c, 2, "ends"),
        c.intsFromInputOrAttribute(3, "axes").value_or(std::vector<std::int64_t> {}),
        c.intsFromInputOrAttribute(4, "steps").value_or(std::vector<std::int64_t> {})));
}

Tensors runSplit(const NodeCall& c)
{
    const auto splits = c.intsFromInputOrAttribute(1, "split").value_or(std::vector<std::int64_t> {});
    // Sizes beyond the input's element count cannot add up to a dim; refusing them here keeps the
    // kernel's sum from overflowing on hostile values (found by fuzzing).
    for (std::int64_t size : splits)
        if (size < 0 || size > c.input(0).size())
            throw Error("split size " + std::to_string(size) + " does not fit the input "
                + shapeToString(c.input(0).shape()));
    std::int64_t outputs = c.intAttribute("num_outputs", 0);
    if (outputs == 0 && splits.empty())
        outputs = c.node().output_size();
    return split(c.input(0), c.intAttribute("axis", 0), splits, outputs);
}

// The Tile kernel builds per-axis index maps as long as the output dims before the output tensor
// (which the allocation limit guards) exists; check the output size first (found by fuzzing).
Tensors runTile(const NodeCall& c)
{
    const Tensor& x = c.input(0);
    const std::vector<std::int64_t> repeats = requiredInts(c, 1, "repeats");
    if (static_cast<int>(repeats.size()) == x.rank()) {
        Shape out(x.shape());
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (repeats[i] < 0)
                throw Error("Tile: negative repeat " + std::to_string(repeats[i]));
            out[i] = elementCount({out[i], repeats[i]});
        }
        // The output, and each axis' int64 index map (allocated even when another axis is 0).
        const std::int64_t limit = AllocationLimit::current();
        bool tooBig
            = limit >= 0 && elementCount(out) > limit / static_cast<std::int64_t>(dtypeSize(x.dtype()));
        for (std::int64_t d : out)
            tooBig = tooBig || (limit >= 0 && d > limit / 8);
        if (tooBig)
            throw Error("Tile output " + shapeToString(out) + " is above the allocation limit of "
                + std::to_string(limit / 1000000) + " MB");
    }
    return outputs(tile(x, repeats));
}

Tensors runConcat(const NodeCall& c)
{
    std::vector<const Tensor*> inputs;
    for (std::size_t i = 0; i < c.inputCount(); ++i)
        inputs.push_back(&c.input(i));
    return outputs(concat(inputs, c.intAttribute("axis", 0)));
}

Tensors runPad(const NodeCall& c)
{
    PadAttrs a;
    const std::string mode = c.stringAttribute("mode", "constant");
    a.mode = mode == "reflect" ? PadMode::Reflect
        : mode == "edge"       ? PadMode::Edge
        : mode == "wrap"       ? PadMode::Wrap
                               : PadMode::Constant;
    if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
        throw Error("unknown pad mode '" + mode + "'");
    if (c.opset() < 11) {
        a.pads = c.intsAttribute("pads");
        a.constantValue = c.floatAttribute("value", 0.0f);
    } else {
        a.pads = requiredInts(c, 1, "pads");
        if (const Tensor* v = c.optionalInput(2); v && v->size() > 0)
            a.constantValue = v->at(0);
        a.axes = c.intsFromInputOrAttribute(3, "axes").value_or(std::vector<std::int64_t> {});
    }
    return outputs(pad(c.input(0), a));
}

Tensors runCast(const NodeCall& c)
{
    const int to = static_cast<int>(c.intAttribute("to", 0));
    return outputs(cast(c.input(0), dtypeFromOnnx(to, "Cast target")));
}

Tensors runConstant(const NodeCall& c)
{
    if (const onnx::TensorProto* t = c.tensorAttribute("value"))
        return outputs(tensorFromProto(*t, {}));
    if (c.hasAttribute("value_float"))
        return outputs(Tensor::scalar(c.floatAttribute("value_float", 0)));
    if (c.hasAttribute("value_int"))
        return outputs(Tensor::fromInt64s({}, {c.intAttribute("value_int", 0)}));
    if (c.hasAttribute("value_floats")) {
        const auto v = c.floatsAttribute("value_floats");
        return outputs(Tensor::fromFloats({static_cast<std::int64_t>(v.size())}, v));
    }
    if (c.hasAttribute("value_ints")) {
        const auto v = c.intsAttribute("value_ints");
        return outputs(Tensor::fromInt64s({static_cast<std::int64_t>(v.size())}, v));
    }
    throw Error("Constant without a supported value attribute");
}

Tensors runConstantOfShape(const NodeCall& c)
{
    const Tensor& shapeTensor = c.input(0);
    Shape shape;
    for (std::int64_t i = 0; i < shapeTensor.size(); ++i)
        shape.push_back(shapeTensor.atInt(i));
    if (const onnx::TensorProto* v = c.tensorAttribute("value")) {
        const Tensor value = tensorFromProto(*v, {});
        Tensor out(value.dtype(), shape);
        const std::size_t bytes = dtypeSize(value.dtype());
        for (std::int64_t i = 0; i < out.size(); ++i)
            std::memcpy(out.rawData() + i * static_cast<std::int64_t>(bytes), value.rawData(), bytes);
        return outputs(std::move(out));
    }
    return outputs(Tensor(DType::Float32, shape));
}

Tensors runShape(const NodeCall& c)
{
    std::optional<std::int64_t> start, end;
    if (c.hasAttribute("start"))
        start = c.intAttribute("start", 0);
    if (c.hasAttribute("end"))
        end = c.intAttribute("end", 0);
    return outputs(shapeOf(c.input(0), start, end));
}

Tensors runDepthToSpace(const NodeCall& c)
{
    const std::string mode = c.stringAttribute("mode", "DCR");
    if (mode != "DCR" && mode != "CRD")
        throw Error("unknown DepthToSpace mode '" + mode + "'");
    return outputs(depthToSpace(c.input(0), c.intAttribute("blocksize", 0),
        mode == "CRD" ? DepthToSpaceMode::CRD : DepthToSpaceMode::DCR));
}

} // namespace

void registerShapeOps(OpRegistry& r)
{
    const std::string onnx = OpRegistry::kOnnx;
    r.add(onnx, "Reshape", runReshape);
    r.add(onnx, "Flatten",
        [](const NodeCall& c) { return outputs(flatten(c.input(0), c.intAttribute("axis", 1))); });
    r.add(onnx, "Transpose",
        [](const NodeCall& c) { return outputs(transpose(c.input(0), c.intsAttribute("perm"))); });
    r.add(onnx, "Concat", runConcat);
    r.add(onnx, "Split", runSplit);
    r.add(onnx, "Slice", runSlice);
    r.add(onnx, "Gather",
        [](const NodeCall& c) { return outputs(gather(c.input(0), c.input(1), c.intAttribute("axis", 0))); });
    r.add(onnx, "Squeeze", runSqueeze);
    r.add(onnx, "Unsqueeze", runUnsqueeze);
    r.add(onnx, "Expand",
        [](const NodeCall& c) { return outputs(expand(c.input(0), requiredInts(c, 1, "shape"))); });
    r.add(onnx, "Tile", runTile);
    r.add(onnx, "Shape", runShape);
    r.add(onnx, "Pad", runPad);
    r.add(onnx, "DepthToSpace", runDepthToSpace);
    r.add(onnx, "SpaceToDepth",
        [](const NodeCall& c) { return outputs(spaceToDepth(c.input(0), c.intAttribute("blocksize", 0))); });
    r.add(onnx, "Cast", runCast);
    r.add(onnx, "Constant", runConstant);
    r.add(onnx, "ConstantOfShape", runConstantOfShape);
    // Inference-time Dropout is the identity (the optional mask output is all true).
    r.add(onnx, "Dropout", [](const NodeCall& c) {
        Tensors out {identity(c.input(0))};
        if (c.node().output_size() > 1) {
            Tensor mask(DType::Bool, c.input(0).shape());
            for (auto& m : mask.values<std::uint8_t>())
                m = 1;
            out.push_back(std::move(mask));
        }
        return out;
    });
}

} // namespace qs
