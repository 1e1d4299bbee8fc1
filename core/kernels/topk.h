#pragma once
// ONNX TopK (opsets 1-11+): the k largest (or smallest) values along an axis and their indices.
#include "core/util/tensor.h"

#include <cstdint>

namespace qs::kernels {

struct TopKAttrs {
    std::int64_t axis = -1;
    bool largest = true;
    bool sorted = true; // results are always sorted; unsorted order is unspecified by ONNX anyway
};

struct TopKResult {
    Tensor values;
    Tensor indices; // Int64
};

// Equal values keep the lower index first; NaN counts as larger than every number.
// x: any numeric dtype. k must be in [0, dim].
TopKResult topK(const Tensor& x, std::int64_t k, const TopKAttrs& attrs = {});

} // namespace qs::kernels
