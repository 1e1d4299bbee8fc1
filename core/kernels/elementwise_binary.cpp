#include "core/kernels/detail.h"
#include "core/kernels/elementwise.h"
#include "core/util/broadcast.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace qs::kernels {

namespace {

const char* binaryName(BinaryOp op)
{
    switch (op) {
    case BinaryOp::Add:
        return "Add";
    case BinaryOp::Sub:
        return "Sub";
    case BinaryOp::Mul:
        return "Mul";
    case BinaryOp::Div:
        return "Div";
    case BinaryOp::Pow:
        return "Pow";
    case BinaryOp::Mod:
        return "Mod";
    case BinaryOp::FMod:
        return "Mod(fmod)";
    case BinaryOp::Max:
        return "Max";
    case BinaryOp::Min:
        return "Min";
    case BinaryOp::Equal:
        return "Equal";
    case BinaryOp::Less:
        return "Less";
    case BinaryOp::LessOrEqual:
        return "LessOrEqual";
    case BinaryOp::Greater:
        return "Greater";
    case BinaryOp::GreaterOrEqual:
        return "GreaterOrEqual";
    case BinaryOp::And:
        return "And";
    case BinaryOp::Or:
        return "Or";
    case BinaryOp::Xor:
        return "Xor";
    }
    return "?";
}

// Walks the broadcast output, with a flat fast path when both shapes already match.
template <class TA, class TB, class TO, class F>
void broadcastApply(const Tensor& a, const Tensor& b, Tensor& out, F f)
{
    const TA* A = a.data<TA>();
    const TB* B = b.data<TB>();
    TO* O = out.data<TO>();
    if (a.shape() == b.shape()) {
        for (std::int64_t i = 0; i < out.size(); ++i)
            O[i] = f(A[i], B[i]);
        return;
    }
    if (b.size() == 1 && a.shape() == out.shape()) {
        const TB bv = B[0];
        for (std::int64_t i = 0; i < out.size(); ++i)
            O[i] = f(A[i], bv);
        return;
    }
    const std::array<std::vector<std::int64_t>, 2> strides {
        broadcastStrides(a.shape(), out.shape()), broadcastStrides(b.shape(), out.shape())};
    forEachBroadcast<2>(out.shape(), strides,
        [&](std::int64_t i, const std::array<std::int64_t, 2>& o) { O[i] = f(A[o[0]], B[o[1]]); });
}

template <class T> T intDiv(T x, T y, const char* op)
{
    if (y == 0)
        throw Error(std::string(op) + ": integer division by zero");
    if constexpr (std::is_signed_v<T>)
        if (x == std::numeric_limits<T>::lowest() && y == T(-1))
            return x; // wraps in two's complement instead of trapping
    return static_cast<T>(x / y);
}

template <class T> Tensor arithmetic(BinaryOp op, const Tensor& a, const Tensor& b, const Shape& shape)
{
    Tensor y = Tensor::uninitialized(a.dtype(), shape); // broadcastApply writes every element
    constexpr bool isFloat = std::is_floating_point_v<T>;
    // Integer +,-,* go through the unsigned type so that overflow wraps instead of being UB.
    using W = std::conditional_t<isFloat, T, std::uint64_t>;
    switch (op) {
    case BinaryOp::Add:
        broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(W(p) + W(q)); });
        break;
    case BinaryOp::Sub:
        broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(W(p) - W(q)); });
        break;
    case BinaryOp::Mul:
        broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return static_cast<T>(W(p) * W(q)); });
        break;
    case BinaryOp::Div:
        if constexpr (isFloat)
            broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return p / q; });
        else
            broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return intDiv(p, q, "Div"); });
        break;
    case BinaryOp::Mod:
    case BinaryOp::FMod:
        if constexpr (isFloat)
            broadcastApply<T, T, T>(a, b, y, [op](T p, T q) {
                T r = std::fmod(p, q);
                if (op == BinaryOp::Mod && r != 0 && ((r < 0) != (q < 0)))
                    r += q; // numpy-style: the result takes the divisor's sign
                return r;
            });
        else
            broadcastApply<T, T, T>(a, b, y, [op](T p, T q) {
                if (q == 0)
                    throw Error("Mod: integer division by zero");
                T r = (std::is_signed_v<T> && q == T(-1)) ? T(0) : static_cast<T>(p % q);
                if (op == BinaryOp::Mod && r != 0 && ((r < 0) != (q < 0)))
                    r = static_cast<T>(r + q);
                return r;
            });
        break;
    case BinaryOp::Max:
        broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return p != p ? p : (p < q ? q : p); });
        break;
    case BinaryOp::Min:
        broadcastApply<T, T, T>(a, b, y, [](T p, T q) { return p != p ? p : (q < p ? q : p); });
        break;
    default:
        detail::unsupportedType(binaryName(op), a.dtype());
    }
    return y;
}

template <class T> Tensor compare(BinaryOp op, const Tensor& a, const Tensor& b, const Shape& shape)
{
    Tensor y(DType::Bool, shape);
    using U = std::uint8_t;
    switch (op) {
    case BinaryOp::Equal:
        broadcastApply<T, T, U>(a, b, y, [](T p, T q) { return U(p == q); });
        break;
    case BinaryOp::Less:
        broadcastApply<T, T, U>(a, b, y, [](T p, T q) { return U(p < q); });
        break;
    case BinaryOp::LessOrEqual:
        broadcastApply<T, T, U>(a, b, y, [](T p, T q) { return U(p <= q); });
        break;
    case BinaryOp::Greater:
        broadcastApply<T, T, U>(a, b, y, [](T p, T q) { return U(p > q); });
        break;
    case BinaryOp::GreaterOrEqual:
        broadcastApply<T, T, U>(a, b, y, [](T p, T q) { return U(p >= q); });
        break;
    default:
        break;
    }
    return y;
}

Tensor power(const Tensor& a, const Tensor& b, const Shape& shape)
{
    // The exponent may have another numeric dtype (ONNX Pow-12+); compute in double unless both
    // are Float32 so that float results match float math.
    Tensor y(a.dtype(), shape);
    if (a.dtype() == DType::Float32 && b.dtype() == DType::Float32) {
        broadcastApply<float, float, float>(a, b, y, [](float p, float q) { return std::pow(p, q); });
        return y;
    }
    const Tensor bd = b.cast(DType::Float64);
    detail::dispatchNumeric(a.dtype(), "Pow", [&](auto tag) {
        using T = decltype(tag);
        broadcastApply<T, double, T>(a, bd, y, [](T p, double q) {
            const double r = std::pow(static_cast<double>(p), q);
            if constexpr (std::is_floating_point_v<T>)
                return static_cast<T>(r);
            else
                return r != r
                    ? T(0)
                    : static_cast<T>(std::clamp(r, static_cast<double>(std::numeric_limits<T>::lowest()),
                        static_cast<double>(std::numeric_limits<T>::max())));
        });
    });
    return y;
}

} // namespace

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b)
{
    const Shape shape = broadcastShapes(a.shape(), b.shape());
    if (op == BinaryOp::Pow) {
        if (a.dtype() == DType::Bool || b.dtype() == DType::Bool)
            detail::unsupportedType("Pow", DType::Bool);
        return power(a, b, shape);
    }
    if (a.dtype() != b.dtype())
        throw Error(std::string(binaryName(op)) + ": operands have different element types ("
            + dtypeName(a.dtype()) + ", " + dtypeName(b.dtype()) + ")");
    if (op == BinaryOp::And || op == BinaryOp::Or || op == BinaryOp::Xor) {
        if (a.dtype() != DType::Bool)
            detail::unsupportedType(binaryName(op), a.dtype());
        Tensor y(DType::Bool, shape);
        using U = std::uint8_t;
        broadcastApply<U, U, U>(a, b, y, [op](U p, U q) {
            const bool x = p != 0, z = q != 0;
            return U(op == BinaryOp::And ? (x && z) : op == BinaryOp::Or ? (x || z) : (x != z));
        });
        return y;
    }
    const bool isCompare = op == BinaryOp::Equal || op == BinaryOp::Less || op == BinaryOp::LessOrEqual
        || op == BinaryOp::Greater || op == BinaryOp::GreaterOrEqual;
    if (isCompare) {
        if (a.dtype() == DType::Bool) {
            // Compare truth values, not storage bytes.
            Tensor y(DType::Bool, shape);
            using U = std::uint8_t;
            broadcastApply<U, U, U>(a, b, y, [op](U p, U q) {
                const int x = p != 0, z = q != 0;
                switch (op) {
                case BinaryOp::Equal:
                    return U(x == z);
                case BinaryOp::Less:
                    return U(x < z);
                case BinaryOp::LessOrEqual:
                    return U(x <= z);
                case BinaryOp::Greater:
                    return U(x > z);
                default:
                    return U(x >= z);
                }
            });
            return y;
        }
        return visitStorageType(a.dtype(), [&](auto tag) { return compare<decltype(tag)>(op, a, b, shape); });
    }
    return detail::dispatchNumeric(
        a.dtype(), binaryName(op), [&](auto tag) { return arithmetic<decltype(tag)>(op, a, b, shape); });
}

Tensor variadic(VariadicOp op, const std::vector<const Tensor*>& inputs)
{
    const char* name = op == VariadicOp::Max ? "Max"
        : op == VariadicOp::Min              ? "Min"
        : op == VariadicOp::Sum              ? "Sum"
                                             : "Mean";
    if (inputs.empty())
        throw Error(std::string(name) + ": needs at least one input");
    for (const Tensor* t : inputs)
        if (!t)
            throw Error(std::string(name) + ": missing input");
    const BinaryOp step = op == VariadicOp::Max ? BinaryOp::Max
        : op == VariadicOp::Min                 ? BinaryOp::Min
                                                : BinaryOp::Add;
    Tensor acc = *inputs[0];
    if (inputs.size() == 1 && op != VariadicOp::Mean)
        return acc;
    for (std::size_t i = 1; i < inputs.size(); ++i)
        acc = binary(step, acc, *inputs[i]);
    if (op == VariadicOp::Mean) {
        detail::requireFloat(acc, name);
        Tensor n(acc.dtype(), {});
        detail::dispatchFloat(acc.dtype(), name,
            [&](auto tag) { n.data<decltype(tag)>()[0] = static_cast<decltype(tag)>(inputs.size()); });
        acc = binary(BinaryOp::Div, acc, n);
    }
    return acc;
}

Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y)
{
    if (x.dtype() != y.dtype())
        throw Error(std::string("Where: X and Y have different element types (") + dtypeName(x.dtype()) + ", "
            + dtypeName(y.dtype()) + ")");
    const Shape shape = broadcastShapes({cond.shape(), x.shape(), y.shape()});
    const Tensor c = cond.dtype() == DType::Bool ? cond : cond.cast(DType::Bool);
    Tensor out(x.dtype(), shape);
    const std::array<std::vector<std::int64_t>, 3> strides {broadcastStrides(c.shape(), shape),
        broadcastStrides(x.shape(), shape), broadcastStrides(y.shape(), shape)};
    detail::dispatchBySize(dtypeSize(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        const std::uint8_t* C = c.data<std::uint8_t>();
        const U* X = x.data<U>();
        const U* Y = y.data<U>();
        U* O = out.data<U>();
        forEachBroadcast<3>(shape, strides, [&](std::int64_t i, const std::array<std::int64_t, 3>& o) {
            O[i] = C[o[0]] ? X[o[1]] : Y[o[2]];
        });
    });
    return out;
}

} // namespace qs::kernels
