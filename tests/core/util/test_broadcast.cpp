#include "core/util/broadcast.h"
#include "core/util/error.h"

#include <gtest/gtest.h>

using namespace qs;

TEST(Broadcast, ShapesFollowNumpyRules)
{
    EXPECT_EQ(broadcastShapes({3}, {2, 1}), (Shape {2, 3}));
    EXPECT_EQ(broadcastShapes({1, 4, 1, 1}, {2, 1, 5, 6}), (Shape {2, 4, 5, 6}));
    EXPECT_EQ(broadcastShapes({}, {7}), (Shape {7}));
    EXPECT_THROW(broadcastShapes({3}, {4}), Error);
}

TEST(Broadcast, OffsetsWalkPerChannelParameter)
{
    // x: [2,3] walked against a per-row parameter [2,1]: parameter offset repeats per row.
    const Shape out {2, 3};
    std::array<std::vector<std::int64_t>, 2> strides {broadcastStrides({2, 3}, out), broadcastStrides({2, 1}, out)};
    std::vector<std::int64_t> xOff, pOff;
    forEachBroadcast<2>(out, strides, [&](std::int64_t, const std::array<std::int64_t, 2>& o) {
        xOff.push_back(o[0]);
        pOff.push_back(o[1]);
    });
    EXPECT_EQ(xOff, (std::vector<std::int64_t> {0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(pOff, (std::vector<std::int64_t> {0, 0, 0, 1, 1, 1}));
}

TEST(Broadcast, ScalarOutputVisitsOnce)
{
    int visits = 0;
    forEachBroadcast<1>({}, {std::vector<std::int64_t> {}}, [&](std::int64_t, const auto&) { ++visits; });
    EXPECT_EQ(visits, 1);
}
