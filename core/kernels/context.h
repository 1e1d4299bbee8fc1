#pragma once
// Per-call execution settings for the heavy kernels (Conv, ConvTranspose, MatMul, Gemm, pooling).

namespace qs::kernels {

struct KernelContext {
    int threads = 1; // worker threads, including the calling one; <= 1 runs everything inline
};

// How many pieces a kernel cuts a small problem into so that several threads have work. It is a
// constant, not the thread count: the pieces, and so every float sum, are then the same whatever the
// number of threads, and a run gives the same bits on 1 thread as on 8.
inline constexpr int kParallelPieces = 8;

} // namespace qs::kernels
