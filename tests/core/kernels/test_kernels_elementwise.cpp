// Unary, binary (broadcasting), variadic, Clip and Where.
#include "core/kernels/cast.h"
#include "core/kernels/elementwise.h"
#include "core/util/error.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace qs;
using namespace qs::kernels;

namespace {

void expectValues(const Tensor& t, const std::vector<double>& v, double tol = 1e-6)
{
    ASSERT_EQ(t.size(), static_cast<std::int64_t>(v.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        EXPECT_NEAR(t.at(i), v[static_cast<std::size_t>(i)], tol) << "at " << i;
}

const std::vector<DType> kAllTypes {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Int16,
    DType::Int8, DType::UInt8, DType::Bool};

} // namespace

TEST(Unary, FloatOps)
{
    const Tensor x = Tensor::fromFloats({5}, {-2.5f, -0.5f, 0.0f, 0.5f, 2.5f});
    expectValues(unary(UnaryOp::Abs, x), {2.5, 0.5, 0, 0.5, 2.5});
    expectValues(unary(UnaryOp::Neg, x), {2.5, 0.5, 0, -0.5, -2.5});
    expectValues(unary(UnaryOp::Ceil, x), {-2, 0, 0, 1, 3});
    expectValues(unary(UnaryOp::Floor, x), {-3, -1, 0, 0, 2});
    expectValues(unary(UnaryOp::Round, x), {-2, 0, 0, 0, 2});
    expectValues(unary(UnaryOp::Relu, x), {0, 0, 0, 0.5, 2.5});
    expectValues(unary(UnaryOp::LeakyRelu, x), {-0.025, -0.005, 0, 0.5, 2.5});
    expectValues(unary(UnaryOp::LeakyRelu, x, {0.1, 0, 0}), {-0.25, -0.05, 0, 0.5, 2.5});
    expectValues(unary(UnaryOp::Sign, x), {-1, -1, 0, 1, 1});
    expectValues(unary(UnaryOp::Sigmoid, x),
        {1 / (1 + std::exp(2.5)), 1 / (1 + std::exp(0.5)), 0.5, 1 / (1 + std::exp(-0.5)),
            1 / (1 + std::exp(-2.5))});
    expectValues(
        unary(UnaryOp::Tanh, x), {std::tanh(-2.5), std::tanh(-0.5), 0, std::tanh(0.5), std::tanh(2.5)});
    expectValues(unary(UnaryOp::Erf, x), {std::erf(-2.5), std::erf(-0.5), 0, std::erf(0.5), std::erf(2.5)});
    expectValues(unary(UnaryOp::HardSigmoid, x), {0, 0.4, 0.5, 0.6, 1});
    const Tensor p = Tensor::fromDoubles({3}, {1, 4, 9});
    const Tensor s = unary(UnaryOp::Sqrt, p);
    EXPECT_EQ(s.dtype(), DType::Float64);
    expectValues(s, {1, 2, 3});
    expectValues(unary(UnaryOp::Exp, Tensor::fromFloats({1}, {1})), {std::exp(1.0)});
    expectValues(unary(UnaryOp::Log, p), {0, std::log(4.0), std::log(9.0)});
    EXPECT_NEAR(unary(UnaryOp::Sigmoid, Tensor::fromFloats({1}, {-1000})).at(0), 0.0, 1e-30);
}

TEST(Unary, IntegerBoolAndIdentity)
{
    const Tensor i = Tensor::fromInt64s({3}, {-3, 0, 4});
    expectValues(unary(UnaryOp::Abs, i), {3, 0, 4});
    expectValues(unary(UnaryOp::Neg, i), {3, 0, -4});
    expectValues(unary(UnaryOp::Relu, i), {0, 0, 4});
    EXPECT_THROW(unary(UnaryOp::Exp, i), Error);
    for (DType t : kAllTypes) {
        const Tensor x = Tensor::fromInt64s({2}, {0, 1}).cast(t);
        const Tensor y = unary(UnaryOp::Identity, x);
        EXPECT_EQ(y.dtype(), t);
        expectValues(y, {0, 1});
    }
    const Tensor b = Tensor::fromInt64s({2}, {0, 1}).cast(DType::Bool);
    expectValues(unary(UnaryOp::Not, b), {1, 0});
    EXPECT_THROW(unary(UnaryOp::Not, i), Error);
}

TEST(Clip, BoundsAreOptional)
{
    const Tensor x = Tensor::fromFloats({4}, {-5, -1, 1, 5});
    const Tensor lo = Tensor::scalar(-2), hi = Tensor::scalar(2);
    expectValues(clip(x, &lo, &hi), {-2, -1, 1, 2});
    expectValues(clip(x, nullptr, &hi), {-5, -1, 1, 2});
    expectValues(clip(x, &lo, nullptr), {-2, -1, 1, 5});
    expectValues(clip(x, &hi, &lo), {-2, -2, -2, -2}); // min > max: everything becomes max
    const Tensor inf = Tensor::fromFloats({1}, {-std::numeric_limits<float>::infinity()});
    EXPECT_TRUE(std::isinf(clip(inf, nullptr, &hi).at(0)));
    EXPECT_THROW(clip(x, &x, nullptr), Error);
}

TEST(Binary, BroadcastingArithmetic)
{
    const Tensor a = Tensor::fromFloats({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor row = Tensor::fromFloats({3}, {10, 20, 30});
    const Tensor col = Tensor::fromFloats({2, 1}, {100, 200});
    expectValues(binary(BinaryOp::Add, a, row), {11, 22, 33, 14, 25, 36});
    expectValues(binary(BinaryOp::Sub, a, col), {-99, -98, -97, -196, -195, -194});
    expectValues(binary(BinaryOp::Mul, row, col), {1000, 2000, 3000, 2000, 4000, 6000});
    expectValues(binary(BinaryOp::Div, a, Tensor::scalar(2)), {0.5, 1, 1.5, 2, 2.5, 3});
    expectValues(binary(BinaryOp::Pow, a, Tensor::scalar(2)), {1, 4, 9, 16, 25, 36});
    expectValues(binary(BinaryOp::Pow, a, Tensor::fromInt64s({}, {3})), {1, 8, 27, 64, 125, 216});
    expectValues(binary(BinaryOp::Max, a, Tensor::scalar(3.5)), {3.5, 3.5, 3.5, 4, 5, 6});
    expectValues(binary(BinaryOp::Min, a, Tensor::scalar(3.5)), {1, 2, 3, 3.5, 3.5, 3.5});
    EXPECT_EQ(binary(BinaryOp::Add, a, col).shape(), (Shape {2, 3}));
    EXPECT_THROW(binary(BinaryOp::Add, a, Tensor::fromFloats({2}, {1, 2})), Error);
    EXPECT_THROW(binary(BinaryOp::Add, a, a.cast(DType::Float64)), Error);
}

TEST(Binary, IntegerArithmetic)
{
    const Tensor a = Tensor::fromInt64s({4}, {7, -7, 7, -7});
    const Tensor b = Tensor::fromInt64s({4}, {2, 2, -2, -2});
    expectValues(binary(BinaryOp::Div, a, b), {3, -3, -3, 3}); // truncation, as C and ONNX
    expectValues(binary(BinaryOp::Mod, a, b), {1, 1, -1, -1}); // sign of the divisor
    expectValues(binary(BinaryOp::FMod, a, b), {1, -1, 1, -1});
    EXPECT_THROW(binary(BinaryOp::Div, a, Tensor::fromInt64s({}, {0})), Error);
    const Tensor big = Tensor::fromInt64s({1}, {std::numeric_limits<std::int64_t>::max()});
    EXPECT_EQ(binary(BinaryOp::Add, big, Tensor::fromInt64s({1}, {1})).atInt(0),
        std::numeric_limits<std::int64_t>::min()); // wraps, no UB
    const Tensor u = Tensor::fromInt64s({2}, {200, 100}).cast(DType::UInt8);
    EXPECT_EQ(binary(BinaryOp::Add, u, u).dtype(), DType::UInt8);
}

TEST(Binary, ComparisonsAndLogic)
{
    const Tensor a = Tensor::fromFloats({3}, {1, 2, 3});
    const Tensor b = Tensor::fromFloats({3}, {2, 2, 2});
    EXPECT_EQ(binary(BinaryOp::Less, a, b).dtype(), DType::Bool);
    expectValues(binary(BinaryOp::Less, a, b), {1, 0, 0});
    expectValues(binary(BinaryOp::Greater, a, b), {0, 0, 1});
    expectValues(binary(BinaryOp::LessOrEqual, a, b), {1, 1, 0});
    expectValues(binary(BinaryOp::GreaterOrEqual, a, b), {0, 1, 1});
    for (DType t : kAllTypes) {
        const Tensor x = Tensor::fromInt64s({3}, {0, 1, 1}).cast(t);
        const Tensor y = Tensor::fromInt64s({1}, {1}).cast(t);
        const Tensor e = binary(BinaryOp::Equal, x, y);
        EXPECT_EQ(e.dtype(), DType::Bool) << dtypeName(t);
        expectValues(e, {0, 1, 1});
    }
    const Tensor p = Tensor::fromInt64s({4}, {0, 0, 1, 1}).cast(DType::Bool);
    const Tensor q = Tensor::fromInt64s({4}, {0, 1, 0, 1}).cast(DType::Bool);
    expectValues(binary(BinaryOp::And, p, q), {0, 0, 0, 1});
    expectValues(binary(BinaryOp::Or, p, q), {0, 1, 1, 1});
    expectValues(binary(BinaryOp::Xor, p, q), {0, 1, 1, 0});
    EXPECT_THROW(binary(BinaryOp::And, a, b), Error);
}

TEST(Variadic, MaxMinSumMean)
{
    const Tensor a = Tensor::fromFloats({3}, {3, 2, 1});
    const Tensor b = Tensor::fromFloats({3}, {1, 4, 4});
    const Tensor c = Tensor::fromFloats({1}, {2});
    expectValues(variadic(VariadicOp::Max, {&a, &b, &c}), {3, 4, 4});
    expectValues(variadic(VariadicOp::Min, {&a, &b, &c}), {1, 2, 1});
    expectValues(variadic(VariadicOp::Sum, {&a, &b, &c}), {6, 8, 7});
    expectValues(variadic(VariadicOp::Mean, {&a, &b, &c}), {2, 8.0 / 3, 7.0 / 3});
    expectValues(variadic(VariadicOp::Max, {&a}), {3, 2, 1});
    EXPECT_THROW(variadic(VariadicOp::Max, {}), Error);
}

TEST(Where, SelectsWithBroadcastingForEveryType)
{
    const Tensor cond = Tensor::fromInt64s({2, 2}, {1, 0, 1, 1}).cast(DType::Bool);
    for (DType t : kAllTypes) {
        const Tensor x = Tensor::fromInt64s({2, 2}, {1, 1, 1, 1}).cast(t);
        const Tensor y = Tensor::fromInt64s({1}, {0}).cast(t);
        const Tensor r = where(cond, x, y);
        EXPECT_EQ(r.dtype(), t);
        expectValues(r, {1, 0, 1, 1});
    }
    EXPECT_THROW(where(cond, Tensor::scalar(1), Tensor::fromInt64s({}, {1})), Error);
}

TEST(Cast, ConvertsAndSaturates)
{
    const Tensor x = Tensor::fromFloats({4}, {-1.7f, 0.0f, 2.9f, 300.0f});
    expectValues(cast(x, DType::Int64), {-1, 0, 2, 300});
    expectValues(cast(x, DType::UInt8), {0, 0, 2, 255});
    expectValues(cast(x, DType::Bool), {1, 0, 1, 1});
    EXPECT_EQ(cast(x, DType::Float64).dtype(), DType::Float64);
}
