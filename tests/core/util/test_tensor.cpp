#include "core/util/error.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>

using namespace qs;

TEST(Tensor, ZeroFilledWithShapeAndCount)
{
    Tensor t(DType::Float32, {2, 3});
    EXPECT_EQ(t.size(), 6);
    EXPECT_EQ(t.byteSize(), 24u);
    for (float v : t.values<float>())
        EXPECT_EQ(v, 0.0f);
}

TEST(Tensor, ElementCountRejectsOverflowAndNegativeDims)
{
    const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2;
    EXPECT_THROW(elementCount({big, 3}), Error);
    EXPECT_THROW(elementCount({2, -1}), Error);
    EXPECT_EQ(elementCount({}), 1);
    EXPECT_EQ(elementCount({4, 0, 7}), 0);
}

TEST(Tensor, CastSaturatesAndMapsNaNToZero)
{
    Tensor t = Tensor::fromFloats({4}, {1.9f, -1.9f, 1e30f, std::numeric_limits<float>::quiet_NaN()});
    Tensor i8 = t.cast(DType::Int8);
    EXPECT_EQ(i8.atInt(0), 1);
    EXPECT_EQ(i8.atInt(1), -1);
    EXPECT_EQ(i8.atInt(2), 127);
    EXPECT_EQ(i8.atInt(3), 0);
}

TEST(Tensor, ReshapeKeepsDataAndChecksCount)
{
    Tensor t = Tensor::fromInt64s({2, 2}, {1, 2, 3, 4});
    Tensor r = t.reshaped({4});
    EXPECT_EQ(r.atInt(3), 4);
    EXPECT_THROW((void)t.reshaped({3}), Error);
}

TEST(Tensor, AllocationLimitRefusesLargeTensorsOnlyWhileInstalled)
{
    {
        AllocationLimit limit(1000);
        EXPECT_NO_THROW(Tensor(DType::Float32, {250}));
        EXPECT_THROW(Tensor(DType::Float32, {251}), Error);
    }
    EXPECT_NO_THROW(Tensor(DType::Float32, {251}));
}

TEST(Tensor, RecycledLargeBuffersAreZeroFilledAgainAndAligned)
{
    // Large buffers are reused after free (core/util/bufferpool.h): a zero-filled tensor must not
    // show a previous tensor's contents, and every buffer stays 64-byte aligned.
    const Shape big {1 << 18}; // 1 MB
    for (int round = 0; round < 3; ++round) {
        {
            Tensor scribble = Tensor::uninitialized(DType::Float32, big);
            EXPECT_EQ(reinterpret_cast<std::uintptr_t>(scribble.rawData()) % 64, 0u);
            for (float& v : scribble.values<float>())
                v = 12345.0f;
        }
        Tensor zeros(DType::Float32, big);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(zeros.rawData()) % 64, 0u);
        for (float v : zeros.values<float>())
            ASSERT_EQ(v, 0.0f);
        const Tensor copy(zeros);
        EXPECT_EQ(copy.shape(), big);
        EXPECT_EQ(copy.values<float>()[1000], 0.0f);
    }
}

TEST(Tensor, UninitializedHasShapeLimitsAndZeroPadding)
{
    const Tensor t = Tensor::uninitialized(DType::Int16, {3, 5});
    EXPECT_EQ(t.size(), 15);
    EXPECT_EQ(t.byteSize(), 30u);
    // The alignment padding after the last element is zero.
    for (std::size_t i = t.byteSize(); i < 64; ++i)
        EXPECT_EQ(t.rawData()[i], std::byte {0});
    AllocationLimit limit(1000);
    EXPECT_THROW((void)Tensor::uninitialized(DType::Float32, {251}), Error);
}
