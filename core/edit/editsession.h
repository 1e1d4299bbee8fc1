#pragma once
// Internal to core/edit: the state of one quantizer edit while it is being made (the document, the
// quantizer, the recorder) and the protobuf surgery every kind of quantizer needs: writing parameters
// (un-sharing shared initializers and replacing constant subgraphs first), attributes, declarations.
#include "core/edit/changerecorder.h"
#include "core/edit/tensorwrite.h"
#include "core/model/modeldocument.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qs {

struct ParameterUse {
    NodeId node;
    int slot;
};

class EditSession {
public:
    EditSession(
        ModelDocument& doc, const Quantizer& quantizer, ChangeRecorder& recorder, ChangeRecord& record);

    const ModelDocument& doc() const { return doc_; }
    const Quantizer& quantizer() const { return q_; }
    ChangeRecorder& recorder() { return rec_; }
    ChangeRecord& record() { return record_; }

    // "QCDQ '/conv1/QuantizeLinear'" — the prefix of every refusal.
    std::string label() const;
    [[noreturn]] void refuse(const std::string& why) const;

    const onnx::NodeProto& node(NodeId id) const { return rec_.model().graph().node(id); }
    std::string inputName(NodeId id, int slot) const; // "" when the input is absent
    int initializerIndex(const std::string& name) const;
    int opset() const; // default-domain opset version
    // The current value of a parameter tensor (initializer or constant subgraph), or nullopt.
    std::optional<Tensor> value(const std::string& tensorName) const;
    int elemTypeOf(const std::string& tensorName) const; // 0 when unknown

    // Writes `values` (with `shape`, default: the tensor's current shape) into the tensor(s) feeding
    // `uses`, stored as `elemType` (default: the tensor's current type). A tensor also used outside
    // `uses` is copied first; a tensor computed by a constant subgraph is replaced by a new
    // initializer. `role` names new tensors ("scale", "clip_min", ...).
    void writeParameter(const std::vector<ParameterUse>& uses, const std::vector<double>& values,
        std::optional<Shape> shape, std::optional<int> elemType, const std::string& role);
    // Adds a new initializer named after the quantizer and `role`; returns its name.
    std::string addInitializer(
        const std::vector<double>& values, const Shape& shape, int elemType, const std::string& role);
    // Points `uses` at `tensorName` (adding missing optional inputs).
    void connect(const std::vector<ParameterUse>& uses, const std::string& tensorName);

    void setIntAttribute(NodeId id, const std::string& name, std::int64_t value);
    void setFloatAttribute(NodeId id, const std::string& name, float value);
    void setStringAttribute(NodeId id, const std::string& name, const std::string& value);
    // Updates the element type (and dims, when given) of every graph input/output/value_info entry of
    // the tensor, so declarations never contradict an edited initializer or a retyped Q output.
    void redeclare(const std::string& tensorName, int elemType, const std::optional<Shape>& dims);

    std::string uniqueTensorName(const std::string& base);
    std::string uniqueNodeName(const std::string& base);

private:
    void collectNames();
    int appendInitializer(const onnx::TensorProto& tensor);
    onnx::AttributeProto& attribute(
        NodeId id, const std::string& name, onnx::AttributeProto::AttributeType type);

    ModelDocument& doc_;
    const Quantizer& q_;
    ChangeRecorder& rec_;
    ChangeRecord& record_;
    std::set<std::string> tensorNames_;
    std::set<std::string> nodeNames_;
    bool namesCollected_ = false;
};

// A parameter for old -> new lists: "0.5" or "16 values 0.01..0.2".
std::string formatValues(const std::vector<double>& values);

} // namespace qs
