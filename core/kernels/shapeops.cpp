#include "core/kernels/shapeops.h"

#include "core/kernels/detail.h"
#include "core/util/broadcast.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace qs::kernels {

using detail::toSize;

Shape reshapeShape(const Shape& input, const std::vector<std::int64_t>& target, bool allowZero)
{
    Shape out(target.size());
    int inferAt = -1;
    bool hasZero = false;
    for (std::size_t i = 0; i < target.size(); ++i) {
        const std::int64_t d = target[i];
        if (d == -1) {
            if (inferAt >= 0)
                throw Error("Reshape: more than one -1 in target shape " + shapeToString(target));
            inferAt = static_cast<int>(i);
            out[i] = 1;
        } else if (d == 0 && !allowZero) {
            if (i >= input.size())
                throw Error("Reshape: 0 at position " + std::to_string(i)
                    + " has no input dim to copy (input " + shapeToString(input) + ")");
            out[i] = input[i];
        } else if (d < 0) {
            throw Error(
                "Reshape: invalid dim " + std::to_string(d) + " in target shape " + shapeToString(target));
        } else {
            hasZero = hasZero || d == 0;
            out[i] = d;
        }
    }
    if (allowZero && hasZero && inferAt >= 0)
        throw Error("Reshape: allowzero target " + shapeToString(target) + " has both 0 and -1");
    const std::int64_t total = elementCount(input);
    const std::int64_t known = elementCount(out);
    if (inferAt >= 0) {
        if (known == 0 || total % known != 0)
            throw Error("Reshape: cannot infer -1 reshaping " + shapeToString(input) + " to "
                + shapeToString(target));
        out[toSize(inferAt)] = total / known;
    } else if (known != total) {
        throw Error("Reshape: cannot reshape " + shapeToString(input) + " (" + std::to_string(total)
            + " elements) to " + shapeToString(out));
    }
    return out;
}

Tensor reshape(const Tensor& x, const std::vector<std::int64_t>& target, bool allowZero)
{
    return x.reshaped(reshapeShape(x.shape(), target, allowZero));
}

Tensor identity(const Tensor& x)
{
    return x;
}

namespace {

// A permutation that, after dropping unit axes and merging axes that stay adjacent, is a batch of 2-D
// transposes: out[b][c][r] = in[b][r][c]. Channels-last <-> channels-first is one (found 30% of a
// channels-last U-Net's time in the element-by-element walk).
struct BatchedTranspose {
    std::int64_t batch = 1, rows = 1, cols = 1;
};

bool asBatchedTranspose(const Shape& in, const std::vector<std::int64_t>& perm, BatchedTranspose& t)
{
    const auto rank = static_cast<std::int64_t>(in.size());
    const auto nextNonUnit = [&](std::int64_t a) {
        do
            ++a;
        while (a < rank && in[toSize(a)] == 1);
        return a;
    };
    // Output order of the non-unit input axes, merged into groups of input-adjacent axes.
    std::vector<std::pair<std::int64_t, std::int64_t>> groups; // first input axis, extent
    std::int64_t previous = -1;
    for (std::int64_t a : perm) {
        if (in[toSize(a)] == 1)
            continue;
        if (previous >= 0 && nextNonUnit(previous) == a)
            groups.back().second *= in[toSize(a)];
        else
            groups.push_back({a, in[toSize(a)]});
        previous = a;
    }
    // Two groups are necessarily swapped (in order they would have merged): [R, C] -> [C, R].
    if (groups.size() == 2) {
        t = {1, groups[1].second, groups[0].second};
        return true;
    }
    // [B, R, C] -> [B, C, R].
    if (groups.size() == 3 && groups[0].first < groups[2].first && groups[2].first < groups[1].first) {
        t = {groups[0].second, groups[2].second, groups[1].second};
        return true;
    }
    return false;
}

template <class U> void transposeTiles(const U* in, U* out, const BatchedTranspose& t)
{
    constexpr std::int64_t tile = 32;
    for (std::int64_t b = 0; b < t.batch; ++b) {
        const U* src = in + b * t.rows * t.cols;
        U* dst = out + b * t.rows * t.cols;
        for (std::int64_t r0 = 0; r0 < t.rows; r0 += tile)
            for (std::int64_t c0 = 0; c0 < t.cols; c0 += tile) {
                const std::int64_t r1 = std::min(t.rows, r0 + tile), c1 = std::min(t.cols, c0 + tile);
                for (std::int64_t c = c0; c < c1; ++c)
                    for (std::int64_t r = r0; r < r1; ++r)
                        dst[c * t.rows + r] = src[r * t.cols + c];
            }
    }
}

} // namespace

Tensor transpose(const Tensor& x, const std::vector<std::int64_t>& perm)
{
    const int rank = x.rank();
    std::vector<std::int64_t> p = perm;
    if (p.empty())
        for (int i = rank - 1; i >= 0; --i)
            p.push_back(i);
    if (static_cast<int>(p.size()) != rank)
        throw Error("Transpose: perm " + shapeToString(p) + " does not match rank " + std::to_string(rank));
    std::vector<bool> seen(toSize(rank), false);
    for (std::int64_t& a : p) {
        a = kernels::detail::normalizeAxis(a, rank, "Transpose");
        if (seen[toSize(a)])
            throw Error("Transpose: perm " + shapeToString(perm) + " repeats an axis");
        seen[toSize(a)] = true;
    }
    const std::vector<std::int64_t> inStrides = kernels::detail::stridesOf(x.shape());
    Shape outShape(toSize(rank));
    std::vector<std::int64_t> strides(toSize(rank));
    for (std::size_t i = 0; i < toSize(rank); ++i) {
        outShape[i] = x.shape()[toSize(p[i])];
        strides[i] = inStrides[toSize(p[i])];
    }
    Tensor y = Tensor::uninitialized(x.dtype(), outShape);
    BatchedTranspose batched;
    const bool tiled = y.size() > 0 && asBatchedTranspose(x.shape(), p, batched);
    kernels::detail::dispatchBySize(dtypeSize(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        const U* in = x.data<U>();
        U* out = y.data<U>();
        if (tiled)
            return transposeTiles(in, out, batched);
        forEachBroadcast<1>(outShape, {strides},
            [&](std::int64_t i, const std::array<std::int64_t, 1>& o) { out[i] = in[o[0]]; });
    });
    return y;
}

Tensor concat(const std::vector<const Tensor*>& inputs, std::int64_t axis)
{
    if (inputs.empty() || !inputs[0])
        throw Error("Concat: needs at least one input");
    const Tensor& first = *inputs[0];
    const int rank = first.rank();
    if (rank == 0)
        throw Error("Concat: inputs must have rank >= 1");
    const int a = kernels::detail::normalizeAxis(axis, rank, "Concat");
    Shape outShape = first.shape();
    outShape[toSize(a)] = 0;
    for (const Tensor* t : inputs) {
        if (!t || t->dtype() != first.dtype() || t->rank() != rank)
            throw Error("Concat: inputs must share element type and rank");
        for (int i = 0; i < rank; ++i)
            if (i != a && t->shape()[toSize(i)] != first.shape()[toSize(i)])
                throw Error("Concat: shapes " + shapeToString(first.shape()) + " and "
                    + shapeToString(t->shape()) + " differ outside axis " + std::to_string(a));
        outShape[toSize(a)] += t->shape()[toSize(a)];
    }
    Tensor y = Tensor::uninitialized(first.dtype(), outShape); // the inputs tile every row
    const std::int64_t outer = elementCount(Shape(outShape.begin(), outShape.begin() + a));
    const std::size_t outRow = y.byteSize() / toSize(std::max<std::int64_t>(outer, 1));
    std::size_t offset = 0;
    for (const Tensor* t : inputs) {
        const std::size_t row = outer > 0 ? t->byteSize() / toSize(outer) : 0;
        for (std::int64_t o = 0; o < outer && row > 0; ++o)
            std::memcpy(y.rawData() + toSize(o) * outRow + offset, t->rawData() + toSize(o) * row, row);
        offset += row;
    }
    return y;
}

std::vector<Tensor> split(
    const Tensor& x, std::int64_t axis, const std::vector<std::int64_t>& splits, std::int64_t numOutputs)
{
    if (x.rank() == 0)
        throw Error("Split: input must have rank >= 1");
    const int a = kernels::detail::normalizeAxis(axis, x.rank(), "Split");
    const std::int64_t dim = x.shape()[toSize(a)];
    std::vector<std::int64_t> sizes = splits;
    if (sizes.empty()) {
        if (numOutputs <= 0)
            throw Error("Split: needs either split sizes or a positive number of outputs");
        const std::int64_t chunk = (dim + numOutputs - 1) / numOutputs;
        for (std::int64_t i = 0; i < numOutputs; ++i)
            sizes.push_back(std::clamp<std::int64_t>(dim - i * chunk, 0, chunk));
    }
    std::int64_t sum = 0;
    for (std::int64_t s : sizes) {
        if (s < 0)
            throw Error("Split: negative split size in " + shapeToString(sizes));
        sum += s;
    }
    if (sum != dim)
        throw Error("Split: sizes " + shapeToString(sizes) + " do not add up to dim " + std::to_string(dim));
    std::vector<Tensor> outs;
    std::int64_t begin = 0;
    for (std::int64_t s : sizes) {
        outs.push_back(slice(x, {begin}, {begin + s}, {a}, {1}));
        begin += s;
    }
    return outs;
}

Tensor squeeze(const Tensor& x, const std::vector<std::int64_t>& axes)
{
    std::vector<bool> drop(toSize(x.rank()), false);
    for (std::int64_t axis : axes) {
        const int a = kernels::detail::normalizeAxis(axis, x.rank(), "Squeeze");
        if (x.shape()[toSize(a)] != 1)
            throw Error(
                "Squeeze: axis " + std::to_string(axis) + " of " + shapeToString(x.shape()) + " is not 1");
        drop[toSize(a)] = true;
    }
    Shape out;
    for (int i = 0; i < x.rank(); ++i)
        if (!(axes.empty() ? x.shape()[toSize(i)] == 1 : drop[toSize(i)]))
            out.push_back(x.shape()[toSize(i)]);
    return x.reshaped(out);
}

Tensor unsqueeze(const Tensor& x, const std::vector<std::int64_t>& axes)
{
    const int outRank = x.rank() + static_cast<int>(axes.size());
    std::vector<bool> inserted(toSize(outRank), false);
    for (std::int64_t axis : axes) {
        const int a = kernels::detail::normalizeAxis(axis, outRank, "Unsqueeze");
        if (inserted[toSize(a)])
            throw Error("Unsqueeze: axis " + std::to_string(axis) + " given twice");
        inserted[toSize(a)] = true;
    }
    Shape out;
    std::size_t next = 0;
    for (int i = 0; i < outRank; ++i)
        out.push_back(inserted[toSize(i)] ? 1 : x.shape()[next++]);
    return x.reshaped(out);
}

Tensor flatten(const Tensor& x, std::int64_t axis)
{
    const int a = kernels::detail::normalizeAxisInclusive(axis, x.rank(), "Flatten");
    const Shape& s = x.shape();
    return x.reshaped(
        {elementCount(Shape(s.begin(), s.begin() + a)), elementCount(Shape(s.begin() + a, s.end()))});
}

Tensor expand(const Tensor& x, const std::vector<std::int64_t>& shape)
{
    const Shape outShape = broadcastShapes(x.shape(), shape);
    Tensor y(x.dtype(), outShape);
    const std::vector<std::int64_t> strides = broadcastStrides(x.shape(), outShape);
    kernels::detail::dispatchBySize(dtypeSize(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        const U* in = x.data<U>();
        U* out = y.data<U>();
        forEachBroadcast<1>(outShape, {strides},
            [&](std::int64_t i, const std::array<std::int64_t, 1>& o) { out[i] = in[o[0]]; });
    });
    return y;
}

Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats)
{
    if (static_cast<int>(repeats.size()) != x.rank())
        throw Error(
            "Tile: " + std::to_string(repeats.size()) + " repeats for rank " + std::to_string(x.rank()));
    Shape outShape(toSize(x.rank()));
    std::vector<std::vector<std::int64_t>> maps(toSize(x.rank()));
    for (std::size_t i = 0; i < repeats.size(); ++i) {
        if (repeats[i] < 0)
            throw Error("Tile: negative repeat " + std::to_string(repeats[i]));
        outShape[i] = elementCount({x.shape()[i], repeats[i]});
        maps[i].resize(toSize(outShape[i]));
        for (std::int64_t o = 0; o < outShape[i]; ++o)
            maps[i][toSize(o)] = o % x.shape()[i];
    }
    return detail::gatherAxes(x, outShape, maps);
}

Tensor shapeOf(const Tensor& x, std::optional<std::int64_t> start, std::optional<std::int64_t> end)
{
    const std::int64_t r = x.rank();
    auto clampAxis = [r](std::int64_t v) { return std::clamp<std::int64_t>(v < 0 ? v + r : v, 0, r); };
    const std::int64_t s = clampAxis(start.value_or(0));
    const std::int64_t e = clampAxis(end.value_or(r));
    std::vector<std::int64_t> dims;
    for (std::int64_t i = s; i < e; ++i)
        dims.push_back(x.shape()[toSize(i)]);
    return Tensor::fromInt64s({static_cast<std::int64_t>(dims.size())}, dims);
}

namespace detail {

Tensor gatherAxes(const Tensor& x, const Shape& outShape, const std::vector<std::vector<std::int64_t>>& maps,
    const Tensor* fill)
{
    const int rank = x.rank();
    Tensor y(x.dtype(), outShape);
    if (y.empty())
        return y;
    if (rank == 0) {
        std::memcpy(y.rawData(), x.rawData(), x.byteSize());
        return y;
    }
    const std::vector<std::int64_t> strides = kernels::detail::stridesOf(x.shape());
    // Per-axis element offsets into x, -1 where the fill value goes.
    std::vector<std::vector<std::int64_t>> offs(toSize(rank));
    for (std::size_t a = 0; a < toSize(rank); ++a) {
        offs[a].resize(toSize(outShape[a]));
        for (std::size_t o = 0; o < offs[a].size(); ++o) {
            const std::int64_t i = maps[a][o];
            if (i >= x.shape()[a])
                throw Error("internal: axis map out of range");
            offs[a][o] = i < 0 ? -1 : i * strides[a];
        }
    }
    kernels::detail::dispatchBySize(dtypeSize(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        const U* in = x.data<U>();
        U* out = y.data<U>();
        U fillValue {};
        if (fill)
            std::memcpy(&fillValue, fill->rawData(), sizeof(U));
        const std::size_t last = toSize(rank - 1);
        const std::vector<std::int64_t>& inner = offs[last];
        std::vector<std::int64_t> index(toSize(rank), 0);
        const std::int64_t rows = y.size() / outShape[last];
        for (std::int64_t r = 0; r < rows; ++r) {
            std::int64_t base = 0;
            bool filled = false;
            for (std::size_t a = 0; a < last; ++a) {
                const std::int64_t o = offs[a][toSize(index[a])];
                filled = filled || o < 0;
                base += o;
            }
            U* dst = out + r * outShape[last];
            for (std::size_t i = 0; i < inner.size(); ++i)
                dst[i] = (filled || inner[i] < 0) ? fillValue : in[base + inner[i]];
            for (std::size_t a = last; a-- > 0;) {
                if (++index[a] < outShape[a])
                    break;
                index[a] = 0;
            }
        }
    });
    return y;
}

} // namespace detail

} // namespace qs::kernels
