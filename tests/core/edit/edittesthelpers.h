#pragma once
// Helpers shared by the edit tests: loading, finding quantizers, and listing which protobuf entries
// differ between two models (so a test can assert that an edit touched nothing else).
#include "core/model/modeldocument.h"
#include "support/testdata.h"

#include <google/protobuf/util/message_differencer.h>
#include <map>
#include <string>
#include <vector>

namespace qs::test {

inline std::unique_ptr<ModelDocument> loadModel(const std::string& file)
{
    return ModelDocument::load(model(file));
}

inline const Quantizer& quantizerNamed(const ModelDocument& doc, const std::string& name)
{
    for (const Quantizer& q : doc.quantizers())
        if (q.name == name)
            return q;
    throw std::runtime_error("no quantizer " + name);
}

inline std::vector<int> quantizersOf(const ModelDocument& doc, QuantizerKind kind, QuantizerRole role)
{
    std::vector<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.kind == kind && q.role == role)
            ids.push_back(q.id);
    return ids;
}

struct ProtoDiff {
    std::vector<std::string> nodes; // names of nodes that differ (or were added/removed)
    std::vector<std::string> initializers; // names of initializers that differ, were added or removed
    bool restEqual = true; // everything else (inputs, outputs, value_info, opsets, ...)
};

// Nodes are matched by position when both graphs have as many (files may repeat node names), else by
// name (an inserted Clip is reported as differing); initializers by name.
inline ProtoDiff diffModels(const onnx::ModelProto& a, const onnx::ModelProto& b)
{
    using google::protobuf::util::MessageDifferencer;
    ProtoDiff d;
    if (a.graph().node_size() == b.graph().node_size()) {
        for (int i = 0; i < a.graph().node_size(); ++i)
            if (!MessageDifferencer::Equals(a.graph().node(i), b.graph().node(i)))
                d.nodes.push_back(a.graph().node(i).name());
    }
    std::map<std::string, const onnx::NodeProto*> nodesB;
    for (const auto& n : b.graph().node())
        nodesB[n.name()] = &n;
    std::map<std::string, const onnx::NodeProto*> nodesA;
    for (const auto& n : a.graph().node())
        nodesA[n.name()] = &n;
    if (a.graph().node_size() != b.graph().node_size()) {
        for (const auto& n : a.graph().node()) {
            const auto it = nodesB.find(n.name());
            if (it == nodesB.end() || !MessageDifferencer::Equals(n, *it->second))
                d.nodes.push_back(n.name());
        }
        for (const auto& n : b.graph().node())
            if (!nodesA.count(n.name()))
                d.nodes.push_back(n.name());
    }
    std::map<std::string, const onnx::TensorProto*> initB;
    for (const auto& t : b.graph().initializer())
        initB[t.name()] = &t;
    std::map<std::string, const onnx::TensorProto*> initA;
    for (const auto& t : a.graph().initializer()) {
        initA[t.name()] = &t;
        const auto it = initB.find(t.name());
        if (it == initB.end() || !MessageDifferencer::Equals(t, *it->second))
            d.initializers.push_back(t.name());
    }
    for (const auto& t : b.graph().initializer())
        if (!initA.count(t.name()))
            d.initializers.push_back(t.name());
    onnx::ModelProto restA = a;
    onnx::ModelProto restB = b;
    for (onnx::ModelProto* m : {&restA, &restB}) {
        m->mutable_graph()->clear_node();
        m->mutable_graph()->clear_initializer();
    }
    d.restEqual = MessageDifferencer::Equals(restA, restB);
    return d;
}

} // namespace qs::test
