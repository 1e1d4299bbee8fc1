#pragma once
// Per-call execution settings for the heavy kernels (Conv, ConvTranspose, MatMul, Gemm, pooling).

namespace qs::kernels {

struct KernelContext {
    int threads = 1; // worker threads, including the calling one; <= 1 runs everything inline
};

} // namespace qs::kernels
