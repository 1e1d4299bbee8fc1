#pragma once
// ONNX shape and indexing operators. They move elements without looking at them, so every one
// works for every qs::DType. Shape-valued inputs (Reshape's shape, Slice's starts, ...) are
// passed as int64 vectors; the executor reads them from the node's Int64 tensors.
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace qs::kernels {

// Reshape's output shape: 0 copies the input dim (unless allowZero, where it means an empty dim),
// one -1 is inferred. Throws Error when the element counts cannot match.
Shape reshapeShape(const Shape& input, const std::vector<std::int64_t>& target, bool allowZero = false);
Tensor reshape(const Tensor& x, const std::vector<std::int64_t>& target, bool allowZero = false);

Tensor identity(const Tensor& x);
// perm empty = reverse the axes.
Tensor transpose(const Tensor& x, const std::vector<std::int64_t>& perm = {});
Tensor concat(const std::vector<const Tensor*>& inputs, std::int64_t axis);
// splits given: the sizes along axis (must add up); otherwise numOutputs parts, equal when the dim
// divides, else ceil-sized with a smaller last part (opset 18).
std::vector<Tensor> split(
    const Tensor& x, std::int64_t axis, const std::vector<std::int64_t>& splits, std::int64_t numOutputs = 0);
// axes empty = all axes in order; steps empty = all 1. Out-of-range starts/ends clamp as ONNX says.
Tensor slice(const Tensor& x, const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& ends,
    const std::vector<std::int64_t>& axes = {}, const std::vector<std::int64_t>& steps = {});
// indices: Int32/Int64 of any shape, negative values count from the end; out of range is an Error.
Tensor gather(const Tensor& data, const Tensor& indices, std::int64_t axis = 0);
// axes empty = every dim of size 1.
Tensor squeeze(const Tensor& x, const std::vector<std::int64_t>& axes = {});
// axes address the output rank.
Tensor unsqueeze(const Tensor& x, const std::vector<std::int64_t>& axes);
Tensor flatten(const Tensor& x, std::int64_t axis = 1);
// Bidirectional broadcast of x against shape.
Tensor expand(const Tensor& x, const std::vector<std::int64_t>& shape);
Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats);
// 1-D Int64 tensor with x's dims [start, end) (opset 15 clamping).
Tensor shapeOf(const Tensor& x, std::optional<std::int64_t> start = {}, std::optional<std::int64_t> end = {});

namespace detail {
// out[i0..ik] = x[maps[0][i0], ..., maps[k][ik]], or the single element of `fill` where any map
// entry is -1 (fill may be nullptr when no entry is -1). The common engine of Slice, Tile, Pad and
// nearest Resize.
Tensor gatherAxes(const Tensor& x, const Shape& outShape, const std::vector<std::vector<std::int64_t>>& maps,
    const Tensor* fill = nullptr);
} // namespace detail

} // namespace qs::kernels
