#pragma once
// ONNX DepthToSpace (DCR and CRD modes) and SpaceToDepth on [N, C, H, W], every dtype.
#include "core/util/tensor.h"

#include <cstdint>

namespace qs::kernels {

enum class DepthToSpaceMode { DCR, CRD };

Tensor depthToSpace(const Tensor& x, std::int64_t blocksize, DepthToSpaceMode mode = DepthToSpaceMode::DCR);
Tensor spaceToDepth(const Tensor& x, std::int64_t blocksize);

} // namespace qs::kernels
