#include "core/kernels/quantizelinear.h"

#include "core/kernels/detail.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace qs::kernels {

namespace {

using detail::toSize;

// Maps every element of x to its index into scale / zero point.
struct ParamIndex {
    std::int64_t inner = 1, dim = 1, block = 0; // block 0: per-tensor
    bool perTensor = true;
    // Blocked: x viewed as [outer, dim, inner], params as [outer, ceil(dim/block), inner].
    std::int64_t paramDim = 1;

    std::int64_t operator()(std::int64_t i) const
    {
        if (perTensor)
            return 0;
        const std::int64_t inn = i % inner, a = (i / inner) % dim, outer = i / (inner * dim);
        if (block == 0)
            return a;
        return (outer * paramDim + a / block) * inner + inn;
    }
};

ParamIndex planParams(
    const char* op, const Tensor& x, const Tensor& scale, const Tensor* zp, const QuantAttrs& attrs)
{
    if (zp && zp->shape() != scale.shape())
        throw Error(std::string(op) + ": zero point shape " + shapeToString(zp->shape())
            + " differs from scale shape " + shapeToString(scale.shape()));
    ParamIndex p;
    if (attrs.blockSize < 0)
        throw Error(std::string(op) + ": block_size must not be negative");
    if (scale.size() == 1 && scale.rank() <= 1 && attrs.blockSize == 0)
        return p;
    if (scale.empty())
        throw Error(std::string(op) + ": scale is empty");
    const int a = detail::normalizeAxis(attrs.axis, x.rank(), op);
    p.perTensor = false;
    p.dim = x.shape()[toSize(a)];
    p.inner = elementCount(Shape(x.shape().begin() + a + 1, x.shape().end()));
    if (attrs.blockSize == 0) {
        if (scale.rank() != 1 || scale.shape()[0] != p.dim)
            throw Error(std::string(op) + ": per-axis scale " + shapeToString(scale.shape())
                + " does not match axis " + std::to_string(a) + " of " + shapeToString(x.shape()));
        return p;
    }
    p.block = attrs.blockSize;
    p.paramDim = (p.dim + p.block - 1) / p.block;
    Shape expect = x.shape();
    expect[toSize(a)] = p.paramDim;
    if (scale.shape() != expect)
        throw Error(std::string(op) + ": blocked scale " + shapeToString(scale.shape()) + " should be "
            + shapeToString(expect));
    return p;
}

template <class Q, class T>
void quantize(const Tensor& x, const Tensor& scale, const Tensor* zp, const ParamIndex& p, Tensor& y)
{
    const T* X = x.data<T>();
    const T* S = scale.data<T>();
    Q* Y = y.data<Q>();
    constexpr double lo = static_cast<double>(std::numeric_limits<Q>::lowest());
    constexpr double hi = static_cast<double>(std::numeric_limits<Q>::max());
    for (std::int64_t i = 0; i < x.size(); ++i) {
        const std::int64_t k = p(i);
        const double z = zp ? static_cast<double>(zp->atInt(k)) : 0.0;
        // Divide in T (float math for float tensors, as onnxruntime does); round half to even.
        double v = static_cast<double>(std::nearbyint(X[i] / S[k])) + z;
        if (v != v)
            v = z; // NaN quantizes to the zero point rather than to garbage
        Y[i] = static_cast<Q>(std::clamp(v, lo, hi));
    }
}

} // namespace

Tensor quantizeLinear(const Tensor& x, const Tensor& scale, const Tensor* zeroPoint, const QuantAttrs& attrs)
{
    detail::requireFloat(x, "QuantizeLinear");
    if (scale.dtype() != x.dtype())
        throw Error("QuantizeLinear: scale must have the input's element type");
    const ParamIndex p = planParams("QuantizeLinear", x, scale, zeroPoint, attrs);
    const DType out = zeroPoint ? zeroPoint->dtype() : attrs.outputType.value_or(DType::UInt8);
    Tensor y(out, x.shape());
    detail::dispatchFloat(x.dtype(), "QuantizeLinear", [&](auto tag) {
        using T = decltype(tag);
        switch (out) {
        case DType::Int8:
            quantize<std::int8_t, T>(x, scale, zeroPoint, p, y);
            break;
        case DType::UInt8:
            quantize<std::uint8_t, T>(x, scale, zeroPoint, p, y);
            break;
        case DType::Int16:
            quantize<std::int16_t, T>(x, scale, zeroPoint, p, y);
            break;
        case DType::Int32:
            quantize<std::int32_t, T>(x, scale, zeroPoint, p, y);
            break;
        default:
            detail::unsupportedType("QuantizeLinear output", out);
        }
    });
    return y;
}

Tensor dequantizeLinear(
    const Tensor& x, const Tensor& scale, const Tensor* zeroPoint, const QuantAttrs& attrs)
{
    const DType in = x.dtype();
    if (in != DType::Int8 && in != DType::UInt8 && in != DType::Int16 && in != DType::Int32)
        detail::unsupportedType("DequantizeLinear", in);
    if (zeroPoint && zeroPoint->dtype() != in)
        throw Error("DequantizeLinear: zero point must have the input's element type");
    const ParamIndex p = planParams("DequantizeLinear", x, scale, zeroPoint, attrs);
    if (in == DType::Int32 && zeroPoint)
        for (std::int64_t i = 0; i < zeroPoint->size(); ++i)
            if (zeroPoint->atInt(i) != 0)
                throw Error("DequantizeLinear: int32 input takes no non-zero zero point");
    Tensor y(scale.dtype(), x.shape());
    detail::dispatchFloat(scale.dtype(), "DequantizeLinear", [&](auto tag) {
        using T = decltype(tag);
        const T* S = scale.data<T>();
        T* Y = y.data<T>();
        for (std::int64_t i = 0; i < x.size(); ++i) {
            const std::int64_t k = p(i);
            const std::int64_t z = zeroPoint ? zeroPoint->atInt(k) : 0;
            Y[i] = static_cast<T>(x.atInt(i) - z) * S[k];
        }
    });
    return y;
}

} // namespace qs::kernels
