// MaxPool / AveragePool / global pools: hand-computed cases, ONNX spec examples and errors.
#include "core/kernels/normalization.h"
#include "core/kernels/pooling.h"
#include "core/util/error.h"

#include <gtest/gtest.h>

using namespace qs;
using namespace qs::kernels;

namespace {

Tensor iota(Shape shape)
{
    Tensor t(DType::Float32, std::move(shape));
    for (std::int64_t i = 0; i < t.size(); ++i)
        t.data<float>()[i] = static_cast<float>(i + 1);
    return t;
}

void expectValues(const Tensor& t, const std::vector<double>& v)
{
    ASSERT_EQ(t.size(), static_cast<std::int64_t>(v.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        EXPECT_NEAR(t.at(i), v[static_cast<std::size_t>(i)], 1e-5) << "at " << i;
}

} // namespace

TEST(Pooling, MaxPool2dDefault)
{
    // ONNX maxpool_2d_default: 2x2 kernel, stride 1 on a 4x4 ramp.
    PoolAttrs at;
    at.kernelShape = {2, 2};
    const Tensor y = maxPool(iota({1, 1, 4, 4}), at);
    EXPECT_EQ(y.shape(), (Shape {1, 1, 3, 3}));
    expectValues(y, {6, 7, 8, 10, 11, 12, 14, 15, 16});
}

TEST(Pooling, MaxPoolPadsStridesDilationsAndIndices)
{
    // ONNX maxpool_2d_precomputed_pads: 5x5, kernel 5, pads 2.
    PoolAttrs at;
    at.kernelShape = {5, 5};
    at.pads = {2, 2, 2, 2};
    const Tensor y = maxPool(iota({1, 1, 5, 5}), at);
    expectValues(y,
        {13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25});
    // ONNX maxpool_2d_dilations: 4x4, kernel 2, dilation 2.
    PoolAttrs d;
    d.kernelShape = {2, 2};
    d.dilations = {2, 2};
    expectValues(maxPool(iota({1, 1, 4, 4}), d), {11, 12, 15, 16});
    // Indices count the batch and channel too.
    PoolAttrs s;
    s.kernelShape = {2, 2};
    s.strides = {2, 2};
    const MaxPoolResult r = maxPoolWithIndices(iota({1, 2, 4, 4}), s);
    expectValues(r.values, {6, 8, 14, 16, 22, 24, 30, 32});
    EXPECT_EQ(r.indices.dtype(), DType::Int64);
    expectValues(r.indices, {5, 7, 13, 15, 21, 23, 29, 31});
    s.storageOrder = 1;
    expectValues(maxPoolWithIndices(iota({1, 1, 4, 4}), s).indices, {5, 13, 7, 15});
}

TEST(Pooling, CeilModeDropsWindowsStartingInPadding)
{
    // ONNX maxpool_2d_ceil: 4x4, kernel 3, stride 2, ceil -> 2x2.
    PoolAttrs at;
    at.kernelShape = {3, 3};
    at.strides = {2, 2};
    at.ceilMode = true;
    const Tensor y = maxPool(iota({1, 1, 4, 4}), at);
    EXPECT_EQ(y.shape(), (Shape {1, 1, 2, 2}));
    expectValues(y, {11, 12, 15, 16});
    // 1-D: in 5, kernel 2, stride 2, ceil -> 3 windows; the last one covers only element 5.
    PoolAttrs one;
    one.kernelShape = {2};
    one.strides = {2};
    one.ceilMode = true;
    expectValues(averagePool(iota({1, 1, 5}), one), {1.5, 3.5, 5});
    // With pad 1 and kernel 2 stride 2 on 4: floor gives 3, ceil would give a 4th window starting
    // in the end padding, which is dropped.
    one.pads = {1, 1};
    EXPECT_EQ(maxPool(iota({1, 1, 4}), one).shape(), (Shape {1, 1, 3}));
}

TEST(Pooling, AveragePoolCountIncludePad)
{
    PoolAttrs at;
    at.kernelShape = {3, 3};
    at.pads = {1, 1, 1, 1};
    const Tensor x = iota({1, 1, 3, 3});
    // Corner window covers 1,2,4,5.
    EXPECT_NEAR(averagePool(x, at).at(0), 3.0, 1e-6);
    at.countIncludePad = true;
    EXPECT_NEAR(averagePool(x, at).at(0), 12.0 / 9.0, 1e-6);
    // ONNX averagepool_2d_same_upper: 5x5 ramp, kernel 2, SAME_UPPER.
    PoolAttrs same;
    same.kernelShape = {2, 2};
    same.autoPad = AutoPad::SameUpper;
    const Tensor y = averagePool(iota({1, 1, 5, 5}), same);
    EXPECT_EQ(y.shape(), (Shape {1, 1, 5, 5}));
    expectValues(y,
        {4, 5, 6, 7, 7.5, 9, 10, 11, 12, 12.5, 14, 15, 16, 17, 17.5, 19, 20, 21, 22, 22.5, 21.5, 22.5, 23.5,
            24.5, 25});
}

TEST(Pooling, GlobalPools3d)
{
    const Tensor x = iota({2, 2, 2, 2, 2});
    const Tensor avg = globalAveragePool(x);
    EXPECT_EQ(avg.shape(), (Shape {2, 2, 1, 1, 1}));
    expectValues(avg, {4.5, 12.5, 20.5, 28.5});
    expectValues(globalMaxPool(x), {8, 16, 24, 32});
}

TEST(Pooling, Errors)
{
    const Tensor x = iota({1, 1, 4, 4});
    PoolAttrs at;
    EXPECT_THROW(maxPool(x, at), Error); // no kernel
    at.kernelShape = {5, 5};
    EXPECT_THROW(maxPool(x, at), Error); // larger than input
    at.kernelShape = {2, 2};
    at.strides = {0, 1};
    EXPECT_THROW(averagePool(x, at), Error);
    at.strides = {};
    at.pads = {0, 0, -1, 0};
    EXPECT_THROW(maxPool(x, at), Error);
    at.pads = {};
    at.kernelShape = {2};
    EXPECT_THROW(maxPool(x, at), Error);
    EXPECT_THROW(globalAveragePool(Tensor(DType::Float32, {3})), Error);
}

TEST(BatchNormalization, InferenceFormula)
{
    const Tensor x = Tensor::fromFloats({1, 2, 1, 2}, {1, 2, 3, 4});
    const Tensor scale = Tensor::fromFloats({2}, {1, 2}), bias = Tensor::fromFloats({2}, {0, 1});
    const Tensor mean = Tensor::fromFloats({2}, {1, 3}), var = Tensor::fromFloats({2}, {4, 1});
    const Tensor y = batchNormalization(x, scale, bias, mean, var, 0.0);
    expectValues(y, {0, 0.5, 1, 3});
    EXPECT_THROW(batchNormalization(x, Tensor::fromFloats({3}, {1, 1, 1}), bias, mean, var), Error);
    EXPECT_THROW(batchNormalization(Tensor::fromFloats({2}, {1, 2}), scale, bias, mean, var), Error);
}
