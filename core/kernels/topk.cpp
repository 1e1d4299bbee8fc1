#include "core/kernels/topk.h"

#include "core/kernels/detail.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace qs::kernels {

namespace {

template <class T> bool isNan(T v)
{
    if constexpr (std::is_floating_point_v<T>)
        return std::isnan(v);
    else
        return false;
}

// Strict "a ranks before b" with NaN above every number, so that the sort order is well defined.
template <class T> bool greater(T a, T b)
{
    return !isNan(b) && (isNan(a) || a > b);
}

} // namespace

TopKResult topK(const Tensor& x, std::int64_t k, const TopKAttrs& attrs)
{
    if (x.rank() == 0)
        throw Error("TopK: input must have rank >= 1");
    const int a = detail::normalizeAxis(attrs.axis, x.rank(), "TopK");
    const Shape& s = x.shape();
    const std::int64_t dim = s[detail::toSize(a)];
    if (k < 0 || k > dim)
        throw Error(
            "TopK: k = " + std::to_string(k) + " is out of range for axis of size " + std::to_string(dim));
    Shape outShape = s;
    outShape[detail::toSize(a)] = k;
    TopKResult r {Tensor(x.dtype(), outShape), Tensor(DType::Int64, outShape)};
    const std::int64_t outer = elementCount(Shape(s.begin(), s.begin() + a));
    const std::int64_t inner = elementCount(Shape(s.begin() + a + 1, s.end()));
    detail::dispatchNumeric(x.dtype(), "TopK", [&](auto tag) {
        using T = decltype(tag);
        const T* X = x.data<T>();
        T* V = r.values.data<T>();
        std::int64_t* I = r.indices.data<std::int64_t>();
        std::vector<std::int64_t> order(detail::toSize(dim));
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::int64_t in = 0; in < inner; ++in) {
                const T* row = X + o * dim * inner + in;
                for (std::int64_t i = 0; i < dim; ++i)
                    order[detail::toSize(i)] = i;
                auto before = [&](std::int64_t p, std::int64_t q) {
                    const T vp = row[p * inner], vq = row[q * inner];
                    if (attrs.largest ? greater(vp, vq) : greater(vq, vp))
                        return true;
                    if (attrs.largest ? greater(vq, vp) : greater(vp, vq))
                        return false;
                    return p < q;
                };
                std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
                for (std::int64_t j = 0; j < k; ++j) {
                    const std::int64_t at = (o * k + j) * inner + in;
                    V[at] = row[order[detail::toSize(j)] * inner];
                    I[at] = order[detail::toSize(j)];
                }
            }
    });
    return r;
}

} // namespace qs::kernels
