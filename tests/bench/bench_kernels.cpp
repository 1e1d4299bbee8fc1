// Prints ms per call and GFLOP/s for the heavy kernels on small-CNN shapes, at batch 1 and 32
// with 1 and 2 threads. Compare against onnxruntime on the same shapes by hand.
#include "core/kernels/conv.h"
#include "core/kernels/matmul.h"
#include "core/kernels/simd.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>

using namespace qs;
using namespace qs::kernels;

namespace {

Tensor randomTensor(Shape shape)
{
    static std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    Tensor t(DType::Float32, std::move(shape));
    for (float& v : t.values<float>())
        v = dist(rng);
    return t;
}

// Best-of timing: repeats until 0.3 s have passed, reports the fastest call.
double timeMs(const std::function<void()>& fn)
{
    using Clock = std::chrono::steady_clock;
    fn(); // warm up scratch buffers and the thread pool
    double best = 1e300;
    const auto start = Clock::now();
    int runs = 0;
    while (runs < 3 || std::chrono::duration<double>(Clock::now() - start).count() < 0.3) {
        const auto t0 = Clock::now();
        fn();
        best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        ++runs;
    }
    return best;
}

struct ConvCase {
    const char* name;
    std::int64_t C, M, H, W, k, stride, pad, group;
};

void benchConv(const ConvCase& c)
{
    for (std::int64_t batch : {1, 32}) {
        const Tensor x = randomTensor({batch, c.C, c.H, c.W});
        const Tensor w = randomTensor({c.M, c.C / c.group, c.k, c.k});
        const Tensor b = randomTensor({c.M});
        ConvAttrs at;
        at.strides = {c.stride, c.stride};
        at.pads = {c.pad, c.pad, c.pad, c.pad};
        at.group = c.group;
        const std::int64_t oh = (c.H + 2 * c.pad - c.k) / c.stride + 1,
                           ow = (c.W + 2 * c.pad - c.k) / c.stride + 1;
        const double flops = 2.0 * static_cast<double>(batch * c.M * oh * ow * (c.C / c.group) * c.k * c.k);
        for (int threads : {1, 2}) {
            const double ms = timeMs([&] { conv(x, w, &b, at, KernelContext {threads}); });
            std::printf("%-34s batch %2lld threads %d  %9.3f ms  %7.2f GFLOP/s\n", c.name,
                static_cast<long long>(batch), threads, ms, flops / ms / 1e6);
        }
    }
}

void benchGemm(const char* name, std::int64_t M, std::int64_t K, std::int64_t N)
{
    const Tensor a = randomTensor({M, K}), bt = randomTensor({N, K}), c = randomTensor({N});
    GemmAttrs at;
    at.transB = true;
    const double flops = 2.0 * static_cast<double>(M * N * K);
    for (int threads : {1, 2}) {
        const double ms = timeMs([&] { gemm(a, bt, &c, at, KernelContext {threads}); });
        std::printf(
            "%-34s          threads %d  %9.3f ms  %7.2f GFLOP/s\n", name, threads, ms, flops / ms / 1e6);
    }
}

void benchMatMul(const char* name, Shape a, Shape b)
{
    const Tensor ta = randomTensor(a), tb = randomTensor(b);
    const std::int64_t M = a[a.size() - 2], K = a.back(), N = b.back();
    const double flops = 2.0 * static_cast<double>(elementCount(a) / (M * K) * M * N * K);
    for (int threads : {1, 2}) {
        const double ms = timeMs([&] { matMul(ta, tb, KernelContext {threads}); });
        std::printf(
            "%-34s          threads %d  %9.3f ms  %7.2f GFLOP/s\n", name, threads, ms, flops / ms / 1e6);
    }
}

} // namespace

int main()
{
    std::printf("SIMD build: %s\n", detail::simdVariant());
    const ConvCase cases[] = {
        {"conv3x3 16->16 32x32 pad1", 16, 16, 32, 32, 3, 1, 1, 1},
        {"depthwise3x3 32ch 32x32 pad1", 32, 32, 32, 32, 3, 1, 1, 32},
        {"depthwise3x3 32ch 32x32 s2 pad1", 32, 32, 32, 32, 3, 2, 1, 32},
        {"pointwise1x1 32->64 32x32", 32, 64, 32, 32, 1, 1, 0, 1},
        {"pointwise1x1 64->64 16x16", 64, 64, 16, 16, 1, 1, 0, 1},
        {"conv3x3 3->16 32x32 pad1 (stem)", 3, 16, 32, 32, 3, 1, 1, 1},
    };
    for (const ConvCase& c : cases)
        benchConv(c);
    benchGemm("gemm 32x512 * 512x256 (transB)", 32, 512, 256);
    benchGemm("gemm 32x1024 * 1024x10 (transB)", 32, 1024, 10);
    benchMatMul("matmul [32,64,64] x [64,64]", {32, 64, 64}, {64, 64});
    return 0;
}
