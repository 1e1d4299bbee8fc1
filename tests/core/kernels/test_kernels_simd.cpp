// The vectorised compute cores (core/kernels/simd.h) against their scalar definitions, bit for bit:
// QuantizeLinear/DequantizeLinear on codes (NaN, infinities, ties, saturation, every tail length), the
// short-K GEMM (ordered sums without FMA, all transpose/alpha/beta forms), and the depthwise conv plane
// (bias, then one multiply-add per valid tap in order — fused exactly when the AVX2 build runs).
#include "core/kernels/simd.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace qs::kernels::detail;

namespace {

bool sameBits(float a, float b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

template <class Q> Q scalarCode(float x, float s, float z)
{
    const float lo = static_cast<float>(std::numeric_limits<Q>::lowest());
    const float hi = static_cast<float>(std::numeric_limits<Q>::max());
    if (std::isnan(x))
        return static_cast<Q>(z);
    return static_cast<Q>(std::min(std::max(std::nearbyint(x / s) + z, lo), hi));
}

template <class Q> void checkQuantize(float zeroPoint)
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-300.0f, 300.0f);
    const float scale = 0.37f;
    std::vector<float> x;
    for (int i = 0; i < 200; ++i)
        x.push_back(dist(rng));
    // Ties (k + 0.5) * scale round to even; specials map to the ends or the zero point.
    for (int k = -6; k <= 6; ++k)
        x.push_back((static_cast<float>(k) + 0.5f) * scale);
    for (float v : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
             -std::numeric_limits<float>::infinity(), 1e30f, -1e30f, 0.0f, -0.0f})
        x.push_back(v);
    const float lo = static_cast<float>(std::numeric_limits<Q>::lowest());
    const float hi = static_cast<float>(std::numeric_limits<Q>::max());
    for (std::size_t n = 0; n <= x.size(); n += (n < 70 ? 1 : 37)) { // every tail length up to 70
        std::vector<Q> y(n + 1, Q(99));
        quantizeToCodes(x.data(), static_cast<std::int64_t>(n), scale, zeroPoint, lo, hi, y.data());
        for (std::size_t i = 0; i < n; ++i)
            ASSERT_EQ(y[i], scalarCode<Q>(x[i], scale, zeroPoint)) << "n " << n << " x " << x[i];
        EXPECT_EQ(y[n], Q(99)) << "wrote past the end";
    }
}

} // namespace

TEST(SimdCores, QuantizeToCodesMatchesTheScalarFormula)
{
    checkQuantize<std::int8_t>(0.0f);
    checkQuantize<std::int8_t>(-3.0f);
    checkQuantize<std::uint8_t>(128.0f);
    checkQuantize<std::uint8_t>(0.0f);
    checkQuantize<std::int16_t>(17.0f);
}

TEST(SimdCores, DequantizeCodesIsExactSubtractionThenOneMultiply)
{
    std::vector<std::int8_t> s8;
    std::vector<std::uint8_t> u8;
    for (int v = 0; v < 256; ++v) {
        s8.push_back(static_cast<std::int8_t>(v - 128));
        u8.push_back(static_cast<std::uint8_t>(v));
    }
    const float scale = 0.0123f;
    for (std::int64_t n : {0, 1, 7, 8, 9, 255, 256}) {
        std::vector<float> y(static_cast<std::size_t>(n));
        dequantizeCodes(s8.data(), n, -5, scale, y.data());
        for (std::int64_t i = 0; i < n; ++i)
            ASSERT_TRUE(sameBits(y[static_cast<std::size_t>(i)],
                static_cast<float>(s8[static_cast<std::size_t>(i)] + 5) * scale));
        dequantizeCodes(u8.data(), n, 200, scale, y.data());
        for (std::int64_t i = 0; i < n; ++i)
            ASSERT_TRUE(sameBits(y[static_cast<std::size_t>(i)],
                static_cast<float>(u8[static_cast<std::size_t>(i)] - 200) * scale));
    }
}

TEST(SimdCores, ShortGemmIsTheOrderedSumWithoutFma)
{
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (std::int64_t K : {1, 2, 3, 9, 16})
        for (int form = 0; form < 4; ++form) {
            const bool ta = form & 1, tb = form & 2;
            const std::int64_t M = 5, N = 37;
            std::vector<float> A(static_cast<std::size_t>(M * K)), B(static_cast<std::size_t>(K * N)),
                C(static_cast<std::size_t>(M * N));
            for (float& v : A)
                v = dist(rng);
            for (float& v : B)
                v = dist(rng);
            for (float& v : C)
                v = dist(rng);
            const auto a = [&](std::int64_t m, std::int64_t k) {
                return ta ? A[static_cast<std::size_t>(k * M + m)] : A[static_cast<std::size_t>(m * K + k)];
            };
            const auto b = [&](std::int64_t k, std::int64_t n) {
                return tb ? B[static_cast<std::size_t>(n * K + k)] : B[static_cast<std::size_t>(k * N + n)];
            };
            for (float beta : {0.0f, 1.0f, 0.5f}) {
                const float alpha = form == 3 ? 2.0f : 1.0f;
                std::vector<float> out = C;
                gemm(ta, tb, M, N, K, alpha, A.data(), ta ? M : K, B.data(), tb ? K : N, beta, out.data(), N);
                for (std::int64_t m = 0; m < M; ++m)
                    for (std::int64_t n = 0; n < N; ++n) {
                        volatile float sum = 0.0f; // volatile: each product and sum rounded on its own
                        for (std::int64_t k = 0; k < K; ++k) {
                            volatile float product = a(m, k) * b(k, n);
                            sum = sum + product;
                        }
                        volatile float scaled = alpha * sum;
                        float expected = scaled;
                        if (beta != 0.0f) {
                            volatile float old = beta * C[static_cast<std::size_t>(m * N + n)];
                            expected = scaled + old;
                        }
                        ASSERT_TRUE(sameBits(out[static_cast<std::size_t>(m * N + n)], expected))
                            << "K " << K << " form " << form << " beta " << beta << " at " << m << "," << n;
                    }
            }
        }
}

TEST(SimdCores, DepthwisePlaneIsBiasThenEachValidTapInOrder)
{
    const bool fused = std::string(simdVariant()).find("avx2") != std::string::npos;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    struct Case {
        std::int64_t H, W, k, stride, dilation, pad;
    };
    for (const Case c : {Case {5, 1, 3, 1, 1, 1}, Case {7, 9, 3, 1, 1, 1}, Case {16, 16, 3, 2, 1, 1},
             Case {8, 20, 3, 1, 2, 2}, Case {6, 17, 5, 2, 1, 2}, Case {4, 4, 3, 1, 1, 0},
             Case {3, 33, 1, 3, 1, 0}}) {
        DepthwiseGeometry g {};
        g.in[0] = g.out[0] = g.kernel[0] = g.strides[0] = g.dilations[0] = 1;
        g.padBegin[0] = 0;
        g.in[1] = c.H;
        g.in[2] = c.W;
        for (int d = 1; d < 3; ++d) {
            g.kernel[d] = c.k;
            g.strides[d] = c.stride;
            g.dilations[d] = c.dilation;
            g.padBegin[d] = c.pad;
            g.out[d] = (g.in[d] + 2 * c.pad - c.dilation * (c.k - 1) - 1) / c.stride + 1;
        }
        std::vector<float> x(static_cast<std::size_t>(c.H * c.W)), w(static_cast<std::size_t>(c.k * c.k));
        for (float& v : x)
            v = dist(rng);
        for (float& v : w)
            v = dist(rng);
        const float bias = dist(rng);
        std::vector<float> y(static_cast<std::size_t>(g.out[1] * g.out[2]) + 1, 42.0f);
        depthwisePlane(g, x.data(), w.data(), bias, y.data());
        for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
            for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                float expected = bias;
                for (std::int64_t kh = 0; kh < c.k; ++kh)
                    for (std::int64_t kw = 0; kw < c.k; ++kw) {
                        const std::int64_t ih = oh * c.stride - c.pad + kh * c.dilation;
                        const std::int64_t iw = ow * c.stride - c.pad + kw * c.dilation;
                        if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                            continue;
                        const float wv = w[static_cast<std::size_t>(kh * c.k + kw)];
                        const float xv = x[static_cast<std::size_t>(ih * c.W + iw)];
                        if (fused) {
                            expected = std::fma(wv, xv, expected);
                        } else {
                            volatile float product = wv * xv;
                            expected = expected + product;
                        }
                    }
                ASSERT_TRUE(sameBits(y[static_cast<std::size_t>(oh * g.out[2] + ow)], expected))
                    << c.H << "x" << c.W << " k" << c.k << " s" << c.stride << " at " << oh << "," << ow;
            }
        EXPECT_EQ(y.back(), 42.0f) << "wrote past the plane";
    }
}
