#include "core/kernels/convtranspose.h"

#include "core/kernels/detail.h"
#include "core/kernels/simd.h"
#include "core/kernels/threadpool.h"

#include <algorithm>
#include <string>

namespace qs::kernels {

namespace {

using detail::toSize;

struct Geometry {
    Shape in, kernel, out; // 3-D lifted
    std::vector<std::int64_t> strides, dilations, padBegin;
};

std::vector<std::int64_t> orDefault(
    const char* name, const std::vector<std::int64_t>& v, std::size_t n, std::int64_t fill)
{
    if (v.empty())
        return std::vector<std::int64_t>(n, fill);
    if (v.size() != n)
        throw Error(std::string("ConvTranspose: ") + name + " has " + std::to_string(v.size())
            + " values, expected " + std::to_string(n));
    return v;
}

Geometry resolve(const Tensor& x, const Shape& kernel, const ConvTransposeAttrs& at)
{
    const std::size_t n = kernel.size();
    Geometry g;
    g.in.assign(x.shape().begin() + 2, x.shape().end());
    g.kernel = kernel;
    g.strides = orDefault("strides", at.strides, n, 1);
    g.dilations = orDefault("dilations", at.dilations, n, 1);
    const std::vector<std::int64_t> outPad = orDefault("output_padding", at.outputPadding, n, 0);
    std::vector<std::int64_t> pads = orDefault("pads", at.pads, 2 * n, 0);
    std::vector<std::int64_t> outShape = at.outputShape;
    if (outShape.size() == n + 2)
        outShape.erase(outShape.begin(), outShape.begin() + 2);
    if (!outShape.empty() && outShape.size() != n)
        throw Error("ConvTranspose: output_shape " + shapeToString(at.outputShape) + " does not match "
            + std::to_string(n) + " spatial dims");
    constexpr std::int64_t kHuge = std::int64_t(1) << 40;
    g.padBegin.resize(n);
    g.out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::int64_t v : {g.kernel[i], g.strides[i], g.dilations[i]})
            if (v <= 0 || v > kHuge)
                throw Error("ConvTranspose: kernel sizes, strides and dilations must be positive");
        if (outPad[i] < 0 || outPad[i] > kHuge)
            throw Error("ConvTranspose: output_padding " + std::to_string(outPad[i]) + " is invalid");
        if (g.in[i] > kHuge)
            throw Error("ConvTranspose: input too large");
        const std::int64_t full
            = g.strides[i] * (g.in[i] - 1) + outPad[i] + (g.kernel[i] - 1) * g.dilations[i] + 1;
        const bool same = at.autoPad == AutoPad::SameUpper || at.autoPad == AutoPad::SameLower;
        if (!outShape.empty() || same) {
            const std::int64_t target = !outShape.empty() ? outShape[i] : g.in[i] * g.strides[i];
            if (target < 0 || target > kHuge)
                throw Error("ConvTranspose: invalid output size " + std::to_string(target));
            const std::int64_t total = full - target;
            if (total < 0)
                throw Error("ConvTranspose: output size " + std::to_string(target) + " exceeds the full size "
                    + std::to_string(full));
            // ONNX: SAME_UPPER puts the smaller half at the beginning.
            g.padBegin[i] = at.autoPad == AutoPad::SameUpper ? total / 2 : total - total / 2;
            g.out[i] = target;
        } else {
            if (at.autoPad == AutoPad::Valid)
                pads[i] = pads[i + n] = 0;
            if (pads[i] < 0 || pads[i + n] < 0 || pads[i] > kHuge || pads[i + n] > kHuge)
                throw Error("ConvTranspose: pads must be non-negative");
            g.padBegin[i] = pads[i];
            g.out[i] = full - pads[i] - pads[i + n];
            if (g.out[i] <= 0)
                throw Error("ConvTranspose: pads leave no output (size " + std::to_string(g.out[i]) + ")");
        }
    }
    const auto lead = static_cast<std::ptrdiff_t>(3 - n);
    for (auto* v : {&g.in, &g.kernel, &g.out, &g.strides, &g.dilations})
        v->insert(v->begin(), lead, 1);
    g.padBegin.insert(g.padBegin.begin(), lead, 0);
    return g;
}

// Adds col[(m, kd, kh, kw), input position] into the output planes of one image and group.
template <class T> void col2im(const Geometry& g, std::int64_t Mg, const T* col, T* y)
{
    const std::int64_t D = g.in[0], H = g.in[1], W = g.in[2];
    const std::int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
    const std::int64_t inS = D * H * W;
    std::int64_t r = 0;
    for (std::int64_t m = 0; m < Mg; ++m)
        for (std::int64_t kd = 0; kd < g.kernel[0]; ++kd)
            for (std::int64_t kh = 0; kh < g.kernel[1]; ++kh)
                for (std::int64_t kw = 0; kw < g.kernel[2]; ++kw, ++r) {
                    const T* src = col + r * inS;
                    T* plane = y + m * OD * OH * OW;
                    for (std::int64_t id = 0; id < D; ++id) {
                        const std::int64_t od = id * g.strides[0] - g.padBegin[0] + kd * g.dilations[0];
                        if (od < 0 || od >= OD)
                            continue;
                        for (std::int64_t ih = 0; ih < H; ++ih) {
                            const std::int64_t oh = ih * g.strides[1] - g.padBegin[1] + kh * g.dilations[1];
                            if (oh < 0 || oh >= OH)
                                continue;
                            const T* s = src + (id * H + ih) * W;
                            T* o = plane + (od * OH + oh) * OW;
                            const std::int64_t off = kw * g.dilations[2] - g.padBegin[2];
                            for (std::int64_t iw = 0; iw < W; ++iw) {
                                const std::int64_t ow = iw * g.strides[2] + off;
                                if (ow >= 0 && ow < OW)
                                    o[ow] += s[iw];
                            }
                        }
                    }
                }
}

} // namespace

Tensor convTranspose(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvTransposeAttrs& attrs,
    const KernelContext& ctx)
{
    detail::requireFloat(x, "ConvTranspose");
    if (w.dtype() != x.dtype() || (bias && bias->dtype() != x.dtype()))
        throw Error("ConvTranspose: X, W and B must have the same element type");
    if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank())
        throw Error("ConvTranspose: input " + shapeToString(x.shape()) + " and weight "
            + shapeToString(w.shape()) + " must both have rank 3 to 5");
    const std::int64_t N = x.shape()[0], C = x.shape()[1], G = attrs.group;
    if (G <= 0 || C % G != 0 || w.shape()[0] != C)
        throw Error("ConvTranspose: weight " + shapeToString(w.shape()) + " and group " + std::to_string(G)
            + " do not match " + std::to_string(C) + " input channels");
    const std::int64_t Cg = C / G, Mg = w.shape()[1], M = Mg * G;
    if (bias && (bias->rank() != 1 || bias->shape()[0] != M))
        throw Error("ConvTranspose: bias shape " + shapeToString(bias->shape()) + " does not match "
            + std::to_string(M) + " output channels");
    const Shape kernel(w.shape().begin() + 2, w.shape().end());
    if (!attrs.kernelShape.empty() && attrs.kernelShape != kernel)
        throw Error("ConvTranspose: kernel_shape " + shapeToString(attrs.kernelShape)
            + " does not match weight " + shapeToString(w.shape()));
    const Geometry g = resolve(x, kernel, attrs);
    Shape outShape {N, M};
    outShape.insert(outShape.end(), g.out.end() - (x.rank() - 2), g.out.end());
    Tensor y(x.dtype(), outShape);
    const std::int64_t inS = elementCount(g.in), outS = elementCount(g.out), kvol = elementCount(g.kernel);
    const std::int64_t rows = elementCount({Mg, kvol});
    elementCount({rows, inS}); // the column buffer size must not overflow either
    if (y.empty())
        return y;
    detail::dispatchFloat(x.dtype(), "ConvTranspose", [&](auto tag) {
        using T = decltype(tag);
        const T* X = x.data<T>();
        const T* Wt = w.data<T>();
        T* Y = y.data<T>();
        parallelFor(ctx, 0, N * G, [&](std::int64_t task) {
            const std::int64_t n = task / G, grp = task % G;
            thread_local std::vector<T> col;
            col.resize(toSize(rows * inS));
            // col [Mg*kvol, inS] = W_g^T [Mg*kvol, Cg] * X_g [Cg, inS]
            detail::gemm(true, false, rows, inS, Cg, T(1), Wt + grp * Cg * rows, rows,
                X + (n * C + grp * Cg) * inS, inS, T(0), col.data(), inS);
            T* yg = Y + (n * M + grp * Mg) * outS;
            col2im<T>(g, Mg, col.data(), yg);
            if (bias)
                for (std::int64_t m = 0; m < Mg; ++m) {
                    const T b = bias->data<T>()[grp * Mg + m];
                    for (std::int64_t p = 0; p < outS; ++p)
                        yg[m * outS + p] += b;
                }
        });
    });
    return y;
}

} // namespace qs::kernels
