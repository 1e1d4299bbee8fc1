#include "core/model/nodeattributes.h"

namespace qs {

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name)
{
    for (const auto& a : node.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

std::optional<std::int64_t> intAttribute(const onnx::NodeProto& node, const std::string& name)
{
    const auto* a = findAttribute(node, name);
    if (!a)
        return std::nullopt;
    return a->i();
}

std::optional<float> floatAttribute(const onnx::NodeProto& node, const std::string& name)
{
    const auto* a = findAttribute(node, name);
    if (!a)
        return std::nullopt;
    return a->f();
}

std::optional<std::string> stringAttribute(const onnx::NodeProto& node, const std::string& name)
{
    const auto* a = findAttribute(node, name);
    if (!a)
        return std::nullopt;
    return a->s();
}

std::optional<std::vector<std::int64_t>> intsAttribute(const onnx::NodeProto& node, const std::string& name)
{
    const auto* a = findAttribute(node, name);
    if (!a)
        return std::nullopt;
    return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
}

} // namespace qs
