// The vectorised Quant span (core/numerics/quantspan.h, used for float32 ROUND with one scale and zero
// point) against the scalar broadcast loop, bit for bit: NaN, infinities, ties, -0, values beyond the
// range, every tail length, signed/unsigned/narrow, zero points.
#include "core/numerics/quantops.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <random>

using namespace qs;

TEST(QuantSpan, PerTensorRoundMatchesTheScalarLoopBitForBit)
{
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> dist(-40.0f, 40.0f);
    std::vector<float> values;
    for (int i = 0; i < 150; ++i)
        values.push_back(dist(rng));
    const float scale = 0.25f;
    for (int k = -20; k <= 20; ++k) // ties k + 0.5 (after the zero point) and exact codes
        values.push_back((static_cast<float>(k) + 0.5f) * scale);
    for (float v : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
             -std::numeric_limits<float>::infinity(), 0.0f, -0.0f, 3e38f, -3e38f, 1e-40f, -1e-40f})
        values.push_back(v);
    for (float zero : {0.0f, 3.0f, -2.5f})
        for (double bits : {2.0, 4.0, 8.0, 24.0})
            for (int mode = 0; mode < 4; ++mode) {
                IntQuantAttributes a;
                a.isSigned = mode & 1;
                a.narrow = mode & 2;
                for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(7), std::size_t(8),
                         std::size_t(9), std::size_t(31), values.size()}) {
                    const std::vector<float> x(
                        values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
                    const auto count = static_cast<std::int64_t>(n);
                    const Tensor xt = Tensor::fromFloats({count}, x);
                    // One scale: the span. The same scale repeated per element: the scalar broadcast loop.
                    const Tensor fast = intQuant(xt, Tensor::scalar(scale), Tensor::scalar(zero),
                        Tensor::scalar(static_cast<float>(bits)), a, Precision::Float32);
                    const Tensor slow
                        = intQuant(xt, Tensor::fromFloats({count}, std::vector<float>(n, scale)),
                            Tensor::fromFloats({count}, std::vector<float>(n, zero)),
                            Tensor::scalar(static_cast<float>(bits)), a, Precision::Float32);
                    ASSERT_EQ(fast.shape(), slow.shape());
                    ASSERT_EQ(std::memcmp(fast.rawData(), slow.rawData(), fast.byteSize()), 0)
                        << "n " << n << " zero " << zero << " bits " << bits << " mode " << mode;
                }
            }
}
