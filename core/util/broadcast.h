#pragma once
// numpy / ONNX multidirectional broadcasting. Elementwise kernels compute the output shape with
// broadcastShapes(), get each input's strides aligned to it with broadcastStrides() (0 on broadcast
// axes) and walk the output with forEachBroadcast(), which hands out one input offset per operand.
#include "core/util/tensor.h"

#include <array>
#include <cstdint>
#include <vector>

namespace qs {

// Throws Error naming both shapes when they cannot be broadcast together.
Shape broadcastShapes(const Shape& a, const Shape& b);
Shape broadcastShapes(const std::vector<Shape>& shapes);

// Element strides of `in` viewed with the rank of `out`; 0 where `in` is broadcast.
std::vector<std::int64_t> broadcastStrides(const Shape& in, const Shape& out);

// Calls f(outIndex, offsets) for every element of `out` in row-major order, where offsets[k] is the
// element offset into operand k. The innermost axis is a tight loop.
template <std::size_t N, class F>
void forEachBroadcast(const Shape& out, const std::array<std::vector<std::int64_t>, N>& strides, F&& f)
{
    const int rank = static_cast<int>(out.size());
    const std::int64_t total = elementCount(out);
    if (total == 0)
        return;
    std::array<std::int64_t, N> offsets {};
    if (rank == 0) {
        f(std::int64_t(0), offsets);
        return;
    }
    std::vector<std::int64_t> index(static_cast<std::size_t>(rank), 0);
    const std::int64_t inner = out[static_cast<std::size_t>(rank - 1)];
    std::array<std::int64_t, N> innerStride {};
    for (std::size_t k = 0; k < N; ++k)
        innerStride[k] = strides[k][static_cast<std::size_t>(rank - 1)];
    std::int64_t outIndex = 0;
    while (outIndex < total) {
        std::array<std::int64_t, N> o = offsets;
        for (std::int64_t i = 0; i < inner; ++i) {
            f(outIndex++, o);
            for (std::size_t k = 0; k < N; ++k)
                o[k] += innerStride[k];
        }
        // Advance the odometer over the outer axes.
        for (int axis = rank - 2; axis >= 0; --axis) {
            const auto a = static_cast<std::size_t>(axis);
            ++index[a];
            for (std::size_t k = 0; k < N; ++k)
                offsets[k] += strides[k][a];
            if (index[a] < out[a])
                break;
            for (std::size_t k = 0; k < N; ++k)
                offsets[k] -= strides[k][a] * out[a];
            index[a] = 0;
        }
    }
}

} // namespace qs
