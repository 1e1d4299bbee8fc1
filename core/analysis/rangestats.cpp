#include "core/analysis/rangestats.h"

#include <algorithm>
#include <cmath>

namespace qs {

std::vector<double> sortedLog2Magnitudes(const Tensor& t)
{
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(t.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        if (const double v = t.at(i); v != 0 && std::isfinite(v))
            out.push_back(std::log2(std::abs(v)));
    std::sort(out.begin(), out.end());
    return out;
}

double quantileSorted(const std::vector<double>& sorted, double q)
{
    if (sorted.empty())
        return 0;
    const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

Log2Stats log2Stats(const Tensor& t)
{
    Log2Stats s;
    s.count = t.size();
    for (std::int64_t i = 0; i < t.size(); ++i) {
        const double v = t.at(i);
        s.zeroCount += v == 0;
        s.nonFiniteCount += !std::isfinite(v);
    }
    const std::vector<double> sorted = sortedLog2Magnitudes(t);
    if (sorted.empty())
        return s;
    s.minLog2 = sorted.front();
    s.p5Log2 = quantileSorted(sorted, 0.05);
    s.p25Log2 = quantileSorted(sorted, 0.25);
    s.medianLog2 = quantileSorted(sorted, 0.5);
    s.p75Log2 = quantileSorted(sorted, 0.75);
    s.p95Log2 = quantileSorted(sorted, 0.95);
    s.maxLog2 = sorted.back();
    return s;
}

Log2Histogram log2Histogram(const std::vector<double>& sortedLog2, int bins)
{
    Log2Histogram h;
    if (sortedLog2.empty() || bins <= 0)
        return h;
    h.lowLog2 = sortedLog2.front();
    h.highLog2 = sortedLog2.back();
    if (h.highLog2 == h.lowLog2) {
        h.lowLog2 -= 0.5;
        h.highLog2 += 0.5;
    }
    h.counts.assign(static_cast<std::size_t>(bins), 0);
    const double width = h.binWidthLog2();
    for (double v : sortedLog2) {
        const auto bin = static_cast<std::int64_t>(std::floor((v - h.lowLog2) / width));
        ++h.counts[static_cast<std::size_t>(std::clamp<std::int64_t>(bin, 0, bins - 1))];
    }
    return h;
}

RepresentableRange representableRange(const Quantizer& q)
{
    RepresentableRange r;
    const bool integer = q.kind != QuantizerKind::FloatQuant && q.kind != QuantizerKind::Trunc;
    const bool zeroPointKnown = q.zeroPoint.tensor < 0 || (q.zeroPoint.known && !q.zeroPoint.values.empty());
    if (!integer || !q.qmin || !q.qmax || !q.scale.known || q.scale.values.empty() || !zeroPointKnown)
        return r;
    const std::vector<double> noZeroPoint {0.0};
    const std::vector<double>& zeroPoints = q.zeroPoint.tensor < 0 ? noZeroPoint : q.zeroPoint.values;
    const std::size_t channels = std::max(q.scale.values.size(), zeroPoints.size());
    double low = INFINITY, high = 0;
    for (std::size_t c = 0; c < channels; ++c) {
        const double scale = std::abs(q.scale.values[c % q.scale.values.size()]);
        const double zp = zeroPoints[c % zeroPoints.size()];
        const double codes = std::max(std::abs(*q.qmin - zp), std::abs(*q.qmax - zp));
        low = std::min(low, scale);
        high = std::max(high, scale * codes);
    }
    if (!(low > 0) || !(high > 0) || !std::isfinite(high))
        return r;
    r.known = true;
    r.lowLog2 = std::log2(low);
    r.highLog2 = std::log2(high);
    return r;
}

} // namespace qs
