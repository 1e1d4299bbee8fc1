#include "core/kernels/convgeometry.h"

#include "core/util/error.h"

#include <algorithm>
#include <string>

namespace qs::kernels {

AutoPad parseAutoPad(std::string_view text)
{
    if (text.empty() || text == "NOTSET")
        return AutoPad::NotSet;
    if (text == "SAME_UPPER")
        return AutoPad::SameUpper;
    if (text == "SAME_LOWER")
        return AutoPad::SameLower;
    if (text == "VALID")
        return AutoPad::Valid;
    throw Error("unknown auto_pad value '" + std::string(text) + "'");
}

namespace {

std::vector<std::int64_t> orDefault(
    const char* op, const char* name, const std::vector<std::int64_t>& v, std::size_t n, std::int64_t fill)
{
    if (v.empty())
        return std::vector<std::int64_t>(n, fill);
    if (v.size() != n)
        throw Error(std::string(op) + ": " + name + " has " + std::to_string(v.size()) + " values, expected "
            + std::to_string(n));
    return v;
}

} // namespace

WindowGeometry resolveWindow(const char* op, const Shape& inSpatial, const Shape& kernel,
    const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& pads,
    const std::vector<std::int64_t>& dilations, AutoPad autoPad, bool ceilMode)
{
    const std::size_t n = inSpatial.size();
    if (n == 0)
        throw Error(std::string(op) + ": input has no spatial dimensions");
    if (kernel.size() != n)
        throw Error(std::string(op) + ": kernel has " + std::to_string(kernel.size()) + " dims but input has "
            + std::to_string(n) + " spatial dims");
    WindowGeometry g;
    g.dims = static_cast<int>(n);
    g.in = inSpatial;
    g.kernel = kernel;
    g.strides = orDefault(op, "strides", strides, n, 1);
    g.dilations = orDefault(op, "dilations", dilations, n, 1);
    const std::vector<std::int64_t> p = orDefault(op, "pads", pads, 2 * n, 0);
    g.padBegin.assign(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(n));
    g.padEnd.assign(p.begin() + static_cast<std::ptrdiff_t>(n), p.end());
    g.out.resize(n);
    constexpr std::int64_t kHuge = std::int64_t(1) << 40; // keeps the size arithmetic far from overflow
    for (std::size_t i = 0; i < n; ++i) {
        if (g.kernel[i] <= 0 || g.kernel[i] > kHuge)
            throw Error(std::string(op) + ": kernel size " + std::to_string(g.kernel[i]) + " is invalid");
        if (g.strides[i] <= 0 || g.strides[i] > kHuge)
            throw Error(std::string(op) + ": stride " + std::to_string(g.strides[i]) + " must be positive");
        if (g.dilations[i] <= 0 || g.dilations[i] > kHuge)
            throw Error(
                std::string(op) + ": dilation " + std::to_string(g.dilations[i]) + " must be positive");
        if (g.in[i] < 0 || g.in[i] > kHuge)
            throw Error(std::string(op) + ": invalid input size " + std::to_string(g.in[i]));
        const std::int64_t window = (g.kernel[i] - 1) * g.dilations[i] + 1;
        if (autoPad == AutoPad::SameUpper || autoPad == AutoPad::SameLower) {
            g.out[i] = (g.in[i] + g.strides[i] - 1) / g.strides[i];
            const std::int64_t total
                = std::max<std::int64_t>(0, (g.out[i] - 1) * g.strides[i] + window - g.in[i]);
            g.padBegin[i] = autoPad == AutoPad::SameUpper ? total / 2 : total - total / 2;
            g.padEnd[i] = total - g.padBegin[i];
            continue;
        }
        if (autoPad == AutoPad::Valid)
            g.padBegin[i] = g.padEnd[i] = 0;
        if (g.padBegin[i] < 0 || g.padEnd[i] < 0 || g.padBegin[i] > kHuge || g.padEnd[i] > kHuge)
            throw Error(std::string(op) + ": pads must be non-negative (got " + std::to_string(g.padBegin[i])
                + ", " + std::to_string(g.padEnd[i]) + ")");
        const std::int64_t padded = g.in[i] + g.padBegin[i] + g.padEnd[i];
        if (padded < window)
            throw Error(std::string(op) + ": window of " + std::to_string(window) + " (kernel "
                + shapeToString(kernel) + ") is larger than the padded input " + std::to_string(padded));
        std::int64_t out = (padded - window) / g.strides[i] + 1;
        if (ceilMode && (padded - window) % g.strides[i] != 0) {
            ++out;
            if ((out - 1) * g.strides[i] >= g.in[i] + g.padBegin[i]) // last window would start in the end pad
                --out;
        }
        g.out[i] = out;
    }
    return g;
}

namespace detail {

WindowGeometry liftTo3d(const WindowGeometry& g)
{
    if (g.dims > 3)
        throw Error("only 1-D, 2-D and 3-D windows are supported (got " + std::to_string(g.dims) + "-D)");
    WindowGeometry r = g;
    const auto lead = static_cast<std::ptrdiff_t>(3 - g.dims);
    auto lift = [&](auto& v, std::int64_t fill) { v.insert(v.begin(), lead, fill); };
    lift(r.in, 1);
    lift(r.kernel, 1);
    lift(r.out, 1);
    lift(r.strides, 1);
    lift(r.dilations, 1);
    lift(r.padBegin, 0);
    lift(r.padEnd, 0);
    r.dims = 3;
    return r;
}

} // namespace detail

} // namespace qs::kernels
