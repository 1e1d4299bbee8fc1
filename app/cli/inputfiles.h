#pragma once
// Reads `--input NAME=FILE` arguments (.npy, .npz, ONNX TensorProto .pb) into named tensors; inputs
// not given are filled with seeded random data.
#include "core/model/modeldocument.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qs::cli {

// `specs` are "NAME=FILE" or just "FILE" (allowed when the model has one input, or for .npz/.pb
// files whose array names match input names).
std::map<std::string, Tensor> loadInputs(const ModelDocument& doc, const std::vector<std::string>& specs,
                                         std::uint64_t seed, std::int64_t batch);

// A file name for a tensor: characters other than [A-Za-z0-9._-] become '_'.
std::string safeFileName(const std::string& tensorName);

} // namespace qs::cli
