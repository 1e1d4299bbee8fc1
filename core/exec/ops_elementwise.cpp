// Bindings for elementwise ops (unary, binary with broadcasting, variadic, Clip, Where).
#include "core/exec/opregistry.h"
#include "core/kernels/elementwise.h"

namespace qs {
namespace {

using namespace kernels;

void addUnary(OpRegistry& r, const char* name, UnaryOp op)
{
    r.add(OpRegistry::kOnnx, name, [op](const NodeCall& c) {
        UnaryAttrs attrs = defaultUnaryAttrs(op);
        attrs.alpha = c.floatAttribute("alpha", static_cast<float>(attrs.alpha));
        attrs.beta = c.floatAttribute("beta", static_cast<float>(attrs.beta));
        attrs.gamma = c.floatAttribute("gamma", static_cast<float>(attrs.gamma));
        return outputs(unary(op, c.input(0), attrs));
    });
}

void addBinary(OpRegistry& r, const char* name, BinaryOp op)
{
    r.add(OpRegistry::kOnnx, name,
        [op](const NodeCall& c) { return outputs(binary(op, c.input(0), c.input(1))); });
}

void addVariadic(OpRegistry& r, const char* name, VariadicOp op)
{
    r.add(OpRegistry::kOnnx, name, [op](const NodeCall& c) {
        std::vector<const Tensor*> inputs;
        for (std::size_t i = 0; i < c.inputCount(); ++i)
            if (const Tensor* t = c.optionalInput(i))
                inputs.push_back(t);
        return outputs(variadic(op, inputs));
    });
}

std::vector<Tensor> runClip(const NodeCall& c)
{
    const Tensor& x = c.input(0);
    if (c.opset() < 11) { // bounds were attributes
        std::optional<Tensor> lo, hi;
        if (c.hasAttribute("min"))
            lo = Tensor::scalar(c.floatAttribute("min", 0)).cast(x.dtype());
        if (c.hasAttribute("max"))
            hi = Tensor::scalar(c.floatAttribute("max", 0)).cast(x.dtype());
        return outputs(clip(x, lo ? &*lo : nullptr, hi ? &*hi : nullptr));
    }
    // Bounds of another dtype than x (seen with int8 Clip under opset 11) are converted.
    std::optional<Tensor> lo, hi;
    if (const Tensor* t = c.optionalInput(1))
        lo = t->dtype() == x.dtype() ? *t : t->cast(x.dtype());
    if (const Tensor* t = c.optionalInput(2))
        hi = t->dtype() == x.dtype() ? *t : t->cast(x.dtype());
    return outputs(clip(x, lo ? &*lo : nullptr, hi ? &*hi : nullptr));
}

} // namespace

void registerElementwiseOps(OpRegistry& r)
{
    const std::pair<const char*, UnaryOp> unaryOps[] = {
        {"Abs", UnaryOp::Abs},
        {"Neg", UnaryOp::Neg},
        {"Ceil", UnaryOp::Ceil},
        {"Floor", UnaryOp::Floor},
        {"Round", UnaryOp::Round},
        {"Sqrt", UnaryOp::Sqrt},
        {"Reciprocal", UnaryOp::Reciprocal},
        {"Exp", UnaryOp::Exp},
        {"Log", UnaryOp::Log},
        {"Erf", UnaryOp::Erf},
        {"Relu", UnaryOp::Relu},
        {"LeakyRelu", UnaryOp::LeakyRelu},
        {"Elu", UnaryOp::Elu},
        {"Selu", UnaryOp::Selu},
        {"Sigmoid", UnaryOp::Sigmoid},
        {"HardSigmoid", UnaryOp::HardSigmoid},
        {"HardSwish", UnaryOp::HardSwish},
        {"Softplus", UnaryOp::Softplus},
        {"Tanh", UnaryOp::Tanh},
        {"Sin", UnaryOp::Sin},
        {"Cos", UnaryOp::Cos},
        {"Sign", UnaryOp::Sign},
        {"Identity", UnaryOp::Identity},
        {"Not", UnaryOp::Not},
    };
    for (const auto& [name, op] : unaryOps)
        addUnary(r, name, op);
    const std::pair<const char*, BinaryOp> binaryOps[] = {
        {"Add", BinaryOp::Add},
        {"Sub", BinaryOp::Sub},
        {"Mul", BinaryOp::Mul},
        {"Div", BinaryOp::Div},
        {"Pow", BinaryOp::Pow},
        {"Equal", BinaryOp::Equal},
        {"Less", BinaryOp::Less},
        {"LessOrEqual", BinaryOp::LessOrEqual},
        {"Greater", BinaryOp::Greater},
        {"GreaterOrEqual", BinaryOp::GreaterOrEqual},
        {"And", BinaryOp::And},
        {"Or", BinaryOp::Or},
        {"Xor", BinaryOp::Xor},
    };
    for (const auto& [name, op] : binaryOps)
        addBinary(r, name, op);
    r.add(OpRegistry::kOnnx, "Mod", [](const NodeCall& c) {
        const BinaryOp op = c.intAttribute("fmod", 0) ? BinaryOp::FMod : BinaryOp::Mod;
        return outputs(binary(op, c.input(0), c.input(1)));
    });
    addVariadic(r, "Max", VariadicOp::Max);
    addVariadic(r, "Min", VariadicOp::Min);
    addVariadic(r, "Sum", VariadicOp::Sum);
    addVariadic(r, "Mean", VariadicOp::Mean);
    r.add(OpRegistry::kOnnx, "Clip", runClip);
    r.add(OpRegistry::kOnnx, "Where",
        [](const NodeCall& c) { return outputs(where(c.input(0), c.input(1), c.input(2))); });
}

} // namespace qs
