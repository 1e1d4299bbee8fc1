#include "core/edit/protosections.h"

#include "core/util/error.h"

namespace qs {
namespace {

template <class F> decltype(auto) withSection(onnx::ModelProto& model, ProtoSection section, F&& f)
{
    auto* g = model.mutable_graph();
    switch (section) {
    case ProtoSection::Node:
        return f(*g->mutable_node());
    case ProtoSection::Initializer:
        return f(*g->mutable_initializer());
    case ProtoSection::GraphInput:
        return f(*g->mutable_input());
    case ProtoSection::GraphOutput:
        return f(*g->mutable_output());
    case ProtoSection::ValueInfo:
        return f(*g->mutable_value_info());
    case ProtoSection::OpsetImport:
        break;
    }
    return f(*model.mutable_opset_import());
}

void requireIndex(int index, int size, bool allowEnd)
{
    if (index < 0 || index > size || (index == size && !allowEnd))
        throw Error("the change record does not fit this document (entry " + std::to_string(index) + " of "
            + std::to_string(size) + ")");
}

} // namespace

int sectionSize(const onnx::ModelProto& model, ProtoSection section)
{
    return withSection(
        const_cast<onnx::ModelProto&>(model), section, [](auto& field) { return field.size(); });
}

std::string entryBytes(const onnx::ModelProto& model, ProtoSection section, int index)
{
    return withSection(const_cast<onnx::ModelProto&>(model), section, [index](auto& field) {
        requireIndex(index, field.size(), false);
        return field.Get(index).SerializeAsString();
    });
}

void replaceEntry(onnx::ModelProto& model, ProtoSection section, int index, const std::string& bytes)
{
    withSection(model, section, [&](auto& field) {
        requireIndex(index, field.size(), false);
        if (!field.Mutable(index)->ParseFromString(bytes))
            throw Error("the change record holds a corrupt entry");
    });
}

void insertEntry(onnx::ModelProto& model, ProtoSection section, int index, const std::string& bytes)
{
    withSection(model, section, [&](auto& field) {
        requireIndex(index, field.size(), true);
        if (!field.Add()->ParseFromString(bytes)) {
            field.RemoveLast();
            throw Error("the change record holds a corrupt entry");
        }
        for (int i = field.size() - 1; i > index; --i)
            field.SwapElements(i, i - 1);
    });
}

void eraseEntry(onnx::ModelProto& model, ProtoSection section, int index)
{
    withSection(model, section, [&](auto& field) {
        requireIndex(index, field.size(), false);
        field.DeleteSubrange(index, 1);
    });
}

} // namespace qs
