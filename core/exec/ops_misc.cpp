// Bindings for reductions, Softmax, TopK, Resize / Upsample.
#include "core/exec/opregistry.h"
#include "core/kernels/reduce.h"
#include "core/kernels/resize.h"
#include "core/kernels/softmax.h"
#include "core/kernels/topk.h"
#include "core/util/error.h"

#include <algorithm>

namespace qs {
namespace {

using namespace kernels;
using Tensors = std::vector<Tensor>;

void addReduce(OpRegistry& r, const char* name, ReduceOp op, int axesInputSince)
{
    r.add(OpRegistry::kOnnx, name, [op, axesInputSince](const NodeCall& c) {
        ReduceAttrs a;
        a.keepdims = c.intAttribute("keepdims", 1) != 0;
        a.noopWithEmptyAxes = c.intAttribute("noop_with_empty_axes", 0) != 0;
        a.axes = c.opset() >= axesInputSince
            ? c.intsFromInputOrAttribute(1, "axes").value_or(std::vector<std::int64_t> {})
            : c.intsAttribute("axes");
        return outputs(reduce(op, c.input(0), a));
    });
}

void addSoftmax(OpRegistry& r, const char* name, Tensor (*fn)(const Tensor&, const SoftmaxAttrs&))
{
    r.add(OpRegistry::kOnnx, name, [fn](const NodeCall& c) {
        SoftmaxAttrs a;
        a.flattenTo2d = c.opset() < 13; // before opset 13 the input is coerced to 2-D at `axis`
        a.axis = c.intAttribute("axis", a.flattenTo2d ? 1 : -1);
        return outputs(fn(c.input(0), a));
    });
}

ResizeMode resizeMode(const std::string& mode)
{
    if (mode == "nearest")
        return ResizeMode::Nearest;
    if (mode == "linear" || mode == "bilinear" || mode == "trilinear")
        return ResizeMode::Linear;
    if (mode == "cubic")
        return ResizeMode::Cubic;
    throw Error("unknown resize mode '" + mode + "'");
}

CoordinateTransform coordinateTransform(const std::string& mode)
{
    if (mode == "half_pixel")
        return CoordinateTransform::HalfPixel;
    if (mode == "asymmetric")
        return CoordinateTransform::Asymmetric;
    if (mode == "align_corners")
        return CoordinateTransform::AlignCorners;
    if (mode == "pytorch_half_pixel")
        return CoordinateTransform::PytorchHalfPixel;
    if (mode == "tf_crop_and_resize")
        return CoordinateTransform::TfCropAndResize;
    if (mode == "tf_half_pixel_for_nn")
        return CoordinateTransform::TfHalfPixelForNN;
    if (mode == "half_pixel_symmetric")
        return CoordinateTransform::HalfPixelSymmetric;
    throw Error("unknown coordinate_transformation_mode '" + mode + "'");
}

NearestMode nearestMode(const std::string& mode)
{
    if (mode == "round_prefer_floor")
        return NearestMode::RoundPreferFloor;
    if (mode == "round_prefer_ceil")
        return NearestMode::RoundPreferCeil;
    if (mode == "floor")
        return NearestMode::Floor;
    if (mode == "ceil")
        return NearestMode::Ceil;
    throw Error("unknown nearest_mode '" + mode + "'");
}

std::vector<float> floatsOf(const Tensor* t)
{
    std::vector<float> v;
    if (t)
        for (std::int64_t i = 0; i < t->size(); ++i)
            v.push_back(static_cast<float>(t->at(i)));
    return v;
}

// The Resize kernel builds per-axis tap tables (several doubles per output index) before allocating
// the output, so one huge axis next to an empty one exhausted memory despite the allocation limit
// (found by fuzzing). Refuse output axes whose tables or whose total would exceed the limit.
void checkResizeOutput(const Tensor& x, const std::vector<float>& scales,
    const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& axes)
{
    const std::int64_t limit = AllocationLimit::current();
    if (limit < 0)
        return;
    const std::size_t n = std::max(scales.size(), sizes.size());
    double total = 1;
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t axis = axes.empty() ? static_cast<std::int64_t>(i) : (i < axes.size() ? axes[i] : -1000);
        if (axis < 0)
            axis += x.rank();
        if (axis < 0 || axis >= x.rank())
            return; // the kernel reports the mismatch
        const double in = static_cast<double>(x.shape()[static_cast<std::size_t>(axis)]);
        const double out
            = i < sizes.size() ? static_cast<double>(sizes[i]) : in * static_cast<double>(scales[i]);
        if (!(out <= static_cast<double>(limit) / 64))
            throw Error("Resize output axis " + std::to_string(axis) + " would have " + std::to_string(out)
                + " elements, above the allocation limit");
        total *= std::max(out, 0.0);
    }
    if (total > static_cast<double>(limit) / static_cast<double>(dtypeSize(x.dtype())))
        throw Error(
            "Resize output is above the allocation limit of " + std::to_string(limit / 1000000) + " MB");
}

Tensors runResize(const NodeCall& c)
{
    ResizeAttrs a;
    a.mode = resizeMode(c.stringAttribute("mode", "nearest"));
    if (c.opset() < 11) { // Resize-10: (X, scales), asymmetric nearest-floor semantics
        a.coordinateTransform = CoordinateTransform::Asymmetric;
        a.nearestMode = NearestMode::Simple;
        const std::vector<float> scales = floatsOf(&c.input(1));
        checkResizeOutput(c.input(0), scales, {}, {});
        return outputs(resize(c.input(0), scales, {}, a));
    }
    a.coordinateTransform
        = coordinateTransform(c.stringAttribute("coordinate_transformation_mode", "half_pixel"));
    a.nearestMode = nearestMode(c.stringAttribute("nearest_mode", "round_prefer_floor"));
    a.cubicCoeffA = c.floatAttribute("cubic_coeff_a", -0.75f);
    a.excludeOutside = c.intAttribute("exclude_outside", 0) != 0;
    a.extrapolationValue = c.floatAttribute("extrapolation_value", 0.0f);
    a.axes = c.intsAttribute("axes");
    std::vector<double> roi;
    if (const Tensor* t = c.optionalInput(1))
        roi = t->toDoubles();
    std::vector<std::int64_t> sizes;
    if (const Tensor* t = c.optionalInput(3))
        for (std::int64_t i = 0; i < t->size(); ++i)
            sizes.push_back(t->atInt(i));
    const std::vector<float> scales = floatsOf(c.optionalInput(2));
    checkResizeOutput(c.input(0), scales, sizes, a.axes);
    return outputs(resize(c.input(0), scales, sizes, a, roi));
}

Tensors runUpsample(const NodeCall& c)
{
    const ResizeMode mode = resizeMode(c.stringAttribute("mode", "nearest"));
    const std::vector<float> scales = c.opset() < 9 ? c.floatsAttribute("scales") : floatsOf(&c.input(1));
    checkResizeOutput(c.input(0), scales, {}, {});
    return outputs(upsample(c.input(0), scales, mode));
}

Tensors runTopK(const NodeCall& c)
{
    TopKAttrs a;
    a.axis = c.intAttribute("axis", -1);
    a.largest = c.intAttribute("largest", 1) != 0;
    a.sorted = c.intAttribute("sorted", 1) != 0;
    const std::int64_t k = c.opset() < 10 ? c.intAttribute("k", 1) : c.input(1).atInt(0);
    TopKResult r = topK(c.input(0), k, a);
    return outputs(std::move(r.values), std::move(r.indices));
}

} // namespace

void registerMiscOps(OpRegistry& r)
{
    addReduce(r, "ReduceSum", ReduceOp::Sum, 13);
    addReduce(r, "ReduceMean", ReduceOp::Mean, 18);
    addReduce(r, "ReduceMax", ReduceOp::Max, 18);
    addReduce(r, "ReduceMin", ReduceOp::Min, 18);
    addReduce(r, "ReduceProd", ReduceOp::Prod, 18);
    addReduce(r, "ReduceSumSquare", ReduceOp::SumSquare, 18);
    addReduce(r, "ReduceL1", ReduceOp::L1, 18);
    addReduce(r, "ReduceL2", ReduceOp::L2, 18);
    addReduce(r, "ReduceLogSumExp", ReduceOp::LogSumExp, 18);
    addSoftmax(r, "Softmax", softmax);
    addSoftmax(r, "LogSoftmax", logSoftmax);
    addSoftmax(r, "Hardmax", hardmax);
    r.add(OpRegistry::kOnnx, "Resize", runResize);
    r.add(OpRegistry::kOnnx, "Upsample", runUpsample);
    r.add(OpRegistry::kOnnx, "TopK", runTopK);
}

} // namespace qs
