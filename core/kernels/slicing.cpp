// Slice and Gather: the indexing half of the shape operators (declared in shapeops.h).
#include "core/kernels/detail.h"
#include "core/kernels/shapeops.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace qs::kernels {

using detail::toSize;

Tensor slice(const Tensor& x, const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& ends,
    const std::vector<std::int64_t>& axes, const std::vector<std::int64_t>& steps)
{
    const int rank = x.rank();
    if (starts.size() != ends.size() || (!axes.empty() && axes.size() != starts.size())
        || (!steps.empty() && steps.size() != starts.size()))
        throw Error("Slice: starts, ends, axes and steps must have the same length");
    Shape outShape = x.shape();
    std::vector<std::int64_t> first(toSize(rank), 0), step(toSize(rank), 1);
    std::vector<bool> seen(toSize(rank), false);
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const int a
            = detail::normalizeAxis(axes.empty() ? static_cast<std::int64_t>(i) : axes[i], rank, "Slice");
        if (seen[toSize(a)])
            throw Error("Slice: axis " + std::to_string(a) + " given twice");
        seen[toSize(a)] = true;
        const std::int64_t dim = x.shape()[toSize(a)];
        const std::int64_t s = steps.empty() ? 1 : steps[i];
        if (s == 0)
            throw Error("Slice: step must not be 0");
        std::int64_t b = starts[i], e = ends[i];
        if (b < 0)
            b += dim;
        if (e < 0)
            e += dim;
        std::int64_t count = 0;
        if (s > 0) {
            b = std::clamp<std::int64_t>(b, 0, dim);
            e = std::clamp<std::int64_t>(e, 0, dim);
            count = e > b ? (e - b - 1) / s + 1 : 0;
        } else {
            b = std::clamp<std::int64_t>(b, 0, dim - 1);
            e = std::clamp<std::int64_t>(e, -1, dim - 1);
            count = b > e ? (b - e - 1) / (-s) + 1 : 0;
        }
        outShape[toSize(a)] = count;
        first[toSize(a)] = b;
        step[toSize(a)] = s;
    }
    std::vector<std::vector<std::int64_t>> maps(toSize(rank));
    for (std::size_t a = 0; a < toSize(rank); ++a) {
        maps[a].resize(toSize(outShape[a]));
        for (std::int64_t o = 0; o < outShape[a]; ++o)
            maps[a][toSize(o)] = first[a] + o * step[a];
    }
    return detail::gatherAxes(x, outShape, maps);
}

Tensor gather(const Tensor& data, const Tensor& indices, std::int64_t axis)
{
    if (data.rank() == 0)
        throw Error("Gather: data must have rank >= 1");
    if (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32)
        throw Error(std::string("Gather: indices must be int32 or int64, not ") + dtypeName(indices.dtype()));
    const int a = detail::normalizeAxis(axis, data.rank(), "Gather");
    const Shape& ds = data.shape();
    const std::int64_t dim = ds[toSize(a)];
    Shape outShape(ds.begin(), ds.begin() + a);
    outShape.insert(outShape.end(), indices.shape().begin(), indices.shape().end());
    outShape.insert(outShape.end(), ds.begin() + a + 1, ds.end());
    Tensor y(data.dtype(), outShape);
    const std::int64_t outer = elementCount(Shape(ds.begin(), ds.begin() + a));
    const std::size_t block
        = toSize(elementCount(Shape(ds.begin() + a + 1, ds.end()))) * dtypeSize(data.dtype());
    const std::int64_t n = indices.size();
    std::vector<std::int64_t> idx(toSize(n));
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t v = indices.atInt(i);
        if (v < -dim || v >= dim)
            throw Error("Gather: index " + std::to_string(v) + " is out of range for axis "
                + std::to_string(a) + " of size " + std::to_string(dim));
        idx[toSize(i)] = v < 0 ? v + dim : v;
    }
    if (y.empty() || block == 0)
        return y;
    std::byte* out = y.rawData();
    for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0; i < n; ++i) {
            std::memcpy(out, data.rawData() + (toSize(o * dim + idx[toSize(i)])) * block, block);
            out += block;
        }
    return y;
}

} // namespace qs::kernels
