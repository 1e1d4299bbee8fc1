#include "core/kernels/conv.h"

#include "core/kernels/detail.h"
#include "core/kernels/simd.h"
#include "core/kernels/threadpool.h"

#include <algorithm>
#include <string>
#include <vector>

namespace qs::kernels {

namespace {

using detail::toSize;

// Scratch buffer per thread (and slot), reused across calls so that im2col does not allocate per tile.
template <class T, int Slot = 0> T* scratch(std::size_t n)
{
    thread_local std::vector<T> buffer;
    if (buffer.size() < n)
        buffer.resize(n);
    return buffer.data();
}

struct Plan {
    WindowGeometry g; // lifted to 3-D
    std::int64_t N, C, M, G, Cg, Mg, kvol, Kc, inS, outS;
};

// Valid output range [lo, hi) along one axis for kernel tap k: 0 <= o*s - p + k*d < in.
inline void validRange(std::int64_t out, std::int64_t in, std::int64_t s, std::int64_t p, std::int64_t kd,
    std::int64_t& lo, std::int64_t& hi)
{
    const std::int64_t off = kd - p; // input = o*s + off
    lo = off >= 0 ? 0 : (-off + s - 1) / s;
    hi = in - off <= 0 ? 0 : (in - off - 1) / s + 1;
    lo = std::min(lo, out);
    hi = std::clamp(hi, lo, out);
}

// col[r * ld + p - c0] for rows r = (c, kd, kh, kw) and output positions p in [c0, c1).
template <class T>
void im2col(const Plan& pl, const T* x, std::int64_t c0, std::int64_t c1, T* col, std::int64_t ld)
{
    const WindowGeometry& g = pl.g;
    const std::int64_t OH = g.out[1], OW = g.out[2], D = g.in[0], H = g.in[1], W = g.in[2];
    std::int64_t r = 0;
    for (std::int64_t c = 0; c < pl.Cg; ++c)
        for (std::int64_t kd = 0; kd < g.kernel[0]; ++kd)
            for (std::int64_t kh = 0; kh < g.kernel[1]; ++kh)
                for (std::int64_t kw = 0; kw < g.kernel[2]; ++kw, ++r) {
                    T* dst = col + r * ld;
                    const std::int64_t offW = kw * g.dilations[2] - g.padBegin[2];
                    std::int64_t owLo, owHi;
                    validRange(OW, W, g.strides[2], g.padBegin[2], kw * g.dilations[2], owLo, owHi);
                    // Position (od, oh, ow0) of p advances row by row: no divisions per segment.
                    std::int64_t p = c0, ow0 = c0 % OW, oh = (c0 / OW) % OH, od = c0 / (OW * OH);
                    for (; p < c1; ow0 = 0, oh = oh + 1 == OH ? 0 : oh + 1, od += oh == 0 ? 1 : 0) {
                        const std::int64_t seg = std::min(OW - ow0, c1 - p);
                        T* out = dst + (p - c0);
                        const std::int64_t id = od * g.strides[0] - g.padBegin[0] + kd * g.dilations[0];
                        const std::int64_t ih = oh * g.strides[1] - g.padBegin[1] + kh * g.dilations[1];
                        if (id < 0 || id >= D || ih < 0 || ih >= H) {
                            std::fill(out, out + seg, T(0));
                        } else {
                            const T* row = x + ((c * D + id) * H + ih) * W;
                            const std::int64_t lo = std::clamp(owLo, ow0, ow0 + seg);
                            const std::int64_t hi = std::clamp(owHi, lo, ow0 + seg);
                            std::fill(out, out + (lo - ow0), T(0));
                            const std::int64_t sw = g.strides[2];
                            if (sw == 1)
                                std::copy(row + lo + offW, row + hi + offW, out + (lo - ow0));
                            else
                                for (std::int64_t ow = lo; ow < hi; ++ow)
                                    out[ow - ow0] = row[ow * sw + offW];
                            std::fill(out + (hi - ow0), out + seg, T(0));
                        }
                        p += seg;
                    }
                }
}

// For maps a few pixels wide im2col's row segments are too short to copy: this table maps each
// (kernel tap, output position) to the input's offset in its channel plane, or to inS (one past the
// plane, where im2colTable keeps a zero) in the padding.
std::vector<std::int64_t> tapTable(const Plan& pl)
{
    const WindowGeometry& g = pl.g;
    std::vector<std::int64_t> table(toSize(pl.kvol * pl.outS));
    std::int64_t* t = table.data();
    for (std::int64_t kd = 0; kd < g.kernel[0]; ++kd)
        for (std::int64_t kh = 0; kh < g.kernel[1]; ++kh)
            for (std::int64_t kw = 0; kw < g.kernel[2]; ++kw)
                for (std::int64_t od = 0; od < g.out[0]; ++od)
                    for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                        for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                            const std::int64_t id = od * g.strides[0] - g.padBegin[0] + kd * g.dilations[0];
                            const std::int64_t ih = oh * g.strides[1] - g.padBegin[1] + kh * g.dilations[1];
                            const std::int64_t iw = ow * g.strides[2] - g.padBegin[2] + kw * g.dilations[2];
                            const bool inside = id >= 0 && id < g.in[0] && ih >= 0 && ih < g.in[1] && iw >= 0
                                && iw < g.in[2];
                            *t++ = inside ? (id * g.in[1] + ih) * g.in[2] + iw : pl.inS;
                        }
    return table;
}

// The same columns as im2col(pl, x, 0, outS, col, ld), gathered through tapTable() from a copy of each
// channel plane followed by a zero (no branch per element).
template <class T>
void im2colTable(const Plan& pl, const std::int64_t* table, const T* x, T* col, std::int64_t ld)
{
    T* const plane = scratch<T, 2>(toSize(pl.inS + 1));
    plane[pl.inS] = T(0);
    const std::int64_t taps = pl.kvol, positions = pl.outS;
    for (std::int64_t c = 0; c < pl.Cg; ++c) {
        std::copy(x + c * pl.inS, x + (c + 1) * pl.inS, plane);
        for (std::int64_t tap = 0; tap < taps; ++tap) {
            const std::int64_t* const index = table + tap * positions;
            T* const dst = col + (c * taps + tap) * ld;
            for (std::int64_t p = 0; p < positions; ++p)
                dst[p] = plane[index[p]];
        }
    }
}

// Small output planes (a 4x4 feature map) make one GEMM per image mostly call overhead: here several
// images share one GEMM over their concatenated im2col columns, and the result is scattered back.
template <class T>
void runConvBatched(const Plan& pl, const T* X, const T* Wt, const T* B, T* Y, std::int64_t columnTarget,
    const KernelContext& ctx)
{
    // Cut by kParallelPieces, never by the thread count: each image's sums stay the same.
    std::int64_t perTask = std::clamp<std::int64_t>(columnTarget / pl.outS, 1, pl.N);
    if (pl.G * ((pl.N + perTask - 1) / perTask) < kParallelPieces)
        perTask = std::max<std::int64_t>(1, pl.N * pl.G / kParallelPieces);
    const std::int64_t chunks = (pl.N + perTask - 1) / perTask;
    const std::vector<std::int64_t> table = pl.g.out[2] < 16 ? tapTable(pl) : std::vector<std::int64_t> {};
    parallelFor(ctx, 0, pl.G * chunks, [&](std::int64_t task) {
        const std::int64_t grp = task / chunks, n0 = (task % chunks) * perTask;
        const std::int64_t n1 = std::min(pl.N, n0 + perTask), cols = (n1 - n0) * pl.outS;
        T* col = scratch<T>(toSize(pl.Kc * cols));
        T* out = scratch<T, 1>(toSize(pl.Mg * cols));
        for (std::int64_t n = n0; n < n1; ++n) {
            const T* xn = X + (n * pl.C + grp * pl.Cg) * pl.inS;
            if (table.empty())
                im2col<T>(pl, xn, 0, pl.outS, col + (n - n0) * pl.outS, cols);
            else
                im2colTable<T>(pl, table.data(), xn, col + (n - n0) * pl.outS, cols);
        }
        detail::gemm(false, false, pl.Mg, cols, pl.Kc, T(1), Wt + grp * pl.Mg * pl.Kc, pl.Kc, col, cols, T(0),
            out, cols);
        for (std::int64_t n = n0; n < n1; ++n)
            for (std::int64_t m = 0; m < pl.Mg; ++m) {
                const T* src = out + m * cols + (n - n0) * pl.outS;
                T* dst = Y + (n * pl.M + grp * pl.Mg + m) * pl.outS;
                if (B) {
                    const T b = B[grp * pl.Mg + m];
                    for (std::int64_t p = 0; p < pl.outS; ++p)
                        dst[p] = src[p] + b;
                } else {
                    std::copy(src, src + pl.outS, dst);
                }
            }
    });
}

template <class T>
void runConv(
    const Plan& pl, const Tensor& x, const Tensor& w, const Tensor* bias, Tensor& y, const KernelContext& ctx)
{
    const T* X = x.data<T>();
    const T* Wt = w.data<T>();
    const T* B = bias ? bias->data<T>() : nullptr;
    T* Y = y.data<T>();

    if (pl.Cg == 1 && pl.G > 1) {
        detail::DepthwiseGeometry dg {};
        for (std::size_t i = 0; i < 3; ++i) {
            dg.in[i] = pl.g.in[i];
            dg.out[i] = pl.g.out[i];
            dg.kernel[i] = pl.g.kernel[i];
            dg.strides[i] = pl.g.strides[i];
            dg.dilations[i] = pl.g.dilations[i];
            dg.padBegin[i] = pl.g.padBegin[i];
        }
        parallelFor(ctx, 0, pl.N * pl.M, [&](std::int64_t task) {
            const std::int64_t n = task / pl.M, m = task % pl.M, c = m / pl.Mg;
            detail::depthwisePlane(dg, X + (n * pl.C + c) * pl.inS, Wt + m * pl.kvol, B ? B[m] : T(0),
                Y + (n * pl.M + m) * pl.outS);
        });
        return;
    }

    const std::int64_t columnTarget
        = std::clamp<std::int64_t>((std::int64_t(256) << 10) / std::max<std::int64_t>(pl.Kc, 1), 256, 2048);
    if (pl.N > 1 && pl.outS * 2 <= columnTarget) {
        runConvBatched<T>(pl, X, Wt, B, Y, columnTarget, ctx);
        return;
    }

    const WindowGeometry& g = pl.g;
    bool pointwise = pl.kvol == 1;
    for (int i = 0; i < 3; ++i)
        pointwise = pointwise && g.strides[toSize(i)] == 1 && g.padBegin[toSize(i)] == 0
            && g.padEnd[toSize(i)] == 0;

    // Column tiles keep the im2col buffer cache-sized and give batch-1 convs parallel work.
    std::int64_t tile = pl.outS;
    if (!pointwise)
        tile = std::clamp<std::int64_t>(
            (std::int64_t(96) << 10) / std::max<std::int64_t>(pl.Kc, 1), 64, pl.outS);
    std::int64_t tiles = (pl.outS + tile - 1) / tile;
    const std::int64_t images = pl.N * pl.G;
    if (images * tiles < kParallelPieces) { // by a constant, so that the tiles do not depend on threads
        tiles = std::min((kParallelPieces + images - 1) / images, std::max<std::int64_t>(1, pl.outS / 64));
        tile = (pl.outS + tiles - 1) / tiles;
        tiles = (pl.outS + tile - 1) / tile;
    }

    parallelFor(ctx, 0, images * tiles, [&](std::int64_t task) {
        const std::int64_t img = task / tiles, t = task % tiles;
        const std::int64_t n = img / pl.G, grp = img % pl.G;
        const std::int64_t c0 = t * tile, c1 = std::min(pl.outS, c0 + tile);
        const T* xg = X + (n * pl.C + grp * pl.Cg) * pl.inS;
        const T* A = Wt + grp * pl.Mg * pl.Kc;
        T* C = Y + (n * pl.M + grp * pl.Mg) * pl.outS + c0;
        if (pointwise) {
            detail::gemm(
                false, false, pl.Mg, c1 - c0, pl.Kc, T(1), A, pl.Kc, xg + c0, pl.inS, T(0), C, pl.outS);
        } else {
            T* col = scratch<T>(toSize(pl.Kc * (c1 - c0)));
            im2col<T>(pl, xg, c0, c1, col, c1 - c0);
            detail::gemm(false, false, pl.Mg, c1 - c0, pl.Kc, T(1), A, pl.Kc, col, c1 - c0, T(0), C, pl.outS);
        }
        if (B)
            for (std::int64_t m = 0; m < pl.Mg; ++m) {
                const T b = B[grp * pl.Mg + m];
                T* row = C + m * pl.outS;
                for (std::int64_t p = 0; p < c1 - c0; ++p)
                    row[p] += b;
            }
    });
}

} // namespace

Tensor conv(
    const Tensor& x, const Tensor& w, const Tensor* bias, const ConvAttrs& attrs, const KernelContext& ctx)
{
    detail::requireFloat(x, "Conv");
    if (w.dtype() != x.dtype() || (bias && bias->dtype() != x.dtype()))
        throw Error("Conv: X, W and B must have the same element type");
    if (x.rank() < 3 || x.rank() > 5)
        throw Error("Conv: input rank " + std::to_string(x.rank()) + " is not supported (expected 3 to 5)");
    if (w.rank() != x.rank())
        throw Error("Conv: weight rank " + std::to_string(w.rank()) + " does not match input rank "
            + std::to_string(x.rank()));
    Plan pl {};
    pl.N = x.shape()[0];
    pl.C = x.shape()[1];
    pl.M = w.shape()[0];
    pl.Cg = w.shape()[1];
    pl.G = attrs.group;
    if (pl.G <= 0)
        throw Error("Conv: group must be positive (got " + std::to_string(pl.G) + ")");
    if (pl.Cg * pl.G != pl.C)
        throw Error("Conv: input has " + std::to_string(pl.C) + " channels but weight "
            + shapeToString(w.shape()) + " with group " + std::to_string(pl.G) + " expects "
            + std::to_string(pl.Cg * pl.G));
    if (pl.M % pl.G != 0)
        throw Error("Conv: " + std::to_string(pl.M) + " output channels are not divisible by group "
            + std::to_string(pl.G));
    if (bias && (bias->rank() != 1 || bias->shape()[0] != pl.M))
        throw Error("Conv: bias shape " + shapeToString(bias->shape()) + " does not match "
            + std::to_string(pl.M) + " output channels");
    pl.Mg = pl.M / pl.G;
    const Shape inSpatial(x.shape().begin() + 2, x.shape().end());
    const Shape wKernel(w.shape().begin() + 2, w.shape().end());
    if (!attrs.kernelShape.empty() && attrs.kernelShape != wKernel)
        throw Error("Conv: kernel_shape " + shapeToString(attrs.kernelShape) + " does not match weight "
            + shapeToString(w.shape()));
    pl.g = detail::liftTo3d(
        resolveWindow("Conv", inSpatial, wKernel, attrs.strides, attrs.pads, attrs.dilations, attrs.autoPad));
    Shape outShape {pl.N, pl.M};
    outShape.insert(outShape.end(), pl.g.out.begin() + (3 - (x.rank() - 2)), pl.g.out.end());
    pl.kvol = elementCount(pl.g.kernel);
    pl.Kc = pl.Cg * pl.kvol;
    pl.inS = elementCount(pl.g.in);
    pl.outS = elementCount(pl.g.out);
    Tensor y = Tensor::uninitialized(x.dtype(), outShape); // runConv writes every element
    const KernelContext work = contextForWork(ctx, pl.N * pl.M * pl.outS * pl.Kc);
    if (y.empty())
        return y;
    detail::dispatchFloat(
        x.dtype(), "Conv", [&](auto tag) { runConv<decltype(tag)>(pl, x, w, bias, y, work); });
    return y;
}

} // namespace qs::kernels
