#pragma once
// Typed, defaulted access to a NodeProto's attributes.
#include <cstdint>
#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <vector>

namespace qs {

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name);
std::optional<std::int64_t> intAttribute(const onnx::NodeProto& node, const std::string& name);
std::optional<float> floatAttribute(const onnx::NodeProto& node, const std::string& name);
std::optional<std::string> stringAttribute(const onnx::NodeProto& node, const std::string& name);
std::optional<std::vector<std::int64_t>> intsAttribute(const onnx::NodeProto& node, const std::string& name);

} // namespace qs
