// Shape and indexing operators, including the ONNX spec examples for Slice and Gather.
#include "core/kernels/shapeops.h"
#include "core/util/error.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>

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

void expectValues(const Tensor& t, const std::vector<double>& v)
{
    ASSERT_EQ(t.size(), static_cast<std::int64_t>(v.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        EXPECT_DOUBLE_EQ(t.at(i), v[static_cast<std::size_t>(i)]) << "at " << i;
}

const std::vector<DType> kAllTypes {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Int16,
    DType::Int8, DType::UInt8, DType::Bool};
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

} // namespace

TEST(Reshape, ZeroMinusOneAndAllowZero)
{
    EXPECT_EQ(reshapeShape({2, 3, 4}, {0, -1}), (Shape {2, 12}));
    EXPECT_EQ(reshapeShape({2, 3, 4}, {4, 0, 2}), (Shape {4, 3, 2}));
    EXPECT_EQ(reshapeShape({2, 3, 4}, {-1}), (Shape {24}));
    EXPECT_EQ(reshapeShape({0, 3}, {3, 0}, true), (Shape {3, 0}));
    EXPECT_EQ(reshapeShape({0, 3}, {0, 3}, false), (Shape {0, 3}));
    EXPECT_THROW(reshapeShape({2, 3}, {-1, -1}), Error);
    EXPECT_THROW(reshapeShape({2, 3}, {4, -1}), Error);
    EXPECT_THROW(reshapeShape({2, 3}, {7}), Error);
    EXPECT_THROW(reshapeShape({2, 3}, {0, 0, 0}), Error);
    EXPECT_THROW(reshapeShape({0, 3}, {0, -1}, true), Error);
    EXPECT_THROW(reshapeShape({2, 3}, {-2, 3}), Error);
    const Tensor y = reshape(iota({2, 3}), {3, -1});
    EXPECT_EQ(y.shape(), (Shape {3, 2}));
    expectValues(y, {0, 1, 2, 3, 4, 5});
}

TEST(Transpose, PermAndDefaultForEveryType)
{
    for (DType t : kAllTypes) {
        const Tensor x = iota({2, 3}, t == DType::Bool ? DType::Int64 : t).cast(t);
        const Tensor y = transpose(x);
        EXPECT_EQ(y.shape(), (Shape {3, 2}));
        EXPECT_EQ(y.dtype(), t);
        if (t != DType::Bool)
            expectValues(y, {0, 3, 1, 4, 2, 5});
    }
    const Tensor y = transpose(iota({2, 3, 4}), {1, 2, 0});
    EXPECT_EQ(y.shape(), (Shape {3, 4, 2}));
    EXPECT_EQ(y.at(1), 12.0);
    EXPECT_THROW(transpose(iota({2, 3}), {0, 0}), Error);
    EXPECT_THROW(transpose(iota({2, 3}), {0}), Error);
    EXPECT_THROW(transpose(iota({2, 3}), {0, 2}), Error);
}

TEST(Transpose, EveryRank4PermutationMatchesTheIndexFormula)
{
    // Covers the tiled batch-of-2-D-transposes path (channels-last <-> channels-first and kin, with and
    // without unit axes and tiles that do not divide the sizes) and the element-by-element path.
    for (const Shape& shape :
        {Shape {3, 5, 7, 2}, Shape {1, 33, 40, 3}, Shape {2, 1, 37, 1}, Shape {4, 3, 1, 70}}) {
        std::vector<std::int64_t> perm {0, 1, 2, 3};
        do {
            for (DType type : {DType::Float32, DType::UInt8, DType::Float64}) {
                const Tensor x = iota(shape, type);
                const Tensor y = transpose(x, perm);
                Shape expectShape(4);
                for (std::size_t i = 0; i < 4; ++i)
                    expectShape[i] = shape[static_cast<std::size_t>(perm[i])];
                ASSERT_EQ(y.shape(), expectShape);
                std::int64_t o = 0;
                std::int64_t idx[4];
                for (idx[0] = 0; idx[0] < expectShape[0]; ++idx[0])
                    for (idx[1] = 0; idx[1] < expectShape[1]; ++idx[1])
                        for (idx[2] = 0; idx[2] < expectShape[2]; ++idx[2])
                            for (idx[3] = 0; idx[3] < expectShape[3]; ++idx[3], ++o) {
                                std::int64_t in[4];
                                for (std::size_t i = 0; i < 4; ++i)
                                    in[perm[i]] = idx[i];
                                const std::int64_t src
                                    = ((in[0] * shape[1] + in[1]) * shape[2] + in[2]) * shape[3] + in[3];
                                ASSERT_EQ(y.at(o), x.at(src))
                                    << shapeToString(shape) << " perm " << shapeToString(perm);
                            }
            }
        } while (std::next_permutation(perm.begin(), perm.end()));
    }
}

TEST(Concat, JoinsAlongAxis)
{
    const Tensor a = iota({2, 2}), b = iota({2, 1}, DType::Float32, 10);
    const Tensor y = concat({&a, &b}, -1);
    EXPECT_EQ(y.shape(), (Shape {2, 3}));
    expectValues(y, {0, 1, 10, 2, 3, 11});
    const Tensor z = concat({&a, &a}, 0);
    expectValues(z, {0, 1, 2, 3, 0, 1, 2, 3});
    const Tensor e(DType::Float32, {2, 0});
    expectValues(concat({&e, &a}, 1), {0, 1, 2, 3});
    EXPECT_THROW(concat({&a, &b}, 0), Error);
    EXPECT_THROW(concat({&a, &b}, 2), Error);
    const Tensor i = iota({2, 2}, DType::Int64);
    EXPECT_THROW(concat({&a, &i}, 0), Error);
}

TEST(Split, SizesAndEqualParts)
{
    const Tensor x = iota({6});
    auto parts = split(x, 0, {2, 4});
    ASSERT_EQ(parts.size(), 2u);
    expectValues(parts[1], {2, 3, 4, 5});
    parts = split(x, 0, {}, 3);
    ASSERT_EQ(parts.size(), 3u);
    expectValues(parts[2], {4, 5});
    parts = split(iota({7}), 0, {}, 3); // opset 18: 3, 3, 1
    EXPECT_EQ(parts[2].shape(), (Shape {1}));
    parts = split(iota({2, 4}, DType::Int8), 1, {1, 3});
    EXPECT_EQ(parts[1].shape(), (Shape {2, 3}));
    EXPECT_EQ(parts[1].dtype(), DType::Int8);
    EXPECT_THROW(split(x, 0, {2, 2}), Error);
    EXPECT_THROW(split(x, 0, {}), Error);
    EXPECT_THROW(split(x, 1, {6}), Error);
}

TEST(Slice, OnnxSpecExamples)
{
    const Tensor data = Tensor::fromFloats({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
    // slice: starts [1,0], ends [2,3], axes [0,1], steps [1,2] -> [[5,7]]
    Tensor y = slice(data, {1, 0}, {2, 3}, {0, 1}, {1, 2});
    EXPECT_EQ(y.shape(), (Shape {1, 2}));
    expectValues(y, {5, 7});
    // slice_start_out_of_bounds-like: starts [0,1], ends [-1,1000] -> [[2,3,4]]
    y = slice(data, {0, 1}, {-1, 1000});
    expectValues(y, {2, 3, 4});
    // negative steps: starts [1,-1], ends [0,-1000] (INT_MIN-like), steps [-1,-1]... spec example:
    // starts [-1], ends [-1000]? Use the documented reverse: data[:, ::-1] via starts -1, ends INT_MIN.
    y = slice(data, {-1}, {std::numeric_limits<std::int64_t>::min()}, {1}, {-1});
    expectValues(y, {4, 3, 2, 1, 8, 7, 6, 5});
    const Tensor x = iota({20, 10, 5});
    // test_slice_neg: starts [0], ends [-1], axes [1]
    EXPECT_EQ(slice(x, {0}, {-1}, {1}, {1}).shape(), (Shape {20, 9, 5}));
    // test_slice_neg_steps: starts [20,10,4], ends [0,0,1], axes [0,1,2], steps [-1,-3,-2] -> [19,3,2]
    y = slice(x, {20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2});
    EXPECT_EQ(y.shape(), (Shape {19, 3, 2}));
    EXPECT_EQ(y.at(0), x.at((19 * 10 + 9) * 5 + 4));
    // test_slice_end_out_of_bounds: starts [1], ends [1000], axes [1] -> [20, 9, 5]
    EXPECT_EQ(slice(x, {1}, {1000}, {1}, {1}).shape(), (Shape {20, 9, 5}));
    // test_slice_start_out_of_bounds: starts [1000], ends [1000] -> empty axis
    EXPECT_EQ(slice(x, {1000}, {1000}, {1}, {1}).shape(), (Shape {20, 0, 5}));
    // test_slice_default_axes / steps
    EXPECT_EQ(slice(x, {0, 0, 3}, {20, 10, 4}).shape(), (Shape {20, 10, 1}));
    EXPECT_EQ(slice(x, {0}, {kMax}, {2}, {1}).shape(), (Shape {20, 10, 5}));
    EXPECT_THROW(slice(x, {0}, {1}, {0}, {0}), Error);
    EXPECT_THROW(slice(x, {0}, {1}, {3}, {1}), Error);
    EXPECT_THROW(slice(x, {0, 0}, {1}), Error);
    EXPECT_THROW(slice(x, {0, 0}, {1, 1}, {1, -2}), Error);
}

TEST(Gather, OnnxSpecExamples)
{
    // axis 0: data [[1,1.2],[2.3,3.4],[4.5,5.7]], indices [[0,1],[1,2]]
    const Tensor data = Tensor::fromFloats({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
    Tensor y = gather(data, Tensor::fromInt64s({2, 2}, {0, 1, 1, 2}), 0);
    EXPECT_EQ(y.shape(), (Shape {2, 2, 2}));
    expectValues(y, {1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f});
    // axis 1: data [[1,1.2,1.9],[2.3,3.4,3.9],[4.5,5.7,5.9]], indices [[0,2]]
    const Tensor d1 = Tensor::fromFloats({3, 3}, {1.0f, 1.2f, 1.9f, 2.3f, 3.4f, 3.9f, 4.5f, 5.7f, 5.9f});
    y = gather(d1, Tensor::fromInt64s({1, 2}, {0, 2}), 1);
    EXPECT_EQ(y.shape(), (Shape {3, 1, 2}));
    expectValues(y, {1.0f, 1.9f, 2.3f, 3.9f, 4.5f, 5.9f});
    // negative indices and int32 indices, scalar index drops the axis
    y = gather(iota({4}, DType::Int64), Tensor::fromInt64s({2}, {-1, 0}).cast(DType::Int32));
    expectValues(y, {3, 0});
    EXPECT_EQ(gather(iota({4, 2}), Tensor::fromInt64s({}, {1})).shape(), (Shape {2}));
    EXPECT_THROW(gather(iota({4}), Tensor::fromInt64s({1}, {4})), Error);
    EXPECT_THROW(gather(iota({4}), Tensor::fromInt64s({1}, {-5})), Error);
    EXPECT_THROW(gather(iota({4}), Tensor::fromInt64s({1}, {0}), 1), Error);
    EXPECT_THROW(gather(iota({4}), Tensor::fromFloats({1}, {0})), Error);
}

TEST(SqueezeUnsqueezeFlatten, Shapes)
{
    const Tensor x = iota({1, 3, 1, 2});
    EXPECT_EQ(squeeze(x).shape(), (Shape {3, 2}));
    EXPECT_EQ(squeeze(x, {-2}).shape(), (Shape {1, 3, 2}));
    EXPECT_THROW(squeeze(x, {1}), Error);
    EXPECT_THROW(squeeze(x, {4}), Error);
    EXPECT_EQ(unsqueeze(iota({3, 4}), {0, -1}).shape(), (Shape {1, 3, 4, 1}));
    EXPECT_EQ(unsqueeze(iota({3, 4}), {1, 3}).shape(), (Shape {3, 1, 4, 1}));
    EXPECT_THROW(unsqueeze(iota({3}), {0, 0}), Error);
    EXPECT_THROW(unsqueeze(iota({3}), {3}), Error);
    EXPECT_EQ(flatten(iota({2, 3, 4})).shape(), (Shape {2, 12}));
    EXPECT_EQ(flatten(iota({2, 3, 4}), 0).shape(), (Shape {1, 24}));
    EXPECT_EQ(flatten(iota({2, 3, 4}), 3).shape(), (Shape {24, 1}));
    EXPECT_EQ(flatten(iota({2, 3, 4}), -1).shape(), (Shape {6, 4}));
    EXPECT_THROW(flatten(iota({2, 3}), 3), Error);
}

TEST(ExpandTileShape, Values)
{
    const Tensor y = expand(Tensor::fromFloats({3, 1}, {1, 2, 3}), {2, 1, 6});
    EXPECT_EQ(y.shape(), (Shape {2, 3, 6}));
    EXPECT_EQ(y.at(6), 2.0);
    EXPECT_EQ(expand(Tensor::fromFloats({3, 1}, {1, 2, 3}), {1}).shape(), (Shape {3, 1}));
    EXPECT_THROW(expand(iota({3}), {2}), Error);
    const Tensor t = tile(Tensor::fromInt64s({2, 2}, {0, 1, 2, 3}), {2, 2});
    EXPECT_EQ(t.shape(), (Shape {4, 4}));
    expectValues(t, {0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3});
    EXPECT_THROW(tile(iota({2}), {1, 1}), Error);
    EXPECT_THROW(tile(iota({2}), {-1}), Error);
    const Tensor x(DType::UInt8, {3, 4, 5});
    expectValues(shapeOf(x), {3, 4, 5});
    expectValues(shapeOf(x, 1), {4, 5});
    expectValues(shapeOf(x, -1), {5});
    expectValues(shapeOf(x, 0, -1), {3, 4});
    expectValues(shapeOf(x, -10, 10), {3, 4, 5});
    EXPECT_EQ(shapeOf(x, 2, 1).size(), 0);
    EXPECT_EQ(identity(x).shape(), x.shape());
}
