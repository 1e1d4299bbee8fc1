#include "core/numerics/bops.h"

#include "core/util/broadcast.h"
#include "core/util/error.h"
#include "core/util/tensor.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace qs {

namespace {

std::int64_t mul(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw Error("MAC count overflows 64 bits");
    return r;
}

// Product of dims [from, end) of a shape (elementCount checks for negative dims and overflow).
std::int64_t product(const std::vector<std::int64_t>& shape, std::size_t from)
{
    return elementCount(
        Shape(shape.begin() + static_cast<std::ptrdiff_t>(std::min(from, shape.size())), shape.end()));
}

[[noreturn]] void badShapes(const char* op, const std::string& why)
{
    throw Error(std::string(op) + ": " + why);
}

void checkConvRanks(const char* op, const std::vector<std::int64_t>& in, const std::vector<std::int64_t>& w,
    const std::vector<std::int64_t>& out, std::int64_t group)
{
    if (in.size() < 3 || w.size() != in.size() || out.size() != in.size())
        badShapes(op,
            "input " + shapeToString(in) + ", weight " + shapeToString(w) + " and output "
                + shapeToString(out) + " must have the same rank >= 3");
    if (group < 1)
        badShapes(op, "group " + std::to_string(group) + " must be at least 1");
    if (out[0] != in[0])
        badShapes(
            op, "batch of input " + shapeToString(in) + " and output " + shapeToString(out) + " differ");
}

} // namespace

MacCount convMacs(const std::vector<std::int64_t>& inputShape, const std::vector<std::int64_t>& weightShape,
    const std::vector<std::int64_t>& outputShape, std::int64_t group)
{
    checkConvRanks("Conv", inputShape, weightShape, outputShape, group);
    const std::int64_t cOut = weightShape[0];
    if (outputShape[1] != cOut || cOut % group != 0 || mul(weightShape[1], group) != inputShape[1])
        badShapes("Conv",
            "weight " + shapeToString(weightShape) + " does not match input " + shapeToString(inputShape)
                + ", output " + shapeToString(outputShape) + " and group " + std::to_string(group));
    MacCount m;
    m.k = product(weightShape, 1);
    m.outputElements = product(outputShape, 0);
    m.macs = mul(m.outputElements, m.k);
    return m;
}

MacCount convTransposeMacs(const std::vector<std::int64_t>& inputShape,
    const std::vector<std::int64_t>& weightShape, const std::vector<std::int64_t>& outputShape,
    std::int64_t group)
{
    checkConvRanks("ConvTranspose", inputShape, weightShape, outputShape, group);
    const std::int64_t cIn = inputShape[1];
    if (weightShape[0] != cIn || cIn % group != 0 || mul(weightShape[1], group) != outputShape[1])
        badShapes("ConvTranspose",
            "weight " + shapeToString(weightShape) + " does not match input " + shapeToString(inputShape)
                + ", output " + shapeToString(outputShape) + " and group " + std::to_string(group));
    MacCount m;
    // Every input element is multiplied by all (C_out/group) * prod(k) taps of its group.
    m.macs = mul(product(inputShape, 0), product(weightShape, 1));
    m.k = mul(cIn / group, product(weightShape, 2));
    m.outputElements = product(outputShape, 0);
    return m;
}

MacCount gemmMacs(const std::vector<std::int64_t>& aShape, const std::vector<std::int64_t>& bShape,
    bool transA, bool transB)
{
    if (aShape.size() != 2 || bShape.size() != 2)
        badShapes("Gemm", "A " + shapeToString(aShape) + " and B " + shapeToString(bShape) + " must be 2-D");
    const std::int64_t rows = transA ? aShape[1] : aShape[0];
    const std::int64_t k = transA ? aShape[0] : aShape[1];
    const std::int64_t kB = transB ? bShape[1] : bShape[0];
    const std::int64_t cols = transB ? bShape[0] : bShape[1];
    if (k != kB)
        badShapes("Gemm",
            "inner dimensions of A " + shapeToString(aShape) + " and B " + shapeToString(bShape)
                + " differ (transA " + std::to_string(transA) + ", transB " + std::to_string(transB) + ")");
    MacCount m;
    m.k = k;
    m.outputElements = mul(product({rows}, 0), product({cols}, 0));
    m.macs = mul(m.outputElements, k);
    return m;
}

MacCount matMulMacs(const std::vector<std::int64_t>& aShape, const std::vector<std::int64_t>& bShape)
{
    if (aShape.empty() || bShape.empty())
        badShapes("MatMul", "operands must have rank >= 1");
    const std::int64_t k = aShape.back();
    const std::int64_t kB = bShape.size() == 1 ? bShape[0] : bShape[bShape.size() - 2];
    if (k != kB)
        badShapes("MatMul",
            "inner dimensions of " + shapeToString(aShape) + " and " + shapeToString(bShape) + " differ");
    // numpy: batch dims broadcast; a 1-D operand contributes no row / column dim to the output.
    const Shape aBatch(aShape.begin(), aShape.end() - std::min<std::ptrdiff_t>(2, std::ssize(aShape)));
    const Shape bBatch(bShape.begin(), bShape.end() - std::min<std::ptrdiff_t>(2, std::ssize(bShape)));
    Shape out = broadcastShapes(aBatch, bBatch);
    if (aShape.size() >= 2)
        out.push_back(aShape[aShape.size() - 2]);
    if (bShape.size() >= 2)
        out.push_back(bShape.back());
    MacCount m;
    m.k = k;
    m.outputElements = elementCount(out);
    m.macs = mul(m.outputElements, k);
    return m;
}

MacCount upsampleMacs(const std::vector<std::int64_t>& inputShape,
    const std::vector<std::int64_t>& outputShape, std::span<const double> scales, std::string_view mode)
{
    if (inputShape.size() < 2 || outputShape.size() != inputShape.size())
        badShapes("Upsample",
            "input " + shapeToString(inputShape) + " and output " + shapeToString(outputShape)
                + " must have the same rank >= 2");
    MacCount m;
    m.outputElements = product(outputShape, 0);
    if (mode == "nearest")
        return m; // data is only copied
    if (mode != "linear")
        badShapes("Upsample", "mode '" + std::string(mode) + "' is not supported (nearest, linear)");
    // qonnx: two MACs per scaled dimension and output pixel.
    const auto scaled = static_cast<std::int64_t>(
        std::count_if(scales.begin(), scales.end(), [](double s) { return s > 1.0; }));
    m.macs = mul(mul(2 * scaled, mul(inputShape[0], inputShape[1])), product(outputShape, 2));
    return m;
}

double weightDensity(std::span<const std::int64_t> weights)
{
    if (weights.empty())
        return 1.0;
    const auto nonZero = std::count_if(weights.begin(), weights.end(), [](std::int64_t v) { return v != 0; });
    return static_cast<double>(nonZero) / static_cast<double>(weights.size());
}

double weightDensity(std::span<const double> weights)
{
    if (weights.empty())
        return 1.0;
    const auto nonZero = std::count_if(weights.begin(), weights.end(), [](double v) { return v != 0.0; });
    return static_cast<double>(nonZero) / static_cast<double>(weights.size());
}

namespace {

void checkBopsInputs(int inputBits, int weightBits, double density)
{
    if (inputBits < 1 || weightBits < 1)
        throw Error("BOPs: operand bit widths must be at least 1 (got " + std::to_string(inputBits) + " and "
            + std::to_string(weightBits) + ")");
    if (!(density >= 0.0 && density <= 1.0))
        throw Error("BOPs: weight density " + std::to_string(density) + " outside [0, 1]");
}

} // namespace

Bops computeBops(const MacCount& macs, int inputBits, int weightBits, double density)
{
    checkBopsInputs(inputBits, weightBits, density);
    const double ba = inputBits;
    const double bw = weightBits;
    const double log2K = macs.k >= 1 ? std::log2(static_cast<double>(macs.k)) : 0.0;
    Bops b;
    b.macsDense = static_cast<double>(macs.macs);
    b.macsSparse = b.macsDense * density;
    b.qonnxDense = b.macsDense * ba * bw;
    b.qonnxSparse = b.macsSparse * ba * bw;
    b.uniq = b.macsDense * (ba * bw + ba + bw + log2K);
    b.uniqPruned = b.macsDense * (density * ba * bw + ba + bw + log2K);
    return b;
}

double accumulatorAwareBops(const MacCount& macs, int inputBits, int weightBits, int accBits, double density)
{
    checkBopsInputs(inputBits, weightBits, density);
    if (accBits < 1)
        throw Error("BOPs: accumulator width must be at least 1");
    return static_cast<double>(macs.macs) * (density * inputBits * weightBits + accBits);
}

} // namespace qs
