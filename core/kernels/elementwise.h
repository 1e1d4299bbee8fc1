#pragma once
// ONNX elementwise operators: unary math and activations, binary ops with numpy multidirectional
// broadcasting, the variadic Max/Min/Sum/Mean, Clip and Where.
#include "core/util/tensor.h"

#include <vector>

namespace qs::kernels {

enum class UnaryOp {
    Abs,
    Neg,
    Ceil,
    Floor,
    Round,
    Sqrt,
    Reciprocal,
    Exp,
    Log,
    Erf,
    Relu,
    LeakyRelu,
    Elu,
    Selu,
    Sigmoid,
    HardSigmoid,
    HardSwish,
    Softplus,
    Tanh,
    Sin,
    Cos,
    Sign,
    Identity,
    Not
};

struct UnaryAttrs {
    double alpha = 0.0; // LeakyRelu (ONNX default 0.01), Elu (1.0), Selu, HardSigmoid (0.2)
    double beta = 0.0; // HardSigmoid (0.5)
    double gamma = 0.0; // Selu
};

// Identity works for every dtype; Abs, Neg, Sign and Relu for every numeric dtype; Not for Bool;
// the rest for Float32/Float64. `attrs` only matters for the parameterized activations, whose
// ONNX defaults defaultUnaryAttrs() returns.
Tensor unary(UnaryOp op, const Tensor& x, const UnaryAttrs& attrs);
Tensor unary(UnaryOp op, const Tensor& x);
UnaryAttrs defaultUnaryAttrs(UnaryOp op);

// Clip: min/max are optional scalars of x's dtype (nullptr = unbounded); opset < 11 passes the
// attributes as 1-element tensors the same way.
Tensor clip(const Tensor& x, const Tensor* min, const Tensor* max);

enum class BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Mod,
    FMod,
    Max,
    Min, // arithmetic: output has the input dtype
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual, // comparisons: Bool output
    And,
    Or,
    Xor // Bool inputs and output
};

// Equal works for every dtype; arithmetic and ordering for every numeric dtype (integer division
// by zero is an Error); Pow allows a different exponent dtype. Shapes broadcast numpy-style.
Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);

// Variadic Max / Min / Add (Sum) / Mean over one or more inputs with broadcasting.
enum class VariadicOp { Max, Min, Sum, Mean };
Tensor variadic(VariadicOp op, const std::vector<const Tensor*>& inputs);

// Where(cond, x, y): cond Bool (any dtype is read as != 0), x and y of any equal dtype.
Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y);

} // namespace qs::kernels
