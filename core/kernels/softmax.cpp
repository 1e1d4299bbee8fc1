#include "core/kernels/softmax.h"

#include "core/kernels/detail.h"

#include <cmath>
#include <limits>

namespace qs::kernels {

namespace {

using detail::toSize;

enum class Kind { Softmax, LogSoftmax, Hardmax };

template <class T> void normalize(Kind kind, const T* in, T* out, std::int64_t n, std::int64_t stride)
{
    if (n == 0)
        return;
    T mx = -std::numeric_limits<T>::infinity();
    std::int64_t argmax = 0;
    for (std::int64_t i = 0; i < n; ++i)
        if (in[i * stride] > mx) {
            mx = in[i * stride];
            argmax = i;
        }
    if (kind == Kind::Hardmax) {
        for (std::int64_t i = 0; i < n; ++i)
            out[i * stride] = i == argmax ? T(1) : T(0);
        return;
    }
    if (!std::isfinite(mx))
        mx = 0;
    T sum = 0;
    for (std::int64_t i = 0; i < n; ++i)
        sum += std::exp(in[i * stride] - mx);
    if (kind == Kind::Softmax)
        for (std::int64_t i = 0; i < n; ++i)
            out[i * stride] = std::exp(in[i * stride] - mx) / sum;
    else
        for (std::int64_t i = 0; i < n; ++i)
            out[i * stride] = in[i * stride] - mx - std::log(sum);
}

Tensor run(Kind kind, const char* op, const Tensor& x, const SoftmaxAttrs& attrs)
{
    detail::requireFloat(x, op);
    Tensor y(x.dtype(), x.shape());
    if (x.rank() == 0 || y.empty()) {
        if (x.rank() == 0)
            detail::normalizeAxis(attrs.axis, 1, op); // a scalar is a 1-element row
        if (!y.empty())
            detail::dispatchFloat(x.dtype(), op, [&](auto tag) {
                using T = decltype(tag);
                normalize<T>(kind, x.data<T>(), y.data<T>(), 1, 1);
            });
        return y;
    }
    const int a = detail::normalizeAxis(attrs.axis, x.rank(), op);
    const Shape& s = x.shape();
    const std::int64_t outer = elementCount(Shape(s.begin(), s.begin() + a));
    std::int64_t n = s[toSize(a)], inner = elementCount(Shape(s.begin() + a + 1, s.end()));
    if (attrs.flattenTo2d) {
        n *= inner;
        inner = 1;
    }
    detail::dispatchFloat(x.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        const T* X = x.data<T>();
        T* Y = y.data<T>();
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::int64_t i = 0; i < inner; ++i)
                normalize<T>(kind, X + o * n * inner + i, Y + o * n * inner + i, n, inner);
    });
    return y;
}

} // namespace

Tensor softmax(const Tensor& x, const SoftmaxAttrs& attrs)
{
    return run(Kind::Softmax, "Softmax", x, attrs);
}
Tensor logSoftmax(const Tensor& x, const SoftmaxAttrs& attrs)
{
    return run(Kind::LogSoftmax, "LogSoftmax", x, attrs);
}
Tensor hardmax(const Tensor& x, const SoftmaxAttrs& attrs)
{
    return run(Kind::Hardmax, "Hardmax", x, attrs);
}

} // namespace qs::kernels
