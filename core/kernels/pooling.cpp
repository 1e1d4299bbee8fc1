#include "core/kernels/pooling.h"

#include "core/kernels/detail.h"
#include "core/kernels/threadpool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace qs::kernels {

namespace {

using detail::toSize;

struct AxisTaps {
    // For each output position: the valid input coordinates of its window taps, and how many taps
    // fall inside [-padBegin, in + padEnd) (the count_include_pad divisor).
    std::vector<std::vector<std::int64_t>> valid;
    std::vector<std::int64_t> padded;
};

AxisTaps axisTaps(const WindowGeometry& g, int axis)
{
    const auto a = toSize(axis);
    AxisTaps t;
    t.valid.resize(toSize(g.out[a]));
    t.padded.resize(toSize(g.out[a]));
    for (std::int64_t o = 0; o < g.out[a]; ++o) {
        for (std::int64_t k = 0; k < g.kernel[a]; ++k) {
            const std::int64_t i = o * g.strides[a] - g.padBegin[a] + k * g.dilations[a];
            if (i >= 0 && i < g.in[a])
                t.valid[toSize(o)].push_back(i);
            if (i >= -g.padBegin[a] && i < g.in[a] + g.padEnd[a])
                ++t.padded[toSize(o)];
        }
    }
    return t;
}

enum class PoolKind { Max, Average };

struct PoolJob {
    WindowGeometry g; // lifted to 3-D
    Shape outShape;
    std::int64_t planes, inS, outS;
};

PoolJob planPool(const char* op, const Tensor& x, const PoolAttrs& attrs)
{
    detail::requireFloat(x, op);
    if (x.rank() < 3 || x.rank() > 5)
        throw Error(std::string(op) + ": input rank " + std::to_string(x.rank())
            + " is not supported (expected 3 to 5)");
    const Shape inSpatial(x.shape().begin() + 2, x.shape().end());
    if (attrs.kernelShape.empty())
        throw Error(std::string(op) + ": kernel_shape is required");
    PoolJob j;
    j.g = detail::liftTo3d(resolveWindow(op, inSpatial, attrs.kernelShape, attrs.strides, attrs.pads,
        attrs.dilations, attrs.autoPad, attrs.ceilMode));
    j.outShape = {x.shape()[0], x.shape()[1]};
    j.outShape.insert(j.outShape.end(), j.g.out.begin() + (3 - (x.rank() - 2)), j.g.out.end());
    j.planes = x.shape()[0] * x.shape()[1];
    j.inS = elementCount(j.g.in);
    j.outS = elementCount(j.g.out);
    return j;
}

template <class T>
void runPool(const PoolJob& j, PoolKind kind, const PoolAttrs& attrs, const Tensor& x, Tensor& y,
    Tensor* indices, const KernelContext& ctx)
{
    const AxisTaps td = axisTaps(j.g, 0), th = axisTaps(j.g, 1), tw = axisTaps(j.g, 2);
    const T* X = x.data<T>();
    T* Y = y.data<T>();
    std::int64_t* I = indices ? indices->data<std::int64_t>() : nullptr;
    const std::int64_t H = j.g.in[1], W = j.g.in[2], D = j.g.in[0];
    const std::int64_t OH = j.g.out[1], OW = j.g.out[2];
    parallelFor(ctx, 0, j.planes, [&](std::int64_t plane) {
        const T* in = X + plane * j.inS;
        T* out = Y + plane * j.outS;
        std::int64_t p = 0;
        for (std::int64_t od = 0; od < j.g.out[0]; ++od)
            for (std::int64_t oh = 0; oh < OH; ++oh)
                for (std::int64_t ow = 0; ow < OW; ++ow, ++p) {
                    const auto& vd = td.valid[toSize(od)];
                    const auto& vh = th.valid[toSize(oh)];
                    const auto& vw = tw.valid[toSize(ow)];
                    if (kind == PoolKind::Max) {
                        T best = -std::numeric_limits<T>::infinity();
                        std::int64_t bestAt = -1;
                        for (std::int64_t id : vd)
                            for (std::int64_t ih : vh)
                                for (std::int64_t iw : vw) {
                                    const std::int64_t at = (id * H + ih) * W + iw;
                                    if (in[at] > best || bestAt < 0) {
                                        best = in[at];
                                        bestAt = at;
                                    }
                                }
                        out[p] = best;
                        if (I) {
                            // Column-major storage order flips the spatial index order (2-D per ONNX).
                            std::int64_t flat = bestAt;
                            if (attrs.storageOrder == 1 && bestAt >= 0) {
                                const std::int64_t iw = bestAt % W, ih = (bestAt / W) % H,
                                                   id = bestAt / (W * H);
                                flat = (iw * H + ih) * D + id;
                            }
                            I[plane * j.outS + p] = plane * j.inS + flat;
                        }
                    } else {
                        T sum = 0;
                        for (std::int64_t id : vd)
                            for (std::int64_t ih : vh)
                                for (std::int64_t iw : vw)
                                    sum += in[(id * H + ih) * W + iw];
                        const std::int64_t count = attrs.countIncludePad
                            ? td.padded[toSize(od)] * th.padded[toSize(oh)] * tw.padded[toSize(ow)]
                            : static_cast<std::int64_t>(vd.size() * vh.size() * vw.size());
                        out[p] = count > 0 ? sum / static_cast<T>(count) : T(0);
                    }
                }
    });
}

MaxPoolResult pool(const char* op, PoolKind kind, const Tensor& x, const PoolAttrs& attrs, bool wantIndices,
    const KernelContext& ctx)
{
    const PoolJob j = planPool(op, x, attrs);
    MaxPoolResult r {Tensor(x.dtype(), j.outShape), Tensor()};
    if (wantIndices)
        r.indices = Tensor(DType::Int64, j.outShape);
    if (r.values.empty())
        return r;
    detail::dispatchFloat(x.dtype(), op, [&](auto tag) {
        runPool<decltype(tag)>(j, kind, attrs, x, r.values, wantIndices ? &r.indices : nullptr, ctx);
    });
    return r;
}

template <class T> void globalPool(const Tensor& x, Tensor& y, PoolKind kind)
{
    const std::int64_t planes = x.shape()[0] * x.shape()[1];
    const std::int64_t n = planes == 0 ? 0 : x.size() / planes;
    const T* X = x.data<T>();
    T* Y = y.data<T>();
    for (std::int64_t p = 0; p < planes; ++p) {
        const T* in = X + p * n;
        if (kind == PoolKind::Max) {
            T best = -std::numeric_limits<T>::infinity();
            for (std::int64_t i = 0; i < n; ++i)
                best = std::max(best, in[i]);
            Y[p] = best;
        } else {
            T sum = 0;
            for (std::int64_t i = 0; i < n; ++i)
                sum += in[i];
            Y[p] = n > 0 ? sum / static_cast<T>(n) : T(0);
        }
    }
}

Tensor global(const char* op, const Tensor& x, PoolKind kind)
{
    detail::requireFloat(x, op);
    if (x.rank() < 2)
        throw Error(std::string(op) + ": input must have rank >= 2 (got " + shapeToString(x.shape()) + ")");
    Shape out(x.shape().size(), 1);
    out[0] = x.shape()[0];
    out[1] = x.shape()[1];
    Tensor y(x.dtype(), out);
    detail::dispatchFloat(x.dtype(), op, [&](auto tag) { globalPool<decltype(tag)>(x, y, kind); });
    return y;
}

} // namespace

Tensor maxPool(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx)
{
    return pool("MaxPool", PoolKind::Max, x, attrs, false, ctx).values;
}

MaxPoolResult maxPoolWithIndices(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx)
{
    return pool("MaxPool", PoolKind::Max, x, attrs, true, ctx);
}

Tensor averagePool(const Tensor& x, const PoolAttrs& attrs, const KernelContext& ctx)
{
    return pool("AveragePool", PoolKind::Average, x, attrs, false, ctx).values;
}

Tensor globalAveragePool(const Tensor& x)
{
    return global("GlobalAveragePool", x, PoolKind::Average);
}
Tensor globalMaxPool(const Tensor& x)
{
    return global("GlobalMaxPool", x, PoolKind::Max);
}

} // namespace qs::kernels
