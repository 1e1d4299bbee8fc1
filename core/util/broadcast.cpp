#include "core/util/broadcast.h"

#include "core/util/error.h"

#include <algorithm>

namespace qs {

Shape broadcastShapes(const Shape& a, const Shape& b)
{
    const std::size_t rank = std::max(a.size(), b.size());
    Shape out(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            throw Error("shapes " + shapeToString(a) + " and " + shapeToString(b) + " cannot be broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

Shape broadcastShapes(const std::vector<Shape>& shapes)
{
    Shape out;
    for (const Shape& s : shapes)
        out = broadcastShapes(out, s);
    return out;
}

std::vector<std::int64_t> broadcastStrides(const Shape& in, const Shape& out)
{
    const std::size_t rank = out.size();
    std::vector<std::int64_t> strides(rank, 0);
    std::int64_t stride = 1;
    for (std::size_t i = in.size(); i-- > 0;) {
        const std::size_t o = i + (rank - in.size());
        strides[o] = in[i] == 1 ? 0 : stride;
        stride *= in[i];
    }
    return strides;
}

} // namespace qs
