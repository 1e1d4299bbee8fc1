#include "core/kernels/pad.h"

#include "core/kernels/detail.h"
#include "core/kernels/shapeops.h"

#include <cstdlib>
#include <string>

namespace qs::kernels {

using detail::toSize;

PadMode parsePadMode(std::string_view text)
{
    if (text.empty() || text == "constant")
        return PadMode::Constant;
    if (text == "reflect")
        return PadMode::Reflect;
    if (text == "edge")
        return PadMode::Edge;
    if (text == "wrap")
        return PadMode::Wrap;
    throw Error("Pad: unknown mode '" + std::string(text) + "'");
}

namespace {

std::int64_t mapIndex(PadMode mode, std::int64_t i, std::int64_t dim)
{
    if (i >= 0 && i < dim)
        return i;
    switch (mode) {
    case PadMode::Constant:
        return -1;
    case PadMode::Edge:
        return i < 0 ? 0 : dim - 1;
    case PadMode::Wrap:
        return ((i % dim) + dim) % dim;
    case PadMode::Reflect: {
        if (dim == 1)
            return 0;
        const std::int64_t period = 2 * (dim - 1);
        std::int64_t m = ((i % period) + period) % period;
        return m < dim ? m : period - m;
    }
    }
    return -1;
}

} // namespace

Tensor pad(const Tensor& x, const PadAttrs& attrs)
{
    const int rank = x.rank();
    std::vector<std::int64_t> axes = attrs.axes;
    if (axes.empty())
        for (int i = 0; i < rank; ++i)
            axes.push_back(i);
    if (attrs.pads.size() != 2 * axes.size())
        throw Error("Pad: " + std::to_string(attrs.pads.size()) + " pads for " + std::to_string(axes.size())
            + " axes (expected twice as many)");
    std::vector<std::int64_t> before(toSize(rank), 0), after(toSize(rank), 0);
    std::vector<bool> seen(toSize(rank), false);
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const int a = detail::normalizeAxis(axes[i], rank, "Pad");
        if (seen[toSize(a)])
            throw Error("Pad: axis " + std::to_string(axes[i]) + " given twice");
        seen[toSize(a)] = true;
        before[toSize(a)] = attrs.pads[i];
        after[toSize(a)] = attrs.pads[i + axes.size()];
    }
    Shape outShape(toSize(rank));
    std::vector<std::vector<std::int64_t>> maps(toSize(rank));
    constexpr std::int64_t kHuge = std::int64_t(1) << 48;
    for (std::size_t a = 0; a < toSize(rank); ++a) {
        const std::int64_t dim = x.shape()[a];
        if (std::abs(before[a]) > kHuge || std::abs(after[a]) > kHuge || dim + before[a] + after[a] < 0)
            throw Error("Pad: pads " + std::to_string(before[a]) + ", " + std::to_string(after[a])
                + " are invalid for an axis of size " + std::to_string(dim));
        outShape[a] = dim + before[a] + after[a];
        if (dim == 0 && outShape[a] > 0 && attrs.mode != PadMode::Constant)
            throw Error("Pad: cannot pad an empty axis in reflect, edge or wrap mode");
    }
    // The index maps below are as long as the output's dims; check the output (empty, or within the
    // allocation limit) before building them (fuzzing: a pad of 2^31 next to an emptied axis).
    const std::int64_t count = elementCount(outShape);
    if (count == 0)
        return Tensor(x.dtype(), outShape);
    const std::int64_t limit = AllocationLimit::current();
    if (limit >= 0 && count > limit / static_cast<std::int64_t>(dtypeSize(x.dtype())))
        throw Error("Pad output " + shapeToString(outShape) + " is above the allocation limit of "
            + std::to_string(limit / 1000000) + " MB");
    for (std::size_t a = 0; a < toSize(rank); ++a) {
        maps[a].resize(toSize(outShape[a]));
        for (std::int64_t o = 0; o < outShape[a]; ++o)
            maps[a][toSize(o)] = mapIndex(attrs.mode, o - before[a], x.shape()[a]);
    }
    Tensor fill = Tensor::fromDoubles({}, {attrs.constantValue}).cast(x.dtype());
    return detail::gatherAxes(x, outShape, maps, &fill);
}

} // namespace qs::kernels
