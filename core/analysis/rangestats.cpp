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
    return log2Summary(t, 0).stats;
}

namespace {

// The histogram of `values` (any order) over [low, high], their extremes.
Log2Histogram histogramOf(const std::vector<double>& values, double low, double high, int bins)
{
    Log2Histogram h;
    if (values.empty() || bins <= 0)
        return h;
    h.lowLog2 = low;
    h.highLog2 = high;
    if (h.highLog2 == h.lowLog2) {
        h.lowLog2 -= 0.5;
        h.highLog2 += 0.5;
    }
    h.counts.assign(static_cast<std::size_t>(bins), 0);
    const double width = h.binWidthLog2();
    for (double v : values) {
        const auto bin = static_cast<std::int64_t>(std::floor((v - h.lowLog2) / width));
        ++h.counts[static_cast<std::size_t>(std::clamp<std::int64_t>(bin, 0, bins - 1))];
    }
    return h;
}

} // namespace

Log2Histogram log2Histogram(const std::vector<double>& sortedLog2, int bins)
{
    if (sortedLog2.empty())
        return {};
    return histogramOf(sortedLog2, sortedLog2.front(), sortedLog2.back(), bins);
}

Log2Summary log2Summary(const Tensor& t, int bins)
{
    Log2Summary out;
    Log2Stats& s = out.stats;
    s.count = t.size();
    std::vector<double> values; // log2|x| of the nonzero finite elements, as sortedLog2Magnitudes()
    values.reserve(static_cast<std::size_t>(t.size()));
    for (std::int64_t i = 0; i < t.size(); ++i) {
        const double v = t.at(i);
        s.zeroCount += v == 0;
        s.nonFiniteCount += !std::isfinite(v);
        if (v != 0 && std::isfinite(v))
            values.push_back(std::log2(std::abs(v)));
    }
    if (values.empty())
        return out;
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    s.minLog2 = *lowest;
    s.maxLog2 = *highest;
    out.histogram = histogramOf(values, s.minLog2, s.maxLog2, bins);
    // quantileSorted() on the sorted values, by selection: ranks in increasing order, each search
    // confined to the elements at or above the previous rank.
    const std::size_t last = values.size() - 1;
    std::size_t from = 0;
    auto quantile = [&](double q) {
        const double position = q * static_cast<double>(last);
        const auto below = static_cast<std::size_t>(std::floor(position));
        const std::size_t above = std::min(below + 1, last);
        std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from),
            values.begin() + static_cast<std::ptrdiff_t>(below), values.end());
        from = below;
        const double low = values[below];
        const double high = above == below
            ? low
            : *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(above), values.end());
        return low + (high - low) * (position - static_cast<double>(below));
    };
    s.p5Log2 = quantile(0.05);
    s.p25Log2 = quantile(0.25);
    s.medianLog2 = quantile(0.5);
    s.p75Log2 = quantile(0.75);
    s.p95Log2 = quantile(0.95);
    return out;
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
