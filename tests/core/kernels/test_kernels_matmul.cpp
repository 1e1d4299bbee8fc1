// MatMul (batched, broadcasting, 1-D operands) and Gemm against naive loops.
#include "core/kernels/matmul.h"
#include "core/util/error.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace qs;
using namespace qs::kernels;

namespace {

Tensor randomTensor(Shape shape, std::mt19937& rng, DType type = DType::Float32)
{
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    Tensor t(DType::Float64, std::move(shape));
    for (double& v : t.values<double>())
        v = dist(rng);
    return t.cast(type);
}

void expectNear(const Tensor& a, const std::vector<double>& b, double tol)
{
    ASSERT_EQ(a.size(), static_cast<std::int64_t>(b.size()));
    for (std::int64_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(a.at(i), b[static_cast<std::size_t>(i)], tol) << "at " << i;
}

} // namespace

TEST(MatMul, LargeProductsSplitAcrossThreadsMatchNaive)
{
    // Above the work threshold for threads (contextForWork), with K above the short-sum path.
    std::mt19937 rng(9);
    const Tensor a = randomTensor({2, 48, 96}, rng), b = randomTensor({96, 64}, rng);
    std::vector<double> ref;
    for (int i = 0; i < 2; ++i)
        for (int m = 0; m < 48; ++m)
            for (int n = 0; n < 64; ++n) {
                double acc = 0;
                for (int k = 0; k < 96; ++k)
                    acc += a.at((i * 48 + m) * 96 + k) * b.at(k * 64 + n);
                ref.push_back(acc);
            }
    for (int threads : {1, 2, 3})
        expectNear(matMul(a, b, KernelContext {threads}), ref, 1e-4);
}

TEST(MatMul, HandComputed2d)
{
    const Tensor a = Tensor::fromFloats({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor b = Tensor::fromFloats({3, 2}, {7, 8, 9, 10, 11, 12});
    const Tensor y = matMul(a, b);
    EXPECT_EQ(y.shape(), (Shape {2, 2}));
    expectNear(y, {58, 64, 139, 154}, 1e-5);
}

TEST(MatMul, BroadcastsBatchesAndMatchesNaive)
{
    std::mt19937 rng(3);
    const Tensor a = randomTensor({2, 1, 5, 7}, rng), b = randomTensor({3, 7, 4}, rng);
    for (int threads : {1, 2, 4}) {
        const Tensor y = matMul(a, b, KernelContext {threads});
        ASSERT_EQ(y.shape(), (Shape {2, 3, 5, 4}));
        std::vector<double> ref;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j)
                for (int m = 0; m < 5; ++m)
                    for (int n = 0; n < 4; ++n) {
                        double acc = 0;
                        for (int k = 0; k < 7; ++k)
                            acc += a.at((i * 5 + m) * 7 + k) * b.at((j * 7 + k) * 4 + n);
                        ref.push_back(acc);
                    }
        expectNear(y, ref, 1e-5);
    }
}

TEST(MatMul, OneDimensionalOperands)
{
    const Tensor v = Tensor::fromFloats({3}, {1, 2, 3});
    const Tensor m = Tensor::fromFloats({3, 2}, {1, 0, 0, 1, 1, 1});
    const Tensor vm = matMul(v, m);
    EXPECT_EQ(vm.shape(), (Shape {2}));
    expectNear(vm, {4, 5}, 1e-6);
    const Tensor mt = Tensor::fromFloats({2, 3}, {1, 0, 1, 0, 1, 1});
    const Tensor mv = matMul(mt, v);
    EXPECT_EQ(mv.shape(), (Shape {2}));
    expectNear(mv, {4, 5}, 1e-6);
    const Tensor vv = matMul(v, v);
    EXPECT_EQ(vv.shape(), (Shape {}));
    expectNear(vv, {14}, 1e-6);
    const Tensor bv = matMul(Tensor(DType::Float32, {4, 2, 3}), v);
    EXPECT_EQ(bv.shape(), (Shape {4, 2}));
}

TEST(MatMul, Float64AndErrors)
{
    std::mt19937 rng(5);
    const Tensor a = randomTensor({3, 4}, rng, DType::Float64), b = randomTensor({4, 2}, rng, DType::Float64);
    EXPECT_EQ(matMul(a, b).dtype(), DType::Float64);
    EXPECT_THROW(matMul(a, randomTensor({3, 2}, rng, DType::Float64)), Error);
    EXPECT_THROW(matMul(a, b.cast(DType::Float32)), Error);
    EXPECT_THROW(matMul(Tensor(DType::Float32, {2, 3, 4}), Tensor(DType::Float32, {3, 4, 2})), Error);
    EXPECT_THROW(matMul(a.cast(DType::Int64), b.cast(DType::Int64)), Error);
    EXPECT_THROW(matMul(Tensor(DType::Float32, {}), Tensor(DType::Float32, {})), Error);
}

TEST(Gemm, TransposesScalesAndBroadcastsC)
{
    std::mt19937 rng(9);
    for (bool ta : {false, true})
        for (bool tb : {false, true})
            for (const Shape& cShape : {Shape {}, Shape {4}, Shape {3, 1}, Shape {3, 4}}) {
                const Tensor a = randomTensor(ta ? Shape {5, 3} : Shape {3, 5}, rng);
                const Tensor b = randomTensor(tb ? Shape {4, 5} : Shape {5, 4}, rng);
                const Tensor c = randomTensor(cShape, rng);
                GemmAttrs at {0.5, 2.0, ta, tb};
                const Tensor y = gemm(a, b, &c, at, KernelContext {2});
                ASSERT_EQ(y.shape(), (Shape {3, 4}));
                std::vector<double> ref;
                for (int m = 0; m < 3; ++m)
                    for (int n = 0; n < 4; ++n) {
                        double acc = 0;
                        for (int k = 0; k < 5; ++k)
                            acc += a.at(ta ? k * 3 + m : m * 5 + k) * b.at(tb ? n * 5 + k : k * 4 + n);
                        const double cv = cShape.empty() ? c.at(0)
                            : cShape.size() == 1         ? c.at(n)
                            : cShape[1] == 1             ? c.at(m)
                                                         : c.at(m * 4 + n);
                        ref.push_back(0.5 * acc + 2.0 * cv);
                    }
                expectNear(y, ref, 1e-5);
            }
}

TEST(Gemm, WithoutCAndErrors)
{
    const Tensor a = Tensor::fromFloats({1, 2}, {1, 2});
    const Tensor b = Tensor::fromFloats({2, 1}, {3, 4});
    expectNear(gemm(a, b, nullptr, {}), {11}, 1e-6);
    const Tensor badC(DType::Float32, {2, 2});
    EXPECT_THROW(gemm(a, b, &badC, {}), Error);
    EXPECT_THROW(gemm(a, a, nullptr, {}), Error);
    EXPECT_THROW(gemm(Tensor(DType::Float32, {2}), b, nullptr, {}), Error);
}
