#pragma once
// Builds small ONNX models in code: for tests (including deliberately broken ones), examples and
// benchmarks, instead of checking in binary blobs.
#include "core/util/tensor.h"

#include <cstdint>
#include <onnx/onnx_pb.h>
#include <string>
#include <variant>
#include <vector>

namespace qs {

struct Attribute {
    using Value = std::variant<std::int64_t, float, std::string, std::vector<std::int64_t>, std::vector<float>>;
    std::string name;
    Value value;
};

class ModelBuilder {
public:
    explicit ModelBuilder(int defaultOpset = 13, int irVersion = 8);

    // Dims < 0 become the symbolic dim "N".
    ModelBuilder& input(const std::string& name, std::vector<std::int64_t> dims, int elemType = onnx::TensorProto::FLOAT);
    ModelBuilder& output(const std::string& name, std::vector<std::int64_t> dims = {}, int elemType = onnx::TensorProto::FLOAT);
    ModelBuilder& initializer(const std::string& name, const Tensor& value, int elemType = 0); // 0: from dtype
    ModelBuilder& node(const std::string& opType, std::vector<std::string> inputs, std::vector<std::string> outputs,
                       std::vector<Attribute> attributes = {}, const std::string& domain = "", std::string name = "");
    ModelBuilder& opset(const std::string& domain, int version);

    // A QONNX Quant node on `x` with scalar parameters stored as float initializers; returns its output.
    std::string quant(const std::string& x, double scale, double zeroPoint, double bits, bool isSigned, bool narrow,
                      const std::string& domain = "qonnx.custom_op.general", const std::string& rounding = "ROUND");

    onnx::ModelProto& proto() { return model_; }
    onnx::ModelProto build() const { return model_; }

private:
    onnx::ModelProto model_;
    int counter_ = 0;
};

} // namespace qs
