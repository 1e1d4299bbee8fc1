#include "core/numerics/quantops.h"

#include "core/numerics/intrange.h"
#include "core/numerics/quantspan.h"
#include "core/util/broadcast.h"
#include "core/util/error.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

// Bit-exactness notes: each statement below is one numpy step of the reference, rounded to T. The
// build is ISO C++ (no -ffast-math, fp-contract off), so the compiler neither fuses nor reassociates.

namespace qs {

namespace {

template <class T> constexpr DType kWorkingType = std::is_same_v<T, float> ? DType::Float32 : DType::Float64;

// A tensor in the working precision; borrows the data when no conversion is needed.
template <class T> class Operand {
public:
    explicit Operand(const Tensor& t)
        : shape_(&t.shape())
        , size_(t.size())
    {
        if (t.dtype() == kWorkingType<T>) {
            data_ = t.data<T>();
        } else {
            owned_ = t.cast(kWorkingType<T>);
            data_ = owned_.template data<T>();
        }
    }
    const T* data() const { return data_; }
    const Shape& shape() const { return *shape_; }
    std::int64_t size() const { return size_; }

private:
    const Shape* shape_;
    std::int64_t size_;
    Tensor owned_;
    const T* data_ = nullptr;
};

template <class T> T singleValue(const Tensor& t, const char* op, const char* what)
{
    if (t.size() != 1)
        throw Error(std::string(op) + ": the " + what + " must hold exactly one value, got shape "
            + shapeToString(t.shape()));
    return static_cast<T>(t.at(0));
}

template <class T, std::size_t N, class F, std::size_t... I>
void mapImpl(
    T* y, const Shape& out, const std::array<const Operand<T>*, N>& ops, F& f, std::index_sequence<I...>)
{
    const std::int64_t n = elementCount(out);
    const bool paramsScalar = ops[0]->size() == n && ((I == 0 || ops[I]->size() == 1) && ...);
    if (paramsScalar) {
        // Per-tensor parameters (the common case): one contiguous loop, parameters held in registers.
        const T* x = ops[0]->data();
        const std::array<T, N> p {(I == 0 ? T(0) : ops[I]->data()[0])...};
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = f((I == 0 ? x[i] : p[I])...);
        return;
    }
    const std::array<std::vector<std::int64_t>, N> strides {broadcastStrides(ops[I]->shape(), out)...};
    const std::array<const T*, N> d {ops[I]->data()...};
    forEachBroadcast<N>(
        out, strides, [&](std::int64_t i, const std::array<std::int64_t, N>& o) { y[i] = f(d[I][o[I]]...); });
}

// y[i] = f(op0[..], op1[..], ...) over the broadcast shape `out`; op0 is the data tensor.
template <class T, class F, class... Ops> Tensor mapBroadcast(const Shape& out, F&& f, const Ops&... ops)
{
    Tensor result = Tensor::uninitialized(kWorkingType<T>, out); // mapImpl writes every element
    const std::array<const Operand<T>*, sizeof...(Ops)> list {&ops...};
    mapImpl<T>(result.template data<T>(), out, list, f, std::make_index_sequence<sizeof...(Ops)>());
    return result;
}

// 2^e for an integer-valued e, exact (ldexp) where it can be, else exp2 for Inf/NaN/huge e.
template <class T> T pow2(T e)
{
    if (std::isfinite(e) && std::fabs(e) < T(4096))
        return std::ldexp(T(1), static_cast<int>(e));
    return std::exp2(e);
}

// Trunc v1 shift factor: the bit-width difference is taken in T, the power in double (numpy promotes
// 2.0 ** <0-D float32> to float64), then used as T.
template <class T> T truncV1Factor(T inBits, T outBits)
{
    const T diff = inBits - outBits;
    return static_cast<T>(std::pow(2.0, static_cast<double>(diff)));
}

// Trunc v2 shift factor 2^RNE(log2(outScale / scale)), each step in T.
template <class T> T truncV2Factor(T scale, T outScale)
{
    const T ratio = outScale / scale;
    return pow2(roundAs<RoundingMode::HalfEven>(std::log2(ratio)));
}

// ---------------------------------------------------------------------------------------------------
// Quant / IntQuant

template <class T>
Tensor intQuantT(
    const Tensor& xt, const Tensor& st, const Tensor& zt, const Tensor& bt, const IntQuantAttributes& a)
{
    const T bits = singleValue<T>(bt, "Quant", "bit width");
    const Operand<T> x(xt), s(st), z(zt);
    Shape out = broadcastShapes({xt.shape(), st.shape(), zt.shape()});

    if (bits == T(1) && a.isSigned) {
        // Sign quantization around the zero point; v >= 0 holds for -0 and fails for NaN.
        return mapBroadcast<T>(
            out,
            [](T xv, T sv, T zv) {
                T v = xv / sv;
                v = v + zv;
                const T q = v >= T(0) ? T(1) : T(-1);
                const T d = q - zv;
                return d * sv;
            },
            x, s, z);
    }

    // numpy broadcasts the 1-element bounds too, which can only add leading 1-dims.
    out = broadcastShapes(out, bt.shape());
    const IntRange range = intRange(static_cast<double>(bits), a.isSigned, a.narrow);
    const T lo = static_cast<T>(range.lo);
    const T hi = static_cast<T>(range.hi);
    if constexpr (std::is_same_v<T, float>) {
        // The common case, vectorised with the same steps (quantspan.h).
        if (a.rounding == RoundingMode::HalfEven && st.size() == 1 && zt.size() == 1 && out == xt.shape()) {
            Tensor result = Tensor::uninitialized(DType::Float32, out);
            if (detail::intQuantHalfEvenSpan(
                    x.data(), x.size(), s.data()[0], z.data()[0], lo, hi, result.data<float>()))
                return result;
        }
    }
    return withRoundingMode(a.rounding, [&](auto mode) {
        constexpr RoundingMode M = decltype(mode)::value;
        return mapBroadcast<T>(
            out,
            [lo, hi](T xv, T sv, T zv) {
                T v = xv / sv;
                v = v + zv;
                // Clamp before rounding, strict compares: NaN passes through.
                v = v > hi ? hi : v;
                v = v < lo ? lo : v;
                const T q = roundAs<M>(v);
                const T d = q - zv;
                return d * sv;
            },
            x, s, z);
    });
}

// ---------------------------------------------------------------------------------------------------
// BipolarQuant

template <class T> Tensor bipolarQuantT(const Tensor& xt, const Tensor& st)
{
    const Operand<T> x(xt), s(st);
    const Shape out = broadcastShapes(xt.shape(), st.shape());
    return mapBroadcast<T>(
        out,
        [](T xv, T sv) {
            const T q = xv >= T(0) ? T(1) : T(-1);
            return q * sv;
        },
        x, s);
}

// ---------------------------------------------------------------------------------------------------
// Trunc

template <RoundingMode M, class T> T truncV1Element(T xv, T sv, T zv, T k)
{
    T v = xv / sv;
    v = v + zv;
    v = roundAs<RoundingMode::HalfEven>(v);
    const T q = roundAs<M>(v / k);
    const T d = q - zv;
    return d * sv;
}

template <class T>
Tensor truncV1T(const Tensor& xt, const Tensor& st, const Tensor& zt, const Tensor& bit, const Tensor& bot,
    const TruncAttributes& a)
{
    const Operand<T> x(xt), s(st), z(zt);
    const Shape out = broadcastShapes({xt.shape(), st.shape(), zt.shape(), bit.shape(), bot.shape()});
    return withRoundingMode(a.rounding, [&](auto mode) {
        constexpr RoundingMode M = decltype(mode)::value;
        if (bit.size() == 1 && bot.size() == 1) {
            const T k = truncV1Factor(static_cast<T>(bit.at(0)), static_cast<T>(bot.at(0)));
            return mapBroadcast<T>(
                out, [k](T xv, T sv, T zv) { return truncV1Element<M>(xv, sv, zv, k); }, x, s, z);
        }
        // Per-element bit widths (legal upstream, never seen in practice).
        const Operand<T> bi(bit), bo(bot);
        return mapBroadcast<T>(
            out,
            [](T xv, T sv, T zv, T biv, T bov) {
                return truncV1Element<M>(xv, sv, zv, truncV1Factor(biv, bov));
            },
            x, s, z, bi, bo);
    });
}

template <RoundingMode M, class T> T truncV2Element(T xv, T sv, T zv, T so, T k, T lo, T hi)
{
    T v = xv / sv;
    v = v + zv;
    v = roundAs<RoundingMode::HalfEven>(v);
    T u = v / k;
    u = u > hi ? hi : u;
    u = u < lo ? lo : u;
    const T q = roundAs<M>(u);
    const T zk = zv / k;
    const T d = q - zk;
    return d * so;
}

template <class T>
Tensor truncV2T(const Tensor& xt, const Tensor& st, const Tensor& zt, const Tensor& sot, const Tensor& bot,
    const TruncAttributes& a)
{
    const Operand<T> x(xt), s(st), z(zt), so(sot);
    // in_bitwidth is not used by v2, so it takes no part in the broadcast either.
    const Shape out = broadcastShapes({xt.shape(), st.shape(), zt.shape(), sot.shape(), bot.shape()});
    return withRoundingMode(a.rounding, [&](auto mode) {
        constexpr RoundingMode M = decltype(mode)::value;
        if (st.size() == 1 && sot.size() == 1 && bot.size() == 1) {
            const T sv = s.data()[0];
            const T sov = so.data()[0];
            const T k = truncV2Factor(sv, sov);
            const IntRange r = intRange(static_cast<double>(static_cast<T>(bot.at(0))), a.isSigned, a.narrow);
            const T lo = static_cast<T>(r.lo), hi = static_cast<T>(r.hi);
            return mapBroadcast<T>(
                out, [=](T xv, T zv) { return truncV2Element<M>(xv, sv, zv, sov, k, lo, hi); }, x, z);
        }
        // Per-channel scales: the log2/pow and the bounds only change when the parameters do, so cache them.
        const Operand<T> bo(bot);
        bool have = false;
        T cs = 0, cso = 0, cbo = 0, k = 1, lo = 0, hi = 0;
        return mapBroadcast<T>(
            out,
            [&](T xv, T sv, T zv, T sov, T bov) {
                if (!have || sv != cs || sov != cso || bov != cbo) {
                    have = true;
                    cs = sv;
                    cso = sov;
                    cbo = bov;
                    k = truncV2Factor(sv, sov);
                    const IntRange r = intRange(static_cast<double>(bov), a.isSigned, a.narrow);
                    lo = static_cast<T>(r.lo);
                    hi = static_cast<T>(r.hi);
                }
                return truncV2Element<M>(xv, sv, zv, sov, k, lo, hi);
            },
            x, s, z, so, bo);
    });
}

// ---------------------------------------------------------------------------------------------------
// FloatQuant

template <class T>
Tensor floatQuantT(const Tensor& xt, const Tensor& st, const Tensor& et, const Tensor& mt, const Tensor& bt,
    const Tensor& mvt, const FloatQuantAttributes& a)
{
    const T e = singleValue<T>(et, "FloatQuant", "exponent bit width");
    const T m = singleValue<T>(mt, "FloatQuant", "mantissa bit width");
    const T bias = singleValue<T>(bt, "FloatQuant", "exponent bias");
    if (!a.saturation && !a.hasInf && !a.hasNan)
        throw Error("FloatQuant: saturation is off but neither has_inf nor has_nan is set");

    // Largest value of the format, (2 - 2^-m) * 2^(2^e - 1 - bias), and the smallest internal scale
    // exponent 1 - bias - m, both computed in double like the reference.
    const double me = static_cast<double>(m);
    const double maxExponent = std::pow(2.0, static_cast<double>(e)) - 1.0 - static_cast<double>(bias);
    const double formatMax = (2.0 - std::pow(2.0, -me)) * std::pow(2.0, maxExponent);
    const T minExponent = static_cast<T>(1.0 - static_cast<double>(bias) - me);
    const T formatMaxT = static_cast<T>(formatMax);

    const bool noLimit = mvt.empty();
    const Tensor unlimited
        = noLimit ? Tensor::fromDoubles({}, {std::numeric_limits<double>::infinity()}) : Tensor();
    const Operand<T> x(xt), s(st), mv(noLimit ? unlimited : mvt);
    const Shape out = broadcastShapes({xt.shape(), st.shape(), mv.shape()});
    const bool saturate = a.saturation;
    const bool toInf = a.hasInf;
    constexpr T tiny = std::numeric_limits<T>::min();
    constexpr T inf = std::numeric_limits<T>::infinity();
    constexpr T nan = std::numeric_limits<T>::quiet_NaN();

    return withRoundingMode(a.rounding, [&](auto mode) {
        constexpr RoundingMode M = decltype(mode)::value;
        return mapBroadcast<T>(
            out,
            [=](T xv, T sv, T mvv) {
                const T xs = xv / sv;
                T ex = std::floor(std::log2(std::fabs(xs) + tiny)) - m;
                ex = ex < minExponent ? minExponent : ex;
                const T internalScale = pow2(ex);
                const T xq0 = internalScale * roundAs<M>(xs / internalScale);
                // min(format max, max_val), NaN-propagating like np.minimum
                const T hi = mvv != mvv ? mvv : (mvv < formatMaxT ? mvv : formatMaxT);
                const T lo = -hi;
                const bool over = xq0 > hi;
                const bool under = xq0 < lo;
                const bool wasInf = std::isinf(xq0);
                T xq = xq0 < lo ? lo : xq0; // np.clip = minimum(maximum(x, lo), hi)
                xq = xq > hi ? hi : xq;
                if (!saturate) {
                    if (toInf) {
                        xq = over ? inf : (under ? -inf : xq);
                    } else if (over || under || wasInf) {
                        xq = nan;
                    }
                }
                return xq * sv;
            },
            x, s, mv);
    });
}

} // namespace

// ---------------------------------------------------------------------------------------------------

Tensor intQuant(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& bitWidth,
    const IntQuantAttributes& attrs, Precision precision)
{
    if (precision == Precision::Float32)
        return intQuantT<float>(x, scale, zeroPoint, bitWidth, attrs);
    return intQuantT<double>(x, scale, zeroPoint, bitWidth, attrs);
}

Tensor bipolarQuant(const Tensor& x, const Tensor& scale, Precision precision)
{
    if (precision == Precision::Float32)
        return bipolarQuantT<float>(x, scale);
    return bipolarQuantT<double>(x, scale);
}

Tensor truncV1(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& inBitWidth,
    const Tensor& outBitWidth, const TruncAttributes& attrs, Precision precision)
{
    if (precision == Precision::Float32)
        return truncV1T<float>(x, scale, zeroPoint, inBitWidth, outBitWidth, attrs);
    return truncV1T<double>(x, scale, zeroPoint, inBitWidth, outBitWidth, attrs);
}

Tensor truncV2(const Tensor& x, const Tensor& scale, const Tensor& zeroPoint, const Tensor& /*inBitWidth*/,
    const Tensor& outScale, const Tensor& outBitWidth, const TruncAttributes& attrs, Precision precision)
{
    if (precision == Precision::Float32)
        return truncV2T<float>(x, scale, zeroPoint, outScale, outBitWidth, attrs);
    return truncV2T<double>(x, scale, zeroPoint, outScale, outBitWidth, attrs);
}

Tensor floatQuant(const Tensor& x, const Tensor& scale, const Tensor& exponentBitWidth,
    const Tensor& mantissaBitWidth, const Tensor& exponentBias, const Tensor& maxVal,
    const FloatQuantAttributes& attrs, Precision precision)
{
    if (precision == Precision::Float32)
        return floatQuantT<float>(x, scale, exponentBitWidth, mantissaBitWidth, exponentBias, maxVal, attrs);
    return floatQuantT<double>(x, scale, exponentBitWidth, mantissaBitWidth, exponentBias, maxVal, attrs);
}

} // namespace qs
