#pragma once
// ONNX TensorProto files (.pb), as the ONNX model zoo and test suites ship inputs and outputs.
#include "core/util/tensor.h"

#include <filesystem>
#include <string>

namespace qs {

struct NamedTensor {
    std::string name;
    Tensor tensor;
};

NamedTensor readTensorProtoFile(const std::filesystem::path& path);

} // namespace qs
