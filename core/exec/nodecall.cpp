#include "core/exec/nodecall.h"

#include "core/util/error.h"
#include "core/util/limits.h"

namespace qs {

NodeCall::NodeCall(const onnx::NodeProto& node, int opset, Precision precision, kernels::KernelContext context,
                   std::vector<const Tensor*> inputs)
    : node_(node), opset_(opset), precision_(precision), context_(context), inputs_(std::move(inputs))
{
}

const Tensor& NodeCall::input(std::size_t i) const
{
    const Tensor* t = optionalInput(i);
    if (!t)
        throw Error("input " + std::to_string(i) + " is missing");
    return *t;
}

const Tensor* NodeCall::optionalInput(std::size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }

const onnx::AttributeProto* NodeCall::find(const std::string& name) const
{
    for (const auto& a : node_.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

namespace {

// The document refuses oversized attributes at load with its own limits; this guards kernels run on
// a protobuf edited after loading.
template <class Field> void checkAttributeSize(const Field& field, const onnx::NodeProto& node, const std::string& name)
{
    const std::int64_t limit = Limits::defaults().maxAttributeElements;
    if (field.size() > limit)
        throw Error("attribute '" + name + "' of node '" + node.name() + "' has " + std::to_string(field.size())
                    + " elements, above the limit of " + std::to_string(limit));
}

} // namespace

bool NodeCall::hasAttribute(const std::string& name) const { return find(name) != nullptr; }

std::int64_t NodeCall::intAttribute(const std::string& name, std::int64_t fallback) const
{
    const auto* a = find(name);
    return a ? a->i() : fallback;
}

float NodeCall::floatAttribute(const std::string& name, float fallback) const
{
    const auto* a = find(name);
    return a ? a->f() : fallback;
}

std::string NodeCall::stringAttribute(const std::string& name, const std::string& fallback) const
{
    const auto* a = find(name);
    return a ? a->s() : fallback;
}

std::vector<std::int64_t> NodeCall::intsAttribute(const std::string& name) const
{
    const auto* a = find(name);
    if (!a)
        return {};
    checkAttributeSize(a->ints(), node_, name);
    return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<float> NodeCall::floatsAttribute(const std::string& name) const
{
    const auto* a = find(name);
    if (!a)
        return {};
    checkAttributeSize(a->floats(), node_, name);
    return std::vector<float>(a->floats().begin(), a->floats().end());
}

const onnx::TensorProto* NodeCall::tensorAttribute(const std::string& name) const
{
    const auto* a = find(name);
    return a && a->has_t() ? &a->t() : nullptr;
}

std::optional<std::vector<std::int64_t>> NodeCall::intsFromInputOrAttribute(std::size_t input,
                                                                            const std::string& attribute) const
{
    if (const Tensor* t = optionalInput(input)) {
        std::vector<std::int64_t> values(static_cast<std::size_t>(t->size()));
        for (std::int64_t i = 0; i < t->size(); ++i)
            values[static_cast<std::size_t>(i)] = t->atInt(i);
        return values;
    }
    if (hasAttribute(attribute))
        return intsAttribute(attribute);
    return std::nullopt;
}

} // namespace qs
