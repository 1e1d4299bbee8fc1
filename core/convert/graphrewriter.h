#pragma once
// Batches structural edits of a ModelProto while node ids of the loaded document stay valid: nodes are
// replaced or upgraded by their original id and the node list is rebuilt once in commit(), keeping the
// order of every untouched node. Names of new nodes and tensors are made unique against the whole
// graph; parameter tensors that lose their last consumer are removed with the constant nodes that
// only fed them, and nothing else.
#include "core/model/graphindex.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <map>
#include <onnx/onnx_pb.h>
#include <set>
#include <string>
#include <vector>

namespace qs {

class GraphRewriter {
public:
    explicit GraphRewriter(onnx::ModelProto& model);

    onnx::ModelProto& model() { return model_; }
    onnx::NodeProto& node(NodeId id) { return *model_.mutable_graph()->mutable_node(id); }

    // `base` if it is free, else base_1, base_2, ... (reserved on return).
    std::string uniqueName(const std::string& base);
    // Adds an initializer named uniquely after `base`; returns its name.
    std::string addInitializer(const std::string& base, const Tensor& value, int elemType);
    // A new node with a unique name (not yet placed in the graph).
    onnx::NodeProto makeNode(const std::string& opType, const std::string& baseName,
        std::vector<std::string> inputs, std::vector<std::string> outputs, const std::string& domain = "");

    // `nodes` take the place of `first`; every id in `removed` (which may include `first`) disappears.
    void replace(NodeId first, const std::vector<NodeId>& removed, std::vector<onnx::NodeProto> nodes);
    // The tensor may have lost its last consumer; commit() then deletes it (and its dead producers).
    void releaseTensor(const std::string& name);

    // Rebuilds the node list and removes released tensors that nothing uses any more.
    void commit();

private:
    void removeUnused();

    onnx::ModelProto& model_;
    std::set<std::string> names_;
    std::map<NodeId, std::vector<onnx::NodeProto>> insertions_;
    std::set<NodeId> removed_;
    std::vector<std::string> released_;
};

// Attribute edits on a node (set replaces an attribute of the same name).
void setIntAttribute(onnx::NodeProto& node, const std::string& name, std::int64_t value);
void setStringAttribute(onnx::NodeProto& node, const std::string& name, const std::string& value);
bool removeAttribute(onnx::NodeProto& node, const std::string& name);

// Sets the version of an opset import (adding it when missing); returns the previous version or -1.
int setOpsetImport(onnx::ModelProto& model, const std::string& domain, int version);

} // namespace qs
