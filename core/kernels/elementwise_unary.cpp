#include "core/kernels/detail.h"
#include "core/kernels/elementwise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace qs::kernels {

namespace {

const char* unaryName(UnaryOp op)
{
    switch (op) {
    case UnaryOp::Abs:
        return "Abs";
    case UnaryOp::Neg:
        return "Neg";
    case UnaryOp::Ceil:
        return "Ceil";
    case UnaryOp::Floor:
        return "Floor";
    case UnaryOp::Round:
        return "Round";
    case UnaryOp::Sqrt:
        return "Sqrt";
    case UnaryOp::Reciprocal:
        return "Reciprocal";
    case UnaryOp::Exp:
        return "Exp";
    case UnaryOp::Log:
        return "Log";
    case UnaryOp::Erf:
        return "Erf";
    case UnaryOp::Relu:
        return "Relu";
    case UnaryOp::LeakyRelu:
        return "LeakyRelu";
    case UnaryOp::Elu:
        return "Elu";
    case UnaryOp::Selu:
        return "Selu";
    case UnaryOp::Sigmoid:
        return "Sigmoid";
    case UnaryOp::HardSigmoid:
        return "HardSigmoid";
    case UnaryOp::HardSwish:
        return "HardSwish";
    case UnaryOp::Softplus:
        return "Softplus";
    case UnaryOp::Tanh:
        return "Tanh";
    case UnaryOp::Sin:
        return "Sin";
    case UnaryOp::Cos:
        return "Cos";
    case UnaryOp::Sign:
        return "Sign";
    case UnaryOp::Identity:
        return "Identity";
    case UnaryOp::Not:
        return "Not";
    }
    return "?";
}

template <class T, class F> Tensor map(const Tensor& x, F f)
{
    Tensor y = Tensor::uninitialized(x.dtype(), x.shape());
    const T* in = x.data<T>();
    T* out = y.data<T>();
    for (std::int64_t i = 0; i < x.size(); ++i)
        out[i] = f(in[i]);
    return y;
}

template <class T> Tensor integerUnary(UnaryOp op, const Tensor& x)
{
    switch (op) {
    case UnaryOp::Abs:
        return map<T>(x, [](T v) {
            if constexpr (std::is_signed_v<T>)
                return v < 0 ? static_cast<T>(-v) : v; // two's complement: abs(min) stays min
            else
                return v;
        });
    case UnaryOp::Neg:
        if constexpr (!std::is_signed_v<T>)
            detail::unsupportedType("Neg", x.dtype());
        else
            return map<T>(x, [](T v) { return static_cast<T>(T(0) - v); });
    case UnaryOp::Sign:
        return map<T>(x, [](T v) { return static_cast<T>((v > 0) - (v < 0)); });
    case UnaryOp::Relu:
        return map<T>(x, [](T v) { return v > 0 ? v : T(0); });
    default:
        detail::unsupportedType(unaryName(op), x.dtype());
    }
}

template <class T> Tensor floatUnary(UnaryOp op, const Tensor& x, const UnaryAttrs& at)
{
    const T alpha = static_cast<T>(at.alpha), beta = static_cast<T>(at.beta),
            gamma = static_cast<T>(at.gamma);
    switch (op) {
    case UnaryOp::Abs:
        return map<T>(x, [](T v) { return std::abs(v); });
    case UnaryOp::Neg:
        return map<T>(x, [](T v) { return -v; });
    case UnaryOp::Ceil:
        return map<T>(x, [](T v) { return std::ceil(v); });
    case UnaryOp::Floor:
        return map<T>(x, [](T v) { return std::floor(v); });
    case UnaryOp::Round:
        return map<T>(x, [](T v) { return std::nearbyint(v); }); // half to even
    case UnaryOp::Sqrt:
        return map<T>(x, [](T v) { return std::sqrt(v); });
    case UnaryOp::Reciprocal:
        return map<T>(x, [](T v) { return T(1) / v; });
    case UnaryOp::Exp:
        return map<T>(x, [](T v) { return std::exp(v); });
    case UnaryOp::Log:
        return map<T>(x, [](T v) { return std::log(v); });
    case UnaryOp::Erf:
        return map<T>(x, [](T v) { return std::erf(v); });
    case UnaryOp::Relu:
        return map<T>(x, [](T v) { return v > 0 ? v : T(0); });
    case UnaryOp::LeakyRelu:
        return map<T>(x, [=](T v) { return v >= 0 ? v : alpha * v; });
    case UnaryOp::Elu:
        return map<T>(x, [=](T v) { return v >= 0 ? v : alpha * (std::exp(v) - T(1)); });
    case UnaryOp::Selu:
        return map<T>(x, [=](T v) { return gamma * (v > 0 ? v : alpha * (std::exp(v) - T(1))); });
    case UnaryOp::Sigmoid:
        // Split by sign so that exp never overflows.
        return map<T>(x, [](T v) {
            if (v >= 0)
                return T(1) / (T(1) + std::exp(-v));
            const T e = std::exp(v);
            return e / (T(1) + e);
        });
    case UnaryOp::HardSigmoid:
        return map<T>(x, [=](T v) { return std::clamp(alpha * v + beta, T(0), T(1)); });
    case UnaryOp::HardSwish:
        return map<T>(x, [](T v) { return v * std::clamp(v / T(6) + T(0.5), T(0), T(1)); });
    case UnaryOp::Softplus:
        return map<T>(x, [](T v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); });
    case UnaryOp::Tanh:
        return map<T>(x, [](T v) { return std::tanh(v); });
    case UnaryOp::Sin:
        return map<T>(x, [](T v) { return std::sin(v); });
    case UnaryOp::Cos:
        return map<T>(x, [](T v) { return std::cos(v); });
    case UnaryOp::Sign:
        return map<T>(x, [](T v) { return v > 0 ? T(1) : (v < 0 ? T(-1) : v); });
    default:
        detail::unsupportedType(unaryName(op), x.dtype());
    }
}

} // namespace

UnaryAttrs defaultUnaryAttrs(UnaryOp op)
{
    switch (op) {
    case UnaryOp::LeakyRelu:
        return {0.01, 0.0, 0.0};
    case UnaryOp::Elu:
        return {1.0, 0.0, 0.0};
    case UnaryOp::Selu:
        return {1.67326319217681884765625, 0.0, 1.05070102214813232421875};
    case UnaryOp::HardSigmoid:
        return {0.2, 0.5, 0.0};
    default:
        return {};
    }
}

Tensor unary(UnaryOp op, const Tensor& x)
{
    return unary(op, x, defaultUnaryAttrs(op));
}

Tensor unary(UnaryOp op, const Tensor& x, const UnaryAttrs& attrs)
{
    if (op == UnaryOp::Identity)
        return x;
    if (op == UnaryOp::Not) {
        if (x.dtype() != DType::Bool)
            detail::unsupportedType("Not", x.dtype());
        return map<std::uint8_t>(x, [](std::uint8_t v) { return static_cast<std::uint8_t>(v == 0); });
    }
    if (x.dtype() == DType::Bool)
        detail::unsupportedType(unaryName(op), x.dtype());
    return detail::dispatchNumeric(x.dtype(), unaryName(op), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>)
            return floatUnary<T>(op, x, attrs);
        else
            return integerUnary<T>(op, x);
    });
}

Tensor clip(const Tensor& x, const Tensor* min, const Tensor* max)
{
    for (const Tensor* bound : {min, max})
        if (bound && (bound->size() != 1 || bound->dtype() != x.dtype()))
            throw Error("Clip: min and max must be single values of the input's type (got "
                + shapeToString(bound->shape()) + " " + dtypeName(bound->dtype()) + ")");
    return detail::dispatchNumeric(x.dtype(), "Clip", [&](auto tag) {
        using T = decltype(tag);
        constexpr bool inf = std::numeric_limits<T>::has_infinity;
        const T lo = min ? min->data<T>()[0]
                         : (inf ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest());
        const T hi = max ? max->data<T>()[0]
                         : (inf ? std::numeric_limits<T>::infinity() : std::numeric_limits<T>::max());
        // ONNX: min > max gives max everywhere; NaN passes through.
        return map<T>(x, [=](T v) { return v < lo ? (lo > hi ? hi : lo) : (v > hi ? hi : v); });
    });
}

} // namespace qs::kernels
