// MACs and BOPs (accumulator-and-bops.md §4, qonnx-ops.md §8.3) against examples 5, 7, 8 of §5 and
// qonnx's TFC-W2A2 totals (qonnx-ops.md §8.5).
#include "core/numerics/bops.h"
#include "core/util/error.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

using namespace qs;

namespace {

void expectRel(double actual, double expected, double rel = 1e-12)
{
    EXPECT_NEAR(actual, expected, expected * rel) << "expected " << expected;
}

} // namespace

TEST(Example5, BipolarConvBops)
{
    const MacCount m = convMacs({1, 4, 10, 10}, {8, 4, 3, 3}, {1, 8, 10, 10});
    EXPECT_EQ(m.k, 36);
    EXPECT_EQ(m.macs, 28800);
    const Bops b = computeBops(m, 1, 1);
    EXPECT_DOUBLE_EQ(b.qonnxDense, 28800.0);
    expectRel(b.uniq, 235293.84004, 1e-6);
}

TEST(Example7a, GroupedConv)
{
    const MacCount m = convMacs({1, 8, 10, 10}, {16, 4, 3, 3}, {1, 16, 10, 10}, 2);
    EXPECT_EQ(m.k, 36);
    EXPECT_EQ(m.outputElements, 1600);
    EXPECT_EQ(m.macs, 57600);
    EXPECT_EQ(std::int64_t {1} * (16 / 2) * 8 * 9 * 100, m.macs); // qonnx's form

    const Bops dense = computeBops(m, 4, 4);
    EXPECT_DOUBLE_EQ(dense.qonnxDense, 921600.0);
    expectRel(dense.uniq, 1680187.6800830772);
    expectRel(dense.uniq / 1600.0, 1050.1173000519232);
    expectRel(dense.uniq / 100.0, 16801.876800830772); // UNIQ's one-position form, n = C_in / group

    const Bops sparse = computeBops(m, 4, 4, 0.25);
    EXPECT_DOUBLE_EQ(sparse.macsSparse, 14400.0);
    EXPECT_DOUBLE_EQ(sparse.qonnxSparse, 230400.0);
    EXPECT_DOUBLE_EQ(sparse.qonnxDense, 921600.0);
    expectRel(sparse.uniqPruned, 988987.6800830772);
    expectRel(sparse.uniq, 1680187.6800830772);
}

TEST(Example7b, DepthwiseConv)
{
    const MacCount m = convMacs({1, 32, 16, 16}, {32, 1, 3, 3}, {1, 32, 16, 16}, 32);
    EXPECT_EQ(m.k, 9);
    EXPECT_EQ(m.macs, 73728);
    const Bops b = computeBops(m, 8, 8);
    EXPECT_DOUBLE_EQ(b.qonnxDense, 4718592.0);
    expectRel(b.uniq, 6131952.230506338);
}

TEST(Example8, GemmAndMatMul)
{
    const MacCount gemm = gemmMacs({4, 64}, {10, 64}, false, true);
    EXPECT_EQ(gemm.k, 64);
    EXPECT_EQ(gemm.outputElements, 40);
    EXPECT_EQ(gemm.macs, 2560);
    EXPECT_DOUBLE_EQ(computeBops(gemm, 8, 8).qonnxDense, 163840.0);
    EXPECT_DOUBLE_EQ(computeBops(gemm, 8, 8).uniq, 220160.0);
    EXPECT_DOUBLE_EQ(computeBops(gemm, 32, 8).qonnxDense, 655360.0); // FLOAT32 input charged 32 bits

    const MacCount mm = matMulMacs({2, 3, 5, 7}, {7, 6});
    EXPECT_EQ(mm.outputElements, 180);
    EXPECT_EQ(mm.k, 7);
    EXPECT_EQ(mm.macs, 1260);
    EXPECT_DOUBLE_EQ(computeBops(mm, 8, 8).qonnxDense, 80640.0);
}

TEST(QonnxTfcW2A2, DenseTotals)
{
    // 784 -> 64 -> 64 -> 64 -> 10 fully connected MatMuls, batch 1, INT2 x INT2.
    const std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> layers {
        {{1, 784}, {784, 64}}, {{1, 64}, {64, 64}}, {{1, 64}, {64, 64}}, {{1, 64}, {64, 10}}};
    std::int64_t macs = 0;
    double bops = 0.0;
    for (const auto& [a, b] : layers) {
        const MacCount m = matMulMacs(a, b);
        macs += m.macs;
        bops += computeBops(m, 2, 2).qonnxDense;
    }
    EXPECT_EQ(macs, 59008);
    EXPECT_DOUBLE_EQ(bops, 236032.0);
}

TEST(Gemm, Transposes)
{
    EXPECT_EQ(gemmMacs({64, 4}, {64, 10}, true, false).macs, 2560);
    EXPECT_EQ(gemmMacs({4, 64}, {64, 10}).macs, 2560);
    EXPECT_THROW(gemmMacs({4, 64}, {10, 64}), Error);
    EXPECT_THROW(gemmMacs({2, 4, 64}, {64, 10}), Error);
}

TEST(MatMul, NumpyShapes)
{
    const MacCount vecMat = matMulMacs({7}, {7, 6});
    EXPECT_EQ(vecMat.outputElements, 6);
    EXPECT_EQ(vecMat.macs, 42);
    const MacCount matVec = matMulMacs({2, 3, 7}, {7});
    EXPECT_EQ(matVec.outputElements, 6);
    EXPECT_EQ(matVec.macs, 42);
    EXPECT_EQ(matMulMacs({2, 1, 5, 7}, {3, 7, 6}).macs, 2 * 3 * 5 * 6 * 7);
    EXPECT_THROW(matMulMacs({2, 7}, {6, 5}), Error);
    EXPECT_THROW(matMulMacs({2, 2, 7}, {3, 7, 5}), Error);
}

TEST(ConvTranspose, CountsInputTimesKernel)
{
    // §4.1: B * C_in * prod(input spatial) * (C_out / group) * prod(kernel) = 1 * 4 * 25 * 2 * 9.
    const MacCount m = convTransposeMacs({1, 4, 5, 5}, {4, 2, 3, 3}, {1, 2, 11, 11});
    EXPECT_EQ(m.macs, 1800);
    EXPECT_EQ(m.k, 36); // conservative (C_in / group) * prod(k)
    EXPECT_EQ(m.outputElements, 242);
    const MacCount g = convTransposeMacs({1, 4, 5, 5}, {4, 1, 3, 3}, {1, 2, 11, 11}, 2);
    EXPECT_EQ(g.macs, 1 * 4 * 25 * 1 * 9);
    EXPECT_EQ(g.k, 2 * 9);
    EXPECT_THROW(convTransposeMacs({1, 4, 5, 5}, {3, 2, 3, 3}, {1, 2, 11, 11}), Error);
}

TEST(Conv, RejectsInconsistentShapes)
{
    EXPECT_THROW(convMacs({1, 8, 10, 10}, {16, 8, 3, 3}, {1, 16, 10, 10}, 2), Error);
    EXPECT_THROW(convMacs({1, 8, 10, 10}, {16, 8, 3, 3}, {1, 15, 10, 10}), Error);
    EXPECT_THROW(convMacs({1, 8, 10}, {16, 8, 3, 3}, {1, 16, 10, 10}), Error);
    EXPECT_THROW(convMacs({1, 8, 10, 10}, {16, 8, 3, 3}, {1, 16, 10, 10}, 0), Error);
    // Conv1D and Conv3D.
    EXPECT_EQ(convMacs({2, 3, 20}, {5, 3, 4}, {2, 5, 17}).macs, 2 * 5 * 17 * 12);
    EXPECT_EQ(convMacs({1, 2, 4, 4, 4}, {3, 2, 1, 1, 1}, {1, 3, 4, 4, 4}).k, 2);
}

TEST(Upsample, NearestIsFreeLinearCostsTwoPerScaledDim)
{
    const std::vector<double> scales {1.0, 1.0, 2.0, 2.0};
    EXPECT_EQ(upsampleMacs({1, 3, 4, 4}, {1, 3, 8, 8}, scales, "nearest").macs, 0);
    EXPECT_EQ(upsampleMacs({1, 3, 4, 4}, {1, 3, 8, 8}, scales, "linear").macs, 2 * 2 * 3 * 64);
    EXPECT_THROW(upsampleMacs({1, 3, 4, 4}, {1, 3, 8, 8}, scales, "cubic"), Error);
}

TEST(Bops, DensityAndAccumulatorAwareVariant)
{
    const std::vector<std::int64_t> w {0, 3, 0, 0, -1, 0, 0, 0};
    EXPECT_DOUBLE_EQ(weightDensity(w), 0.25);
    const std::vector<double> wf {0.0, 0.5, -0.0, 2.0};
    EXPECT_DOUBLE_EQ(weightDensity(wf), 0.5);
    const MacCount m = convMacs({1, 8, 10, 10}, {16, 4, 3, 3}, {1, 16, 10, 10}, 2);
    EXPECT_DOUBLE_EQ(accumulatorAwareBops(m, 4, 4, 13), 57600.0 * (16 + 13));
    EXPECT_DOUBLE_EQ(accumulatorAwareBops(m, 4, 4, 13, 0.25), 57600.0 * (4 + 13));
    EXPECT_THROW(computeBops(m, 0, 4), Error);
    EXPECT_THROW(computeBops(m, 4, 4, 1.5), Error);
    // W1A1 costs 1 BOP per MAC in qonnx but 3 + log2 K in UNIQ (about 8.2 for K = 36).
    const Bops b = computeBops(m, 1, 1);
    EXPECT_NEAR(b.uniq / b.macsDense, 8.17, 0.01);
}
