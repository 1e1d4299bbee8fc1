// Reduce, Softmax, TopK, Pad, DepthToSpace, Quantize/DequantizeLinear, MultiThreshold, thread pool.
#include "core/kernels/depthtospace.h"
#include "core/kernels/multithreshold.h"
#include "core/kernels/pad.h"
#include "core/kernels/quantizelinear.h"
#include "core/kernels/reduce.h"
#include "core/kernels/softmax.h"
#include "core/kernels/threadpool.h"
#include "core/kernels/topk.h"
#include "core/util/error.h"

#include <atomic>
#include <cmath>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace qs;
using namespace qs::kernels;

namespace {

Tensor iota(Shape shape, DType type = DType::Float32, double start = 0)
{
    Tensor t(DType::Float64, std::move(shape));
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.data<double>()[i] = start + static_cast<double>(i);
    return t.cast(type);
}

void expectValues(const Tensor& t, const std::vector<double>& v, double tol = 1e-5)
{
    ASSERT_EQ(t.size(), static_cast<std::int64_t>(v.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        EXPECT_NEAR(t.at(i), v[static_cast<std::size_t>(i)], tol) << "at " << i;
}

} // namespace

TEST(Reduce, OnnxExamples)
{
    const Tensor x = iota({3, 2, 2}, DType::Float32, 1);
    ReduceAttrs at;
    at.axes = {1};
    Tensor y = reduce(ReduceOp::Sum, x, at);
    EXPECT_EQ(y.shape(), (Shape {3, 1, 2}));
    expectValues(y, {4, 6, 12, 14, 20, 22});
    expectValues(reduce(ReduceOp::Mean, x, at), {2, 3, 6, 7, 10, 11});
    expectValues(reduce(ReduceOp::Max, x, at), {3, 4, 7, 8, 11, 12});
    expectValues(reduce(ReduceOp::Min, x, at), {1, 2, 5, 6, 9, 10});
    at.keepdims = false;
    at.axes = {-1, 0};
    y = reduce(ReduceOp::Sum, x, at);
    EXPECT_EQ(y.shape(), (Shape {2}));
    expectValues(y, {1 + 2 + 5 + 6 + 9 + 10, 3 + 4 + 7 + 8 + 11 + 12});
    at.axes = {};
    EXPECT_EQ(reduce(ReduceOp::Sum, x, at).shape(), (Shape {}));
    expectValues(reduce(ReduceOp::Sum, x, at), {78});
    at.noopWithEmptyAxes = true;
    EXPECT_EQ(reduce(ReduceOp::Sum, x, at).shape(), x.shape());
    const Tensor i = iota({2, 3}, DType::Int64);
    ReduceAttrs rows;
    rows.axes = {1};
    expectValues(reduce(ReduceOp::Sum, i, rows), {3, 12});
    expectValues(reduce(ReduceOp::L2, Tensor::fromFloats({2}, {3, 4}), {}), {5});
    expectValues(
        reduce(ReduceOp::LogSumExp, Tensor::fromFloats({2}, {1000, 1000}), {}), {1000 + std::log(2.0)}, 1e-3);
    rows.axes = {2};
    EXPECT_THROW(reduce(ReduceOp::Sum, i, rows), Error);
    rows.axes = {1, -1};
    EXPECT_THROW(reduce(ReduceOp::Sum, i, rows), Error);
    EXPECT_THROW(reduce(ReduceOp::Mean, i, {}), Error);
}

TEST(Softmax, AxisAndLegacyFlatten)
{
    expectValues(softmax(Tensor::fromFloats({1, 3}, {-1, 0, 1})), {0.09003057, 0.24472847, 0.66524096});
    expectValues(softmax(Tensor::fromFloats({1, 2}, {1000, 1000})), {0.5, 0.5});
    const Tensor x = Tensor::fromFloats({1, 2, 2}, {0, 0, 0, std::log(2.0f)});
    SoftmaxAttrs single {1, false};
    expectValues(softmax(x, single), {0.5, 1.0 / 3, 0.5, 2.0 / 3});
    SoftmaxAttrs legacy {1, true};
    expectValues(softmax(x, legacy), {0.2, 0.2, 0.2, 0.4});
    expectValues(logSoftmax(Tensor::fromFloats({2}, {0, 0})), {-std::log(2.0), -std::log(2.0)});
    expectValues(hardmax(Tensor::fromFloats({4}, {1, 3, 3, 2})), {0, 1, 0, 0});
    EXPECT_THROW(softmax(x, SoftmaxAttrs {3, false}), Error);
}

TEST(TopK, LargestSmallestAndTies)
{
    const Tensor x = iota({3, 4});
    TopKResult r = topK(x, 3);
    EXPECT_EQ(r.values.shape(), (Shape {3, 3}));
    expectValues(r.values, {3, 2, 1, 7, 6, 5, 11, 10, 9});
    EXPECT_EQ(r.indices.dtype(), DType::Int64);
    expectValues(r.indices, {3, 2, 1, 3, 2, 1, 3, 2, 1});
    const Tensor ties = Tensor::fromFloats({5}, {1, 3, 3, 1, 2});
    r = topK(ties, 3);
    expectValues(r.indices, {1, 2, 4});
    r = topK(ties, 2, TopKAttrs {0, false, true});
    expectValues(r.values, {1, 1});
    expectValues(r.indices, {0, 3});
    r = topK(iota({2, 3}), 1, TopKAttrs {0, true, true});
    expectValues(r.indices, {1, 1, 1});
    r = topK(Tensor::fromInt64s({3}, {5, -1, 7}), 2);
    expectValues(r.values, {7, 5});
    EXPECT_THROW(topK(x, 5), Error);
    EXPECT_THROW(topK(x, -1), Error);
    EXPECT_THROW(topK(x, 1, TopKAttrs {2, true, true}), Error);
    const Tensor nan = Tensor::fromFloats({3}, {1, std::nanf(""), 2});
    expectValues(topK(nan, 1).indices, {1});
}

TEST(Pad, OnnxModes)
{
    const Tensor x = Tensor::fromFloats({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
    PadAttrs at;
    at.pads = {0, 2, 0, 0};
    expectValues(pad(x, at), {0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f});
    at.mode = PadMode::Reflect;
    expectValues(pad(x, at), {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f});
    at.mode = PadMode::Edge;
    expectValues(pad(x, at), {1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f});
    at.mode = PadMode::Wrap;
    expectValues(pad(x, at), {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f});
    PadAttrs c;
    c.pads = {1, 1};
    c.axes = {-1};
    c.constantValue = 7;
    const Tensor i = pad(iota({2, 1}, DType::Int8), c);
    EXPECT_EQ(i.dtype(), DType::Int8);
    expectValues(i, {7, 0, 7, 7, 1, 7});
    PadAttrs crop;
    crop.pads = {-1, 0, 0, -1};
    expectValues(pad(x, crop), {2.3f, 4.5f});
    PadAttrs reflect;
    reflect.mode = PadMode::Reflect;
    reflect.pads = {3, 0};
    expectValues(pad(Tensor::fromFloats({3}, {1, 2, 3}), reflect), {2, 3, 2, 1, 2, 3});
    PadAttrs bad;
    bad.pads = {1, 2, 3};
    EXPECT_THROW(pad(x, bad), Error);
    bad.pads = {-4, 0, 0, 0};
    EXPECT_THROW(pad(x, bad), Error);
    EXPECT_THROW(parsePadMode("mirror"), Error);
}

TEST(DepthToSpace, OnnxExamplesBothModes)
{
    // x[0, c, h, w] = 9c + 3h + w, as in the ONNX example.
    Tensor x(DType::Float32, {1, 8, 2, 3});
    for (int c = 0; c < 8; ++c)
        for (int h = 0; h < 2; ++h)
            for (int w = 0; w < 3; ++w)
                x.data<float>()[(c * 2 + h) * 3 + w] = static_cast<float>(9 * c + 3 * h + w);
    const Tensor dcr = depthToSpace(x, 2, DepthToSpaceMode::DCR);
    EXPECT_EQ(dcr.shape(), (Shape {1, 2, 4, 6}));
    expectValues(dcr,
        {0, 18, 1, 19, 2, 20, 36, 54, 37, 55, 38, 56, 3, 21, 4, 22, 5, 23, 39, 57, 40, 58, 41, 59, 9, 27, 10,
            28, 11, 29, 45, 63, 46, 64, 47, 65, 12, 30, 13, 31, 14, 32, 48, 66, 49, 67, 50, 68});
    const Tensor crd = depthToSpace(x, 2, DepthToSpaceMode::CRD);
    expectValues(crd,
        {0, 9, 1, 10, 2, 11, 18, 27, 19, 28, 20, 29, 3, 12, 4, 13, 5, 14, 21, 30, 22, 31, 23, 32, 36, 45, 37,
            46, 38, 47, 54, 63, 55, 64, 56, 65, 39, 48, 40, 49, 41, 50, 57, 66, 58, 67, 59, 68});
    const Tensor back = spaceToDepth(dcr, 2);
    expectValues(back, x.toDoubles());
    EXPECT_THROW(depthToSpace(x, 3), Error);
    EXPECT_THROW(depthToSpace(x, 0), Error);
    EXPECT_THROW(depthToSpace(iota({8, 2, 3}), 2), Error);
}

TEST(QuantizeLinear, PerTensorPerAxisAndSaturation)
{
    // ONNX example: uint8 with zero point 128.
    const Tensor x = Tensor::fromFloats({6}, {0, 2, 3, 1000, -254, -1000});
    const Tensor scale = Tensor::scalar(2);
    const Tensor zp = Tensor::fromInt64s({}, {128}).cast(DType::UInt8);
    Tensor y = quantizeLinear(x, scale, &zp);
    EXPECT_EQ(y.dtype(), DType::UInt8);
    expectValues(y, {128, 129, 130, 255, 1, 0});
    // Round half to even, int8 saturation.
    const Tensor zi = Tensor::fromInt64s({}, {0}).cast(DType::Int8);
    y = quantizeLinear(Tensor::fromFloats({6}, {0.5f, 1.5f, 2.5f, -2.5f, 300, -300}), Tensor::scalar(1), &zi);
    EXPECT_EQ(y.dtype(), DType::Int8);
    expectValues(y, {0, 2, 2, -2, 127, -128});
    EXPECT_EQ(quantizeLinear(x, scale, nullptr).dtype(), DType::UInt8);
    // Per-axis along axis 1.
    const Tensor xa = Tensor::fromFloats({2, 3}, {2, 4, 6, -2, -4, -6});
    const Tensor sa = Tensor::fromFloats({3}, {1, 2, 3});
    const Tensor za = Tensor::fromInt64s({3}, {0, 1, 2}).cast(DType::Int8);
    expectValues(quantizeLinear(xa, sa, &za), {2, 3, 4, -2, -1, 0});
    expectValues(dequantizeLinear(quantizeLinear(xa, sa, &za), sa, &za), {2, 4, 6, -2, -4, -6});
    // Blocked (opset 21): blocks of 2 along axis 1.
    QuantAttrs blocked;
    blocked.blockSize = 2;
    const Tensor sb = Tensor::fromFloats({2, 2}, {1, 2, 4, 8});
    expectValues(quantizeLinear(xa, sb, nullptr, blocked), {2, 4, 3, 0, 0, 0});
    EXPECT_THROW(quantizeLinear(xa, Tensor::fromFloats({2}, {1, 2}), nullptr), Error);
    QuantAttrs badAxis;
    badAxis.axis = 2;
    EXPECT_THROW(quantizeLinear(xa, sa, nullptr, badAxis), Error);
    EXPECT_THROW(quantizeLinear(xa.cast(DType::Int64), sa, nullptr), Error);
}

TEST(DequantizeLinear, Types)
{
    const Tensor x = Tensor::fromInt64s({4}, {0, 3, 128, 255}).cast(DType::UInt8);
    const Tensor zp = Tensor::fromInt64s({}, {128}).cast(DType::UInt8);
    const Tensor y = dequantizeLinear(x, Tensor::scalar(2), &zp);
    EXPECT_EQ(y.dtype(), DType::Float32);
    expectValues(y, {-256, -250, 0, 254});
    const Tensor i32 = Tensor::fromInt64s({2}, {-1000, 2000}).cast(DType::Int32);
    expectValues(dequantizeLinear(i32, Tensor::fromDoubles({}, {0.5}), nullptr), {-500, 1000});
    const Tensor i8 = Tensor::fromInt64s({2}, {-128, 127}).cast(DType::Int8);
    expectValues(dequantizeLinear(i8, Tensor::scalar(0.5f), nullptr), {-64, 63.5});
    const Tensor badZp = Tensor::fromInt64s({}, {1}).cast(DType::Int32);
    EXPECT_THROW(dequantizeLinear(i32, Tensor::scalar(1), &badZp), Error);
    EXPECT_THROW(dequantizeLinear(Tensor::scalar(1), Tensor::scalar(1), nullptr), Error);
    EXPECT_THROW(dequantizeLinear(x, Tensor::scalar(1), &badZp), Error);
}

TEST(MultiThreshold, ChannelsLayoutsAndScaling)
{
    const Tensor th = Tensor::fromFloats({2, 3}, {0, 1, 2, -1, 5, 10});
    // NCHW [1, 2, 1, 2]: channel 0 gets 0.5, 2; channel 1 gets -1, 4.
    const Tensor x = Tensor::fromFloats({1, 2, 1, 2}, {0.5f, 2, -1, 4});
    expectValues(multiThreshold(x, th), {1, 3, 1, 1});
    MultiThresholdAttrs at;
    at.outScale = 2;
    at.outBias = -1;
    expectValues(multiThreshold(x, th, at), {1, 5, 1, 1});
    // NHWC [1, 1, 2, 2]: the last axis is the channel.
    MultiThresholdAttrs nhwc;
    nhwc.dataLayout = "NHWC";
    expectValues(multiThreshold(Tensor::fromFloats({1, 1, 2, 2}, {0.5f, -1, 2, 4}), th, nhwc), {1, 1, 3, 1});
    // One threshold row broadcasts to every channel; NaN passes none.
    const Tensor one = Tensor::fromFloats({1, 2}, {0, 1});
    expectValues(multiThreshold(Tensor::fromFloats({2, 3}, {-1, 0, 1, 5, std::nanf(""), 0.5f}), one),
        {0, 1, 2, 2, 0, 1});
    // Unsorted thresholds are still counted.
    expectValues(
        multiThreshold(Tensor::fromFloats({1, 1}, {1.5f}), Tensor::fromFloats({1, 3}, {2, 1, 0})), {2});
    EXPECT_EQ(multiThresholdChannelAxis(4, "NCHW"), 1);
    EXPECT_EQ(multiThresholdChannelAxis(4, "NHWC"), 3);
    EXPECT_EQ(multiThresholdChannelAxis(2, "NHWC"), 1);
    EXPECT_EQ(multiThresholdChannelAxis(3, "NWC"), 2);
    EXPECT_EQ(multiThresholdChannelAxis(3, "NCW"), 1);
    EXPECT_EQ(multiThresholdChannelAxis(3, "NCHW"), 2); // QONNX: other ranks use the last axis
    EXPECT_THROW(multiThreshold(x, Tensor::fromFloats({3, 1}, {0, 0, 0})), Error);
    EXPECT_THROW(multiThreshold(x, Tensor::fromFloats({3}, {0, 0, 0})), Error);
    EXPECT_THROW(multiThreshold(Tensor::fromFloats({2}, {0, 0}), one), Error);
}

TEST(ThreadPool, RunsEveryIndexOnceAndPropagatesErrors)
{
    for (int threads : {1, 2, 4}) {
        std::vector<std::atomic<int>> hits(1000);
        parallelFor(
            KernelContext {threads}, 0, 1000, [&](std::int64_t i) { hits[static_cast<std::size_t>(i)]++; });
        for (auto& h : hits)
            EXPECT_EQ(h.load(), 1);
    }
    EXPECT_THROW(parallelFor(KernelContext {3}, 0, 100,
                     [](std::int64_t i) {
                         if (i == 42)
                             throw Error("boom");
                     }),
        Error);
    // Nested calls run inline instead of deadlocking.
    std::atomic<int> total {0};
    parallelFor(KernelContext {2}, 0, 4,
        [&](std::int64_t) { parallelFor(KernelContext {2}, 0, 4, [&](std::int64_t) { total++; }); });
    EXPECT_EQ(total.load(), 16);
    EXPECT_LE(threadPoolWorkers(), 63);
}
