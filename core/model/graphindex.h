#pragma once
// The graph of a model as plain indices: nodes, tensors, who produces and who consumes each tensor,
// and a topological order. Building it validates the structure: a cycle, a dangling input or two
// producers of one tensor are Errors naming the node and tensor at fault.
#include <cstdint>
#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

using NodeId = int;
using TensorId = int;

struct Dim {
    std::int64_t value = -1; // -1 when unknown or symbolic
    std::string symbol;      // dim_param, if any
    bool isKnown() const { return value >= 0; }
};

struct TensorUse {
    NodeId node;
    int slot; // input index of the consumer
};

struct TensorInfo {
    std::string name;
    int elemType = 0;                      // ONNX TensorProto::DataType, 0 when unknown
    std::optional<std::vector<Dim>> dims;  // rank and dims, when known (declared or inferred)
    NodeId producer = -1;
    int producerSlot = -1;
    std::vector<TensorUse> consumers;
    int initializerIndex = -1;             // index into graph.initializer
    int graphInputIndex = -1;              // index into graph.input
    int graphOutputIndex = -1;             // index into graph.output
    bool isConstant = false;               // an initializer, or computed from constants only

    bool isInitializer() const { return initializerIndex >= 0; }
    bool isGraphInput() const { return graphInputIndex >= 0 && initializerIndex < 0; }
    bool isGraphOutput() const { return graphOutputIndex >= 0; }
    // The shape when every dim is known.
    std::optional<std::vector<std::int64_t>> staticShape() const;
    std::string shapeString() const; // "[1,3,?,N]" or "?" when the rank is unknown
};

struct NodeInfo {
    std::string name;     // unique display name (the file's name, or OpType_k when empty/duplicate)
    std::string fileName; // the name as stored in the file (may be empty or shared)
    std::string opType;
    std::string domain;   // "" for the default ONNX domain
    std::vector<TensorId> inputs;  // -1 for an omitted optional input
    std::vector<TensorId> outputs; // -1 for an omitted optional output
};

class GraphIndex {
public:
    // Throws Error on structural problems. `maxNodes` guards against absurd graphs.
    static GraphIndex build(const onnx::GraphProto& graph, std::int64_t maxNodes);

    int nodeCount() const { return static_cast<int>(nodes_.size()); }
    int tensorCount() const { return static_cast<int>(tensors_.size()); }
    const NodeInfo& node(NodeId id) const { return nodes_.at(static_cast<std::size_t>(id)); }
    const TensorInfo& tensor(TensorId id) const { return tensors_.at(static_cast<std::size_t>(id)); }
    TensorInfo& tensor(TensorId id) { return tensors_.at(static_cast<std::size_t>(id)); }
    std::optional<TensorId> findTensor(const std::string& name) const;
    std::optional<NodeId> findNode(const std::string& displayName) const;

    const std::vector<NodeId>& topologicalOrder() const { return order_; }
    int topologicalPosition(NodeId id) const { return position_.at(static_cast<std::size_t>(id)); }
    const std::vector<TensorId>& graphInputs() const { return inputs_; }  // real inputs, no initializers
    const std::vector<TensorId>& graphOutputs() const { return outputs_; }

    // Nodes whose output feeds `id` (deduplicated, in input order).
    std::vector<NodeId> predecessors(NodeId id) const;
    std::vector<NodeId> successors(NodeId id) const;

private:
    TensorId intern(const std::string& name);
    void computeOrder();
    void computeConstness();

    std::vector<NodeInfo> nodes_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string, TensorId> tensorByName_;
    std::unordered_map<std::string, NodeId> nodeByName_;
    std::vector<NodeId> order_;
    std::vector<int> position_;
    std::vector<TensorId> inputs_;
    std::vector<TensorId> outputs_;
};

} // namespace qs
