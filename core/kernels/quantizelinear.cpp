#include "core/kernels/quantizelinear.h"

#include "core/kernels/detail.h"
#include "core/kernels/simd.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

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

// Per-tensor and per-axis parameters as runs of `inner` elements sharing one scale: `count(i)` runs,
// run r uses parameter r % dim. Blocked layouts return false.
bool runsOf(const ParamIndex& p, std::int64_t size, std::int64_t& runLength, std::int64_t& paramDim)
{
    if (p.perTensor) {
        runLength = size;
        paramDim = 1;
        return true;
    }
    if (p.block != 0)
        return false;
    runLength = p.inner;
    paramDim = p.dim;
    return true;
}

// The same arithmetic as quantize() for 8/16-bit outputs, vectorised: the float sum rint(x/s) + z is
// exact below 2^24 and saturates the same way above, and NaN still maps to the zero point.
template <class Q, class T>
bool quantizeFast(const Tensor& x, const Tensor& scale, const Tensor* zp, const ParamIndex& p, Tensor& y)
{
    std::int64_t run = 0, dim = 1;
    if (!runsOf(p, x.size(), run, dim) || run == 0)
        return false;
    constexpr T lo = static_cast<T>(std::numeric_limits<Q>::lowest());
    constexpr T hi = static_cast<T>(std::numeric_limits<Q>::max());
    if constexpr (std::is_same_v<T, float>) {
        // One fused pass per run (simd.h).
        for (std::int64_t r = 0; r * run < x.size(); ++r) {
            const std::int64_t k = r % dim;
            const T z = zp ? static_cast<T>(zp->atInt(k)) : T(0);
            detail::quantizeToCodes(
                x.data<T>() + r * run, run, scale.data<T>()[k], z, lo, hi, y.data<Q>() + r * run);
        }
        return true;
    }
    constexpr std::int64_t chunk = 2048;
    thread_local std::vector<T> scratch;
    scratch.resize(chunk);
    // Locals, not members: stores through Q (a char type for 8 bits) would otherwise force reloads.
    T* const buffer = scratch.data();
    const T* const X = x.data<T>();
    const T* const S = scale.data<T>();
    Q* const Y = y.data<Q>();
    for (std::int64_t r = 0; r * run < x.size(); ++r) {
        const std::int64_t k = r % dim;
        const T z = zp ? static_cast<T>(zp->atInt(k)) : T(0);
        for (std::int64_t c0 = r * run; c0 < (r + 1) * run; c0 += chunk) {
            const std::int64_t n = std::min(chunk, (r + 1) * run - c0);
            const T* const in = X + c0;
            Q* const out = Y + c0;
            detail::quantizeSpan(in, n, S[k], z, lo, hi, buffer);
            for (std::int64_t i = 0; i < n; ++i)
                out[i] = static_cast<Q>(static_cast<std::int32_t>(in[i] != in[i] ? z : buffer[i]));
        }
    }
    return true;
}

// (x - z) * s for 8-bit x per run of one scale: exact integer difference, exact conversion, one
// multiply, as the generic loop does; written so that the compiler vectorises it.
template <class Q, class T>
bool dequantizeFast(const Tensor& x, const Tensor& scale, const Tensor* zp, const ParamIndex& p, Tensor& y)
{
    std::int64_t run = 0, dim = 1;
    if (!runsOf(p, x.size(), run, dim) || run == 0)
        return false;
    const Q* const X = x.data<Q>();
    const T* const S = scale.data<T>();
    T* const Y = y.data<T>();
    for (std::int64_t r = 0; r * run < x.size(); ++r) {
        const std::int64_t k = r % dim;
        const std::int32_t z = static_cast<std::int32_t>(zp ? zp->atInt(k) : 0);
        const T s = S[k];
        const Q* const in = X + r * run;
        T* const out = Y + r * run;
        if constexpr (std::is_same_v<T, float>) {
            detail::dequantizeCodes(in, run, z, s, out); // the same loop, vectorised (simd.h)
        } else {
            for (std::int64_t i = 0; i < run; ++i)
                out[i] = static_cast<T>(static_cast<std::int32_t>(in[i]) - z) * s;
        }
    }
    return true;
}

} // namespace

Tensor quantizeLinear(const Tensor& x, const Tensor& scale, const Tensor* zeroPoint, const QuantAttrs& attrs)
{
    detail::requireFloat(x, "QuantizeLinear");
    if (scale.dtype() != x.dtype())
        throw Error("QuantizeLinear: scale must have the input's element type");
    const ParamIndex p = planParams("QuantizeLinear", x, scale, zeroPoint, attrs);
    const DType out = zeroPoint ? zeroPoint->dtype() : attrs.outputType.value_or(DType::UInt8);
    Tensor y = Tensor::uninitialized(out, x.shape());
    detail::dispatchFloat(x.dtype(), "QuantizeLinear", [&](auto tag) {
        using T = decltype(tag);
        switch (out) {
        case DType::Int8:
            if (!quantizeFast<std::int8_t, T>(x, scale, zeroPoint, p, y))
                quantize<std::int8_t, T>(x, scale, zeroPoint, p, y);
            break;
        case DType::UInt8:
            if (!quantizeFast<std::uint8_t, T>(x, scale, zeroPoint, p, y))
                quantize<std::uint8_t, T>(x, scale, zeroPoint, p, y);
            break;
        case DType::Int16:
            if (!quantizeFast<std::int16_t, T>(x, scale, zeroPoint, p, y))
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
    Tensor y = Tensor::uninitialized(scale.dtype(), x.shape());
    detail::dispatchFloat(scale.dtype(), "DequantizeLinear", [&](auto tag) {
        using T = decltype(tag);
        if (in == DType::Int8 && dequantizeFast<std::int8_t, T>(x, scale, zeroPoint, p, y))
            return;
        if (in == DType::UInt8 && dequantizeFast<std::uint8_t, T>(x, scale, zeroPoint, p, y))
            return;
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
