#include "core/model/modelbuilder.h"

#include "core/model/tensordata.h"

namespace qs {
namespace {

void setDims(onnx::ValueInfoProto& info, const std::vector<std::int64_t>& dims, int elemType)
{
    auto* tensorType = info.mutable_type()->mutable_tensor_type();
    tensorType->set_elem_type(elemType);
    auto* shape = tensorType->mutable_shape();
    for (std::int64_t d : dims) {
        auto* dim = shape->add_dim();
        if (d < 0)
            dim->set_dim_param("N");
        else
            dim->set_dim_value(d);
    }
}

void setAttribute(onnx::AttributeProto& a, const Attribute& attribute)
{
    a.set_name(attribute.name);
    std::visit(
        [&a](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                a.set_type(onnx::AttributeProto::INT);
                a.set_i(v);
            } else if constexpr (std::is_same_v<T, float>) {
                a.set_type(onnx::AttributeProto::FLOAT);
                a.set_f(v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                a.set_type(onnx::AttributeProto::STRING);
                a.set_s(v);
            } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
                a.set_type(onnx::AttributeProto::INTS);
                for (auto x : v)
                    a.add_ints(x);
            } else {
                a.set_type(onnx::AttributeProto::FLOATS);
                for (auto x : v)
                    a.add_floats(x);
            }
        },
        attribute.value);
}

} // namespace

ModelBuilder::ModelBuilder(int defaultOpset, int irVersion)
{
    model_.set_ir_version(irVersion);
    model_.set_producer_name("quantscope-modelbuilder");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(defaultOpset);
    model_.mutable_graph()->set_name("built");
}

ModelBuilder& ModelBuilder::input(const std::string& name, std::vector<std::int64_t> dims, int elemType)
{
    auto* info = model_.mutable_graph()->add_input();
    info->set_name(name);
    setDims(*info, dims, elemType);
    return *this;
}

ModelBuilder& ModelBuilder::output(const std::string& name, std::vector<std::int64_t> dims, int elemType)
{
    auto* info = model_.mutable_graph()->add_output();
    info->set_name(name);
    if (dims.empty())
        info->mutable_type()->mutable_tensor_type()->set_elem_type(elemType);
    else
        setDims(*info, dims, elemType);
    return *this;
}

ModelBuilder& ModelBuilder::initializer(const std::string& name, const Tensor& value, int elemType)
{
    auto* init = model_.mutable_graph()->add_initializer();
    init->set_name(name);
    tensorToProto(value, elemType == 0 ? onnxTypeFromDType(value.dtype()) : elemType, *init);
    return *this;
}

ModelBuilder& ModelBuilder::node(const std::string& opType, std::vector<std::string> inputs,
                                 std::vector<std::string> outputs, std::vector<Attribute> attributes,
                                 const std::string& domain, std::string name)
{
    auto* node = model_.mutable_graph()->add_node();
    node->set_op_type(opType);
    node->set_domain(domain);
    node->set_name(name.empty() ? opType + "_" + std::to_string(counter_++) : std::move(name));
    for (auto& i : inputs)
        node->add_input(i);
    for (auto& o : outputs)
        node->add_output(o);
    for (const Attribute& a : attributes)
        setAttribute(*node->add_attribute(), a);
    return *this;
}

ModelBuilder& ModelBuilder::opset(const std::string& domain, int version)
{
    for (auto& o : *model_.mutable_opset_import())
        if (o.domain() == domain) {
            o.set_version(version);
            return *this;
        }
    auto* o = model_.add_opset_import();
    o->set_domain(domain);
    o->set_version(version);
    return *this;
}

std::string ModelBuilder::quant(const std::string& x, double scale, double zeroPoint, double bits, bool isSigned,
                                bool narrow, const std::string& domain, const std::string& rounding)
{
    const std::string base = "q" + std::to_string(counter_);
    initializer(base + "_scale", Tensor::scalar(static_cast<float>(scale)));
    initializer(base + "_zeropt", Tensor::scalar(static_cast<float>(zeroPoint)));
    initializer(base + "_bits", Tensor::scalar(static_cast<float>(bits)));
    const std::string out = base + "_out";
    node("Quant", {x, base + "_scale", base + "_zeropt", base + "_bits"}, {out},
         {{"signed", std::int64_t(isSigned)}, {"narrow", std::int64_t(narrow)}, {"rounding_mode", rounding}}, domain);
    return out;
}

} // namespace qs
