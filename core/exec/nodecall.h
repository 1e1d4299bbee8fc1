#pragma once
// What a kernel binding sees of one node at run time: its inputs, attributes, opset and the
// execution settings. Attribute getters apply the ONNX defaults given by the caller.
#include "core/kernels/context.h"
#include "core/numerics/quantops.h"
#include "core/util/tensor.h"

#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// A kernel binding's results, moved into the vector: `return {kernel(...)}` would go through an
// initializer_list, which can only be copied from (a full second allocation and copy per output).
template <class... Ts> std::vector<Tensor> outputs(Ts&&... tensors)
{
    std::vector<Tensor> out;
    out.reserve(sizeof...(Ts));
    (out.push_back(std::forward<Ts>(tensors)), ...);
    return out;
}

class NodeCall {
public:
    NodeCall(const onnx::NodeProto& node, int opset, Precision precision, kernels::KernelContext context,
        std::vector<const Tensor*> inputs);

    const onnx::NodeProto& node() const { return node_; }
    int opset() const { return opset_; }
    Precision precision() const { return precision_; }
    const kernels::KernelContext& context() const { return context_; }

    std::size_t inputCount() const { return inputs_.size(); }
    const Tensor& input(std::size_t i) const; // Error if absent
    const Tensor* optionalInput(std::size_t i) const; // nullptr if absent or omitted

    bool hasAttribute(const std::string& name) const;
    std::int64_t intAttribute(const std::string& name, std::int64_t fallback) const;
    float floatAttribute(const std::string& name, float fallback) const;
    std::string stringAttribute(const std::string& name, const std::string& fallback) const;
    std::vector<std::int64_t> intsAttribute(const std::string& name) const;
    std::vector<float> floatsAttribute(const std::string& name) const;
    const onnx::TensorProto* tensorAttribute(const std::string& name) const;

    // Ints that moved from an attribute to an input in some opset (axes, pads, splits, ...).
    std::optional<std::vector<std::int64_t>> intsFromInputOrAttribute(
        std::size_t input, const std::string& attribute) const;

private:
    const onnx::AttributeProto* find(const std::string& name) const;

    const onnx::NodeProto& node_;
    int opset_;
    Precision precision_;
    kernels::KernelContext context_;
    std::vector<const Tensor*> inputs_;
};

} // namespace qs
