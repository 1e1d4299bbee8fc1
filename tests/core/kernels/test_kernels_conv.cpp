// Conv and ConvTranspose against naive reference loops on random data, plus error cases.
#include "core/kernels/conv.h"
#include "core/kernels/convtranspose.h"
#include "core/util/error.h"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <numeric>
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

double maxRelDiff(const Tensor& a, const Tensor& b)
{
    EXPECT_EQ(a.shape(), b.shape());
    double worst = 0, scale = 1e-6;
    for (std::int64_t i = 0; i < a.size(); ++i)
        scale = std::max(scale, std::abs(b.at(i)));
    for (std::int64_t i = 0; i < a.size() && a.size() == b.size(); ++i)
        worst = std::max(worst, std::abs(a.at(i) - b.at(i)) / scale);
    return worst;
}

// Unravels a flat index over `shape` into coordinates.
void unravelInto(std::int64_t i, const Shape& shape, std::vector<std::int64_t>& c)
{
    c.resize(shape.size());
    for (std::size_t k = shape.size(); k-- > 0;) {
        c[k] = i % shape[k];
        i /= shape[k];
    }
}

std::vector<std::int64_t> unravel(std::int64_t i, const Shape& shape)
{
    std::vector<std::int64_t> c;
    unravelInto(i, shape, c);
    return c;
}

std::int64_t ravel(const std::vector<std::int64_t>& c, const Shape& shape)
{
    std::int64_t i = 0;
    for (std::size_t k = 0; k < shape.size(); ++k)
        i = i * shape[k] + c[k];
    return i;
}

// Explicit pads as begin/end per dim, resolving auto_pad the way the ONNX spec describes it.
void resolvePads(const Shape& in, const Shape& k, const std::vector<std::int64_t>& s,
    const std::vector<std::int64_t>& d, AutoPad ap, std::vector<std::int64_t>& pads)
{
    const std::size_t n = in.size();
    if (ap == AutoPad::Valid)
        pads.assign(2 * n, 0);
    if (ap == AutoPad::SameUpper || ap == AutoPad::SameLower) {
        pads.assign(2 * n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::int64_t out = (in[i] + s[i] - 1) / s[i];
            const std::int64_t total
                = std::max<std::int64_t>(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i]);
            pads[i] = ap == AutoPad::SameUpper ? total / 2 : (total + 1) / 2;
            pads[i + n] = total - pads[i];
        }
    }
}

Tensor naiveConv(const Tensor& x, const Tensor& w, const Tensor* b, const ConvAttrs& at)
{
    const std::size_t n = static_cast<std::size_t>(x.rank() - 2);
    const Shape in(x.shape().begin() + 2, x.shape().end()), k(w.shape().begin() + 2, w.shape().end());
    std::vector<std::int64_t> s = at.strides.empty() ? std::vector<std::int64_t>(n, 1) : at.strides;
    std::vector<std::int64_t> d = at.dilations.empty() ? std::vector<std::int64_t>(n, 1) : at.dilations;
    std::vector<std::int64_t> p = at.pads.empty() ? std::vector<std::int64_t>(2 * n, 0) : at.pads;
    resolvePads(in, k, s, d, at.autoPad, p);
    Shape outShape {x.shape()[0], w.shape()[0]};
    for (std::size_t i = 0; i < n; ++i)
        outShape.push_back((in[i] + p[i] + p[i + n] - (k[i] - 1) * d[i] - 1) / s[i] + 1);
    Tensor y(DType::Float64, outShape);
    const std::int64_t G = at.group, Cg = w.shape()[1], Mg = w.shape()[0] / G;
    const std::int64_t kVolume = std::accumulate(k.begin(), k.end(), std::int64_t(1), std::multiplies<>());
    // Coordinates live in buffers reused across the loops: the reference stays naive, but millions of
    // small allocations would make it take minutes under AddressSanitizer.
    std::vector<std::int64_t> oc, kc, xc(n + 2), wc(n + 2);
    for (std::int64_t i = 0; i < y.size(); ++i) {
        unravelInto(i, outShape, oc);
        const std::int64_t m = oc[1], g = m / Mg;
        double acc = b ? b->at(m) : 0.0;
        for (std::int64_t c = 0; c < Cg; ++c)
            for (std::int64_t t = 0; t < kVolume; ++t) {
                unravelInto(t, k, kc);
                xc[0] = oc[0];
                xc[1] = g * Cg + c;
                bool inside = true;
                for (std::size_t a = 0; a < n; ++a) {
                    const std::int64_t v = oc[a + 2] * s[a] - p[a] + kc[a] * d[a];
                    inside = inside && v >= 0 && v < in[a];
                    xc[a + 2] = v;
                }
                if (!inside)
                    continue;
                wc[0] = m;
                wc[1] = c;
                std::copy(kc.begin(), kc.end(), wc.begin() + 2);
                acc += x.at(ravel(xc, x.shape())) * w.at(ravel(wc, w.shape()));
            }
        y.data<double>()[i] = acc;
    }
    return y;
}

} // namespace

TEST(Conv, MatchesNaiveReferenceAcrossAttributes)
{
    std::mt19937 rng(42);
    struct Case {
        Shape x, w;
        std::vector<std::int64_t> strides, pads, dilations;
        std::int64_t group;
        AutoPad ap;
        bool bias;
    };
    const std::vector<Case> cases {
        {{2, 3, 7, 6}, {4, 3, 3, 3}, {}, {}, {}, 1, AutoPad::NotSet, true},
        {{1, 4, 9, 9}, {6, 2, 3, 2}, {2, 1}, {1, 0, 2, 1}, {1, 2}, 2, AutoPad::NotSet, false},
        {{2, 4, 8, 8}, {4, 1, 3, 3}, {1, 1}, {1, 1, 1, 1}, {}, 4, AutoPad::NotSet, true}, // depthwise
        {{1, 3, 10, 7}, {6, 1, 3, 3}, {2, 2}, {}, {1, 1}, 3, AutoPad::SameUpper, true}, // depth multiplier 2
        {{1, 3, 10, 7}, {6, 1, 3, 3}, {2, 3}, {}, {2, 1}, 3, AutoPad::SameLower, false},
        {{3, 8, 5, 5}, {5, 8, 1, 1}, {}, {}, {}, 1, AutoPad::NotSet, true}, // pointwise
        {{1, 8, 5, 5}, {4, 8, 1, 1}, {2, 2}, {}, {}, 1, AutoPad::NotSet, true}, // strided 1x1
        {{2, 2, 11}, {3, 2, 4}, {3}, {2, 1}, {2}, 1, AutoPad::NotSet, true}, // 1-D
        {{1, 2, 5, 6, 4}, {3, 2, 2, 3, 2}, {1, 2, 1}, {1, 0, 1, 0, 1, 1}, {2, 1, 1}, 1, AutoPad::NotSet,
            true},
        {{1, 2, 6, 6, 6}, {2, 1, 3, 3, 3}, {2, 2, 2}, {}, {}, 2, AutoPad::SameUpper, true}, // 3-D depthwise
        {{1, 3, 6, 5}, {2, 3, 3, 3}, {1, 2}, {}, {}, 1, AutoPad::Valid, false},
        {{1, 2, 40, 40}, {3, 2, 3, 3}, {1, 1}, {1, 1, 1, 1}, {}, 1, AutoPad::NotSet, true}, // several tiles
        // Above the work threshold for threads (contextForWork): the parallel paths.
        {{1, 16, 24, 24}, {32, 16, 3, 3}, {1, 1}, {1, 1, 1, 1}, {}, 1, AutoPad::NotSet, true}, // tiles
        {{16, 32, 4, 4}, {64, 32, 3, 3}, {1, 1}, {1, 1, 1, 1}, {}, 1, AutoPad::NotSet, true}, // batched maps
        {{4, 64, 16, 16}, {64, 1, 3, 3}, {2, 2}, {1, 1, 1, 1}, {}, 64, AutoPad::NotSet, true}, // depthwise
    };
    for (const Case& c : cases) {
        for (int threads : {1, 3}) {
            const Tensor x = randomTensor(c.x, rng), w = randomTensor(c.w, rng),
                         b = randomTensor({c.w[0]}, rng);
            ConvAttrs at;
            at.strides = c.strides;
            at.pads = c.pads;
            at.dilations = c.dilations;
            at.group = c.group;
            at.autoPad = c.ap;
            const Tensor y = conv(x, w, c.bias ? &b : nullptr, at, KernelContext {threads});
            EXPECT_LE(maxRelDiff(y, naiveConv(x, w, c.bias ? &b : nullptr, at)), 1e-5)
                << shapeToString(c.x) << " * " << shapeToString(c.w) << " threads " << threads;
        }
    }
}

TEST(Conv, Float64InFloat64Out)
{
    std::mt19937 rng(1);
    const Tensor x = randomTensor({2, 3, 6, 6}, rng, DType::Float64),
                 w = randomTensor({4, 3, 3, 3}, rng, DType::Float64);
    ConvAttrs at;
    at.pads = {1, 1, 1, 1};
    const Tensor y = conv(x, w, nullptr, at);
    EXPECT_EQ(y.dtype(), DType::Float64);
    EXPECT_LE(maxRelDiff(y, naiveConv(x, w, nullptr, at)), 1e-12);
}

TEST(Conv, HandComputedCase)
{
    // 3x3 input of 1..9, 2x2 kernel of ones, no padding: each output sums a 2x2 window.
    const Tensor x = Tensor::fromFloats({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const Tensor w = Tensor::fromFloats({1, 1, 2, 2}, {1, 1, 1, 1});
    const Tensor b = Tensor::fromFloats({1}, {0.5f});
    const Tensor y = conv(x, w, &b, {});
    EXPECT_EQ(y.shape(), (Shape {1, 1, 2, 2}));
    EXPECT_EQ(y.toDoubles(), (std::vector<double> {12.5, 16.5, 24.5, 28.5}));
}

TEST(Conv, RejectsMalformedAttributes)
{
    const Tensor x(DType::Float32, {1, 4, 5, 5});
    const Tensor w(DType::Float32, {2, 4, 3, 3});
    ConvAttrs at;
    at.pads = {-1, 0, 0, 0};
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    at = {};
    at.strides = {0, 1};
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    at = {};
    at.dilations = {3, 3}; // window 7 > 5
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    at = {};
    at.group = 3;
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    at = {};
    at.group = 0;
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    EXPECT_THROW(conv(x, Tensor(DType::Float32, {2, 3, 3, 3}), nullptr, {}), Error); // channel mismatch
    EXPECT_THROW(conv(x, Tensor(DType::Float32, {2, 4, 3}), nullptr, {}), Error); // rank mismatch
    const Tensor badBias(DType::Float32, {3});
    EXPECT_THROW(conv(x, w, &badBias, {}), Error);
    at = {};
    at.strides = {1, 1, 1};
    EXPECT_THROW(conv(x, w, nullptr, at), Error);
    EXPECT_THROW(conv(x.cast(DType::Int64), w, nullptr, {}), Error);
    EXPECT_THROW(parseAutoPad("SAME"), Error);
}

TEST(Conv, HonoursAllocationLimit)
{
    const Tensor x(DType::Float32, {1, 1, 64, 64});
    const Tensor w(DType::Float32, {16, 1, 1, 1});
    AllocationLimit limit(1000);
    EXPECT_THROW(conv(x, w, nullptr, {}), Error);
}

namespace {

Tensor naiveConvTranspose(const Tensor& x, const Tensor& w, const Tensor* b,
    const std::vector<std::int64_t>& s, const std::vector<std::int64_t>& d,
    const std::vector<std::int64_t>& padBegin, const Shape& outSpatial, std::int64_t G)
{
    const std::size_t n = outSpatial.size();
    const std::int64_t C = x.shape()[1], Cg = C / G, Mg = w.shape()[1];
    Shape outShape {x.shape()[0], Mg * G};
    outShape.insert(outShape.end(), outSpatial.begin(), outSpatial.end());
    Tensor y(DType::Float64, outShape);
    for (std::int64_t i = 0; i < y.size(); ++i)
        y.data<double>()[i] = b ? b->at(unravel(i, outShape)[1]) : 0.0;
    const Shape k(w.shape().begin() + 2, w.shape().end());
    for (std::int64_t i = 0; i < x.size(); ++i) {
        const auto xc = unravel(i, x.shape());
        const std::int64_t g = xc[1] / Cg;
        for (std::int64_t j = 0; j < w.size() / C; ++j) {
            const auto wc = unravel(j, Shape(w.shape().begin() + 1, w.shape().end())); // [m, k...]
            std::vector<std::int64_t> yc {xc[0], g * Mg + wc[0]};
            bool inside = true;
            for (std::size_t a = 0; a < n; ++a) {
                const std::int64_t o = xc[a + 2] * s[a] - padBegin[a] + wc[a + 1] * d[a];
                inside = inside && o >= 0 && o < outSpatial[a];
                yc.push_back(o);
            }
            if (inside)
                y.data<double>()[ravel(yc, outShape)] += x.at(i) * w.at(xc[1] * (w.size() / C) + j);
        }
    }
    return y;
}

} // namespace

TEST(ConvTranspose, MatchesNaiveReference)
{
    std::mt19937 rng(7);
    {
        const Tensor x = randomTensor({2, 4, 5, 4}, rng), w = randomTensor({4, 3, 3, 2}, rng),
                     b = randomTensor({6}, rng);
        ConvTransposeAttrs at;
        at.strides = {2, 3};
        at.dilations = {1, 2};
        at.pads = {1, 0, 0, 1};
        at.outputPadding = {1, 0};
        at.group = 2;
        // out = s*(in-1) + op + (k-1)*d + 1 - pads
        const Shape out {2 * 4 + 1 + 3 - 1, 3 * 3 + 0 + 3 - 1};
        for (int threads : {1, 2}) {
            const Tensor y = convTranspose(x, w, &b, at, KernelContext {threads});
            EXPECT_LE(maxRelDiff(y, naiveConvTranspose(x, w, &b, {2, 3}, {1, 2}, {1, 0}, out, 2)), 1e-5);
        }
    }
    {
        const Tensor x = randomTensor({1, 2, 6}, rng), w = randomTensor({2, 2, 3}, rng);
        ConvTransposeAttrs at;
        at.strides = {2};
        at.outputShape = {12};
        at.autoPad = AutoPad::SameUpper;
        // full = 2*5 + 3 = 13, total padding 1: SAME_UPPER puts 0 at the start.
        const Tensor y = convTranspose(x, w, nullptr, at);
        EXPECT_LE(maxRelDiff(y, naiveConvTranspose(x, w, nullptr, {2}, {1}, {0}, {12}, 1)), 1e-5);
        at.autoPad = AutoPad::SameLower;
        const Tensor z = convTranspose(x, w, nullptr, at);
        EXPECT_LE(maxRelDiff(z, naiveConvTranspose(x, w, nullptr, {2}, {1}, {1}, {12}, 1)), 1e-5);
    }
    {
        const Tensor x = randomTensor({1, 2, 3, 3, 2}, rng), w = randomTensor({2, 1, 2, 2, 2}, rng);
        ConvTransposeAttrs at;
        at.strides = {1, 2, 1};
        const Tensor y = convTranspose(x, w, nullptr, at);
        EXPECT_LE(
            maxRelDiff(y, naiveConvTranspose(x, w, nullptr, {1, 2, 1}, {1, 1, 1}, {0, 0, 0}, {4, 6, 3}, 1)),
            1e-5);
    }
}

TEST(ConvTranspose, RejectsMalformedAttributes)
{
    const Tensor x(DType::Float32, {1, 4, 3, 3});
    const Tensor w(DType::Float32, {4, 2, 3, 3});
    ConvTransposeAttrs at;
    at.strides = {0, 1};
    EXPECT_THROW(convTranspose(x, w, nullptr, at), Error);
    at = {};
    at.pads = {3, 3, 3, 3}; // full size 5 minus 6
    EXPECT_THROW(convTranspose(x, w, nullptr, at), Error);
    at = {};
    at.group = 3;
    EXPECT_THROW(convTranspose(x, w, nullptr, at), Error);
    at = {};
    at.outputShape = {50, 50};
    EXPECT_THROW(convTranspose(x, w, nullptr, at), Error);
}
