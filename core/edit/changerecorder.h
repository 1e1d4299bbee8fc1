#pragma once
// Records an edit while it is being made: every entry is snapshotted before its first change, and
// insertions and removals are logged in order. If the edit throws before commit(), the destructor
// rolls the model back, so a refused edit leaves no trace.
#include "core/edit/changerecord.h"

#include <onnx/onnx_pb.h>
#include <vector>

namespace qs {

class ChangeRecorder {
public:
    explicit ChangeRecorder(onnx::ModelProto& model)
        : model_(model)
    {
    }
    ~ChangeRecorder();
    ChangeRecorder(const ChangeRecorder&) = delete;
    ChangeRecorder& operator=(const ChangeRecorder&) = delete;

    const onnx::ModelProto& model() const { return model_; }

    // Mutable access to existing entries (snapshotted on first access).
    onnx::NodeProto& node(int index);
    onnx::TensorProto& initializer(int index);
    onnx::ValueInfoProto& valueInfo(ProtoSection section, int index); // GraphInput/GraphOutput/ValueInfo

    // Structural changes; the entry must be complete when it is inserted.
    void insert(ProtoSection section, int index, const google::protobuf::Message& entry);
    int append(ProtoSection section, const google::protobuf::Message& entry); // returns its index
    void erase(ProtoSection section, int index);

    // Finishes the recording and moves the entries into `record` (sets topologyChanged).
    void commit(ChangeRecord& record);

private:
    struct Pending {
        ProtoSection section;
        int index;
        std::string before;
    };
    void touch(ProtoSection section, int index);
    void flush();

    onnx::ModelProto& model_;
    std::vector<Pending> pending_;
    std::vector<EntryChange> entries_;
    bool topologyChanged_ = false;
    bool committed_ = false;
};

} // namespace qs
