#include "core/edit/changerecorder.h"

#include "core/edit/protosections.h"

#include <algorithm>

namespace qs {
namespace {

bool sameWiring(const std::string& beforeBytes, const std::string& afterBytes)
{
    onnx::NodeProto before;
    onnx::NodeProto after;
    before.ParseFromString(beforeBytes);
    after.ParseFromString(afterBytes);
    auto same
        = [](const auto& a, const auto& b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); };
    return same(before.input(), after.input()) && same(before.output(), after.output())
        && before.op_type() == after.op_type() && before.domain() == after.domain();
}

bool sameTypeAndShape(const std::string& beforeBytes, const std::string& afterBytes)
{
    onnx::TensorProto before;
    onnx::TensorProto after;
    before.ParseFromString(beforeBytes);
    after.ParseFromString(afterBytes);
    return before.name() == after.name() && before.data_type() == after.data_type()
        && std::equal(before.dims().begin(), before.dims().end(), after.dims().begin(), after.dims().end());
}

} // namespace

ChangeRecorder::~ChangeRecorder()
{
    if (committed_)
        return;
    try {
        flush();
        applyBackward(model_, entries_);
    } catch (...) {
        // Nothing sensible to do in a destructor; the entries came from this model, so it cannot fail.
    }
}

void ChangeRecorder::touch(ProtoSection section, int index)
{
    for (const Pending& p : pending_)
        if (p.section == section && p.index == index)
            return;
    pending_.push_back({section, index, entryBytes(model_, section, index)});
}

onnx::NodeProto& ChangeRecorder::node(int index)
{
    touch(ProtoSection::Node, index);
    return *model_.mutable_graph()->mutable_node(index);
}

onnx::TensorProto& ChangeRecorder::initializer(int index)
{
    touch(ProtoSection::Initializer, index);
    return *model_.mutable_graph()->mutable_initializer(index);
}

onnx::ValueInfoProto& ChangeRecorder::valueInfo(ProtoSection section, int index)
{
    touch(section, index);
    auto* g = model_.mutable_graph();
    if (section == ProtoSection::GraphInput)
        return *g->mutable_input(index);
    if (section == ProtoSection::GraphOutput)
        return *g->mutable_output(index);
    return *g->mutable_value_info(index);
}

void ChangeRecorder::flush()
{
    for (Pending& p : pending_) {
        std::string after = entryBytes(model_, p.section, p.index);
        if (after == p.before)
            continue;
        if (p.section == ProtoSection::Node)
            topologyChanged_ = topologyChanged_ || !sameWiring(p.before, after);
        else if (p.section == ProtoSection::Initializer)
            topologyChanged_ = topologyChanged_ || !sameTypeAndShape(p.before, after);
        else
            topologyChanged_ = true;
        entries_.push_back(
            {EntryChange::Kind::Replace, p.section, p.index, std::move(p.before), std::move(after)});
    }
    pending_.clear();
}

void ChangeRecorder::insert(ProtoSection section, int index, const google::protobuf::Message& entry)
{
    flush();
    const std::string bytes = entry.SerializeAsString();
    insertEntry(model_, section, index, bytes);
    entries_.push_back({EntryChange::Kind::Insert, section, index, {}, bytes});
    topologyChanged_ = true;
}

int ChangeRecorder::append(ProtoSection section, const google::protobuf::Message& entry)
{
    const int index = sectionSize(model_, section);
    insert(section, index, entry);
    return index;
}

void ChangeRecorder::erase(ProtoSection section, int index)
{
    flush();
    std::string bytes = entryBytes(model_, section, index);
    eraseEntry(model_, section, index);
    entries_.push_back({EntryChange::Kind::Erase, section, index, std::move(bytes), {}});
    topologyChanged_ = true;
}

void ChangeRecorder::commit(ChangeRecord& record)
{
    flush();
    record.entries = std::move(entries_);
    record.topologyChanged = topologyChanged_;
    committed_ = true;
}

} // namespace qs
