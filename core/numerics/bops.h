#pragma once
// MACs and bit operations per layer (spec accumulator-and-bops.md §4, qonnx-ops.md §8.3), computed
// from tensor shapes. MAC counts are exact int64; BOPs are double (log2 K and sparsity are real).
// A symbolic batch dimension should be passed as 1 and the result labelled "per sample".
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace qs {

struct MacCount {
    std::int64_t macs = 0; // dense multiply-accumulates
    std::int64_t k = 0; // dot-product length (§1.4); 0 for Upsample
    std::int64_t outputElements = 0; // elements of the layer output
};

// Conv, any rank >= 3, any group (depthwise included): input [B, C_in, ...], weight
// [C_out, C_in/group, k...], output [B, C_out, ...]. MACs = output elements * K. Throws Error on
// inconsistent shapes.
MacCount convMacs(const std::vector<std::int64_t>& inputShape, const std::vector<std::int64_t>& weightShape,
    const std::vector<std::int64_t>& outputShape, std::int64_t group = 1);

// ConvTranspose: weight [C_in, C_out/group, k...]; MACs = B * C_in * prod(input spatial) *
// (C_out/group) * prod(k); K = (C_in/group) * prod(k), the conservative full-kernel choice of §1.4.
MacCount convTransposeMacs(const std::vector<std::int64_t>& inputShape,
    const std::vector<std::int64_t>& weightShape, const std::vector<std::int64_t>& outputShape,
    std::int64_t group = 1);

// Gemm Y = A' B' with 2-D A and B: MACs = M * N * K.
MacCount gemmMacs(const std::vector<std::int64_t>& aShape, const std::vector<std::int64_t>& bShape,
    bool transA = false, bool transB = false);

// MatMul with numpy semantics (1-D operands, broadcast batch dims): MACs = K * prod(output shape).
MacCount matMulMacs(const std::vector<std::int64_t>& aShape, const std::vector<std::int64_t>& bShape);

// qonnx Upsample: "nearest" costs 0, "linear" 2 * d * B * C * prod(output spatial) with d the number
// of scales > 1; any other mode throws Error.
MacCount upsampleMacs(const std::vector<std::int64_t>& inputShape,
    const std::vector<std::int64_t>& outputShape, std::span<const double> scales, std::string_view mode);

// Fraction of non-zero weights (1 for an empty tensor).
double weightDensity(std::span<const std::int64_t> weights);
double weightDensity(std::span<const double> weights);

struct Bops {
    double macsDense = 0.0;
    double macsSparse = 0.0; // MACs * weight density (qonnx discount_sparsity)
    double qonnxDense = 0.0; // "BOPs (qonnx: mult only)" = MACs * b_a * b_w
    double qonnxSparse = 0.0; // ... with the density discount on the whole count
    double uniq = 0.0; // "BOPs (UNIQ: mult + add)" = MACs * (b_a b_w + b_a + b_w + log2 K)
    double uniqPruned = 0.0; // Ps-and-Qs: MACs * (density b_a b_w + b_a + b_w + log2 K)
};

// b_a, b_w are the operand data-type widths (§4.2: INTn/UINTn -> n, BIPOLAR/BINARY -> 1,
// TERNARY -> 2, FLOAT32 -> 32). For ConvTranspose the UNIQ forms use the real MAC count and the
// conservative K; with K = 0 (Upsample) the log2 K term is dropped. Throws Error for widths < 1 or a
// density outside [0, 1].
Bops computeBops(const MacCount& macs, int inputBits, int weightBits, double weightDensity = 1.0);

// Tool extension of §4.3: the addition priced at a chosen accumulator width P instead of
// b_a + b_w + log2 K: MACs * (density b_a b_w + P).
double accumulatorAwareBops(
    const MacCount& macs, int inputBits, int weightBits, int accBits, double weightDensity = 1.0);

} // namespace qs
