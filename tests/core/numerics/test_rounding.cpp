#include "core/numerics/rounding.h"
#include "core/util/error.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

using namespace qs;

namespace {

const std::vector<double> kTableInputs {-2.5, -1.5, -0.5, -0.4, 0.4, 0.5, 1.5, 2.5};

struct TableRow {
    RoundingMode mode;
    std::vector<double> expected; // signs of zero as printed in the spec
};

// Spec §1, "Illustration" table.
const std::vector<TableRow> kTable {
    {RoundingMode::HalfEven, {-2, -2, -0.0, -0.0, 0, 0, 2, 2}},
    {RoundingMode::Ceil, {-2, -1, -0.0, -0.0, 1, 1, 2, 3}},
    {RoundingMode::Floor, {-3, -2, -1, -1, 0, 0, 1, 2}},
    {RoundingMode::Up, {-3, -2, -1, -1, 1, 1, 2, 3}},
    {RoundingMode::Down, {-2, -1, -0.0, -0.0, 0, 0, 1, 2}},
    {RoundingMode::HalfUp, {-3, -2, -1, -0.0, 0, 1, 2, 3}},
    {RoundingMode::HalfDown, {-2, -1, -0.0, 0, -0.0, 0, 1, 2}},
};

const std::vector<RoundingMode> kAllModes {RoundingMode::HalfEven, RoundingMode::Ceil, RoundingMode::Floor,
    RoundingMode::Up, RoundingMode::Down, RoundingMode::HalfUp, RoundingMode::HalfDown};

template <class T> void checkTable()
{
    for (const TableRow& row : kTable) {
        for (std::size_t i = 0; i < kTableInputs.size(); ++i) {
            const T v = static_cast<T>(kTableInputs[i]);
            const T got = qs::round(v, row.mode);
            const T want = static_cast<T>(row.expected[i]);
            EXPECT_EQ(got, want) << roundingModeName(row.mode) << "(" << v << ")";
            EXPECT_EQ(std::signbit(got), std::signbit(want))
                << "sign of zero, " << roundingModeName(row.mode) << "(" << v << ")";
        }
    }
}

} // namespace

TEST(Rounding, SpecTableFloat)
{
    checkTable<float>();
}

TEST(Rounding, SpecTableDouble)
{
    checkTable<double>();
}

TEST(Rounding, Float32ArtifactsOfTheReference)
{
    // Spec §1: |v| + 0.5 rounds up to 1.0 in float before the floor.
    const float belowHalf = std::nextafter(0.5f, 0.0f);
    EXPECT_EQ(belowHalf, 0.49999997f);
    EXPECT_EQ(qs::round(belowHalf, RoundingMode::HalfUp), 1.0f);
    EXPECT_EQ(qs::round(-belowHalf, RoundingMode::HalfUp), -1.0f);
    // Odd integers >= 2^23 move by one under HALF_UP / HALF_DOWN in float.
    EXPECT_EQ(qs::round(8388609.0f, RoundingMode::HalfUp), 8388610.0f);
    EXPECT_EQ(qs::round(8388609.0f, RoundingMode::HalfDown), 8388608.0f);
    // The same numbers in double have no artifact: the formula is evaluated in the working precision.
    EXPECT_EQ(qs::round(static_cast<double>(belowHalf), RoundingMode::HalfUp), 0.0);
    EXPECT_EQ(qs::round(8388609.0, RoundingMode::HalfUp), 8388609.0);
    EXPECT_EQ(qs::round(8388609.0, RoundingMode::HalfDown), 8388609.0);
}

TEST(Rounding, NaNPropagatesAndInfinitiesStay)
{
    const float nanF = std::numeric_limits<float>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (RoundingMode m : kAllModes) {
        EXPECT_TRUE(std::isnan(qs::round(nanF, m))) << roundingModeName(m);
        EXPECT_TRUE(std::isnan(qs::round(std::nan(""), m))) << roundingModeName(m);
        EXPECT_EQ(qs::round(inf, m), inf) << roundingModeName(m);
        EXPECT_EQ(qs::round(-inf, m), -inf) << roundingModeName(m);
        EXPECT_EQ(
            qs::round(std::numeric_limits<float>::infinity(), m), std::numeric_limits<float>::infinity());
    }
}

TEST(Rounding, SignOfNegativeZeroIsPositiveZero)
{
    // sign(-0.0) = +0.0, so UP and HALF_UP map -0.0 to +0.0.
    EXPECT_FALSE(std::signbit(qs::round(-0.0f, RoundingMode::Up)));
    EXPECT_FALSE(std::signbit(qs::round(-0.0f, RoundingMode::HalfUp)));
    EXPECT_FALSE(std::signbit(qs::round(-0.0, RoundingMode::Up)));
}

TEST(Rounding, HalfEvenMatchesRintEverywhere)
{
    // The branch-free HALF_EVEN must equal IEEE rint for every magnitude, including around 2^23 / 2^52,
    // subnormals and the largest finite values.
    std::vector<float> floats {0.0f, -0.0f, 1e-45f, -1e-45f, 1e-38f, 0.5f, 1.5f, 2.5f, 3.5f, -3.5f,
        8388607.5f, -8388607.5f, 8388608.0f, 8388609.0f, 16777215.0f, 16777217.0f, 3.4e38f, -3.4e38f};
    for (int i = -560; i < 560; ++i)
        floats.push_back(static_cast<float>(i) * 0.125f);
    for (int i = 0; i < 400; ++i) // 2^22 .. : steps of half an ulp and more
        floats.push_back(4194304.0f + static_cast<float>(i) * 0.5f);
    for (float v : floats)
        EXPECT_EQ(qs::round(v, RoundingMode::HalfEven), std::nearbyint(v)) << v;

    std::vector<double> doubles {0.0, -0.0, 5e-324, 0.5, 2.5, -2.5, 4503599627370495.5, -4503599627370495.5,
        4503599627370496.0, 4503599627370497.0, 1.7e308, -1.7e308};
    for (int i = -560; i < 560; ++i)
        doubles.push_back(static_cast<double>(i) * 0.125);
    for (double v : doubles)
        EXPECT_EQ(qs::round(v, RoundingMode::HalfEven), std::nearbyint(v)) << v;
    EXPECT_TRUE(std::signbit(qs::round(-0.25, RoundingMode::HalfEven)));
}

TEST(Rounding, ParseIsCaseInsensitiveAndKnowsBothHalfEvenSpellings)
{
    EXPECT_EQ(parseRoundingMode("ROUND"), RoundingMode::HalfEven);
    EXPECT_EQ(parseRoundingMode("round"), RoundingMode::HalfEven);
    EXPECT_EQ(parseRoundingMode("HALF_EVEN"), RoundingMode::HalfEven);
    EXPECT_EQ(parseRoundingMode("Half_Even"), RoundingMode::HalfEven);
    EXPECT_EQ(parseRoundingMode("ceil"), RoundingMode::Ceil);
    EXPECT_EQ(parseRoundingMode("Floor"), RoundingMode::Floor);
    EXPECT_EQ(parseRoundingMode("up"), RoundingMode::Up);
    EXPECT_EQ(parseRoundingMode("DOWN"), RoundingMode::Down);
    EXPECT_EQ(parseRoundingMode("half_up"), RoundingMode::HalfUp);
    EXPECT_EQ(parseRoundingMode("HALF_DOWN"), RoundingMode::HalfDown);
    for (RoundingMode m : kAllModes)
        EXPECT_EQ(parseRoundingMode(roundingModeName(m)), m);
}

TEST(Rounding, ParseRejectsUnknownModesNamingThem)
{
    // Spec §1: these are errors upstream (ROUND_TO_ZERO is rejected although it "means" DOWN).
    for (const char* bad : {"ROUND_TO_ZERO", "HALF_TO_EVEN", "STOCHASTIC", "", " ROUND", "NEAREST"}) {
        try {
            parseRoundingMode(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("\"") + bad + "\""), std::string::npos)
                << e.what();
        }
    }
}
