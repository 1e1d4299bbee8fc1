#include "core/analysis/rangestats.h"

#include "core/util/dtypevisit.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <utility>

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

// Equal-width bins over [low, high] (widened to 1 around a single value), all empty.
Log2Histogram emptyHistogram(double low, double high, int bins)
{
    Log2Histogram h;
    h.lowLog2 = low;
    h.highLog2 = high;
    if (h.highLog2 == h.lowLog2) {
        h.lowLog2 -= 0.5;
        h.highLog2 += 0.5;
    }
    h.counts.assign(static_cast<std::size_t>(bins), 0);
    return h;
}

std::size_t binOf(const Log2Histogram& h, double width, double v)
{
    const auto bin = static_cast<std::int64_t>(std::floor((v - h.lowLog2) / width));
    const auto last = static_cast<std::int64_t>(h.counts.size()) - 1;
    return static_cast<std::size_t>(std::clamp<std::int64_t>(bin, 0, last));
}

// The histogram of `values` (any order) over [low, high], their extremes.
Log2Histogram histogramOf(const std::vector<double>& values, double low, double high, int bins)
{
    if (values.empty() || bins <= 0)
        return {};
    Log2Histogram h = emptyHistogram(low, high, bins);
    const double width = h.binWidthLog2();
    for (double v : values)
        ++h.counts[binOf(h, width, v)];
    return h;
}

// The position in sorted data of quantile q (numpy's linear interpolation between ranks below and
// above).
struct QuantilePosition {
    double position = 0;
    std::size_t below = 0;
    std::size_t above = 0;
};
QuantilePosition quantilePosition(double q, std::size_t last)
{
    QuantilePosition p;
    p.position = q * static_cast<double>(last);
    p.below = static_cast<std::size_t>(std::floor(p.position));
    p.above = std::min(p.below + 1, last);
    return p;
}

constexpr double kQuantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};
void setQuantiles(Log2Stats& s, const double (&values)[std::size(kQuantiles)])
{
    s.p5Log2 = values[0];
    s.p25Log2 = values[1];
    s.medianLog2 = values[2];
    s.p75Log2 = values[3];
    s.p95Log2 = values[4];
}

// The distinct nonzero finite magnitudes of a tensor with their counts, found with a small open-
// addressing table. Quantized tensors have at most a few thousand; counting them replaces a log2 per
// element and the selections by a log2 per distinct value.
class DistinctMagnitudes {
public:
    static constexpr std::size_t kMaxDistinct = 4096;

    // A table for a tensor of `elements` elements: no bigger than they can fill.
    explicit DistinctMagnitudes(std::int64_t elements)
        : slots_(
            std::bit_ceil(std::clamp<std::size_t>(4 * static_cast<std::size_t>(elements), 16, kMaxSlots)))
    {
    }

    // False (and the counts are incomplete) when there are more than kMaxDistinct.
    template <class T> bool count(const T* values, std::int64_t n, Log2Stats& s)
    {
        for (std::int64_t i = 0; i < n; ++i) {
            const double v = static_cast<double>(values[i]);
            if (v == 0) {
                ++s.zeroCount;
            } else if (!std::isfinite(v)) {
                ++s.nonFiniteCount;
            } else if (!add(std::bit_cast<std::uint64_t>(std::abs(v))))
                return false;
        }
        return true;
    }

    // (magnitude, count) in increasing magnitude.
    std::vector<std::pair<double, std::int64_t>> sorted() const
    {
        std::vector<std::pair<double, std::int64_t>> out;
        out.reserve(size_);
        for (const Slot& slot : slots_)
            if (slot.key != 0)
                out.emplace_back(std::bit_cast<double>(slot.key), slot.count);
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    struct Slot {
        std::uint64_t key = 0; // bits of a positive magnitude; 0 (that is +0.0) marks a free slot
        std::int64_t count = 0;
    };
    static constexpr std::size_t kMaxSlots = 4 * kMaxDistinct; // at most a quarter full

    bool add(std::uint64_t key)
    {
        if (key == lastKey_) { // runs of one value are common (zeros are counted apart)
            ++slots_[lastSlot_].count;
            return true;
        }
        const std::size_t mask = slots_.size() - 1; // the size is a power of two
        std::size_t slot = static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ull) >> 40) & mask;
        while (slots_[slot].key != key && slots_[slot].key != 0)
            slot = (slot + 1) & mask;
        if (slots_[slot].key == 0) {
            if (++size_ > kMaxDistinct)
                return false;
            slots_[slot].key = key;
        }
        ++slots_[slot].count;
        lastKey_ = key;
        lastSlot_ = slot;
        return true;
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::uint64_t lastKey_ = 0;
    std::size_t lastSlot_ = 0;
};

// log2Summary() from the distinct magnitudes: the same values, ranks found in the counts.
void summarizeDistinct(const DistinctMagnitudes& distinct, int bins, Log2Summary& out)
{
    const auto magnitudes = distinct.sorted();
    if (magnitudes.empty())
        return;
    std::vector<double> log2s(magnitudes.size());
    for (std::size_t i = 0; i < magnitudes.size(); ++i)
        log2s[i] = std::log2(magnitudes[i].first);
    Log2Stats& s = out.stats;
    s.minLog2 = log2s.front();
    s.maxLog2 = log2s.back();
    const auto nonzero = static_cast<std::size_t>(s.nonzeroCount());
    // The value of rank r (0-based) in the sorted data: the first magnitude whose cumulative count
    // passes r.
    std::vector<std::int64_t> ranksBelow(magnitudes.size() + 1, 0);
    for (std::size_t i = 0; i < magnitudes.size(); ++i)
        ranksBelow[i + 1] = ranksBelow[i] + magnitudes[i].second;
    auto valueOfRank = [&](std::size_t rank) {
        const auto after
            = std::upper_bound(ranksBelow.begin(), ranksBelow.end(), static_cast<std::int64_t>(rank));
        return log2s[static_cast<std::size_t>(after - ranksBelow.begin()) - 1];
    };
    double quantiles[std::size(kQuantiles)];
    for (std::size_t k = 0; k < std::size(kQuantiles); ++k) {
        const QuantilePosition p = quantilePosition(kQuantiles[k], nonzero - 1);
        const double low = valueOfRank(p.below);
        const double high = valueOfRank(p.above);
        quantiles[k] = low + (high - low) * (p.position - static_cast<double>(p.below));
    }
    setQuantiles(s, quantiles);
    if (bins <= 0)
        return;
    out.histogram = emptyHistogram(s.minLog2, s.maxLog2, bins);
    const double width = out.histogram.binWidthLog2();
    for (std::size_t i = 0; i < magnitudes.size(); ++i)
        out.histogram.counts[binOf(out.histogram, width, log2s[i])] += magnitudes[i].second;
}

// log2Summary() of any data: log2 of every element, quantiles by selection.
template <class T> void summarizeAll(const T* data, std::int64_t n, int bins, Log2Summary& out)
{
    Log2Stats& s = out.stats;
    s.zeroCount = 0; // recounted here: an abandoned distinct count may have counted part of them
    s.nonFiniteCount = 0;
    std::vector<double> values; // log2|x| of the nonzero finite elements, as sortedLog2Magnitudes()
    values.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const double v = static_cast<double>(data[i]);
        s.zeroCount += v == 0;
        s.nonFiniteCount += !std::isfinite(v);
        if (v != 0 && std::isfinite(v))
            values.push_back(std::log2(std::abs(v)));
    }
    if (values.empty())
        return;
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    s.minLog2 = *lowest;
    s.maxLog2 = *highest;
    out.histogram = histogramOf(values, s.minLog2, s.maxLog2, bins);
    // quantileSorted() on the sorted values, by selection: ranks in increasing order, each search
    // confined to the elements at or above the previous rank.
    std::size_t from = 0;
    double quantiles[std::size(kQuantiles)];
    for (std::size_t k = 0; k < std::size(kQuantiles); ++k) {
        const QuantilePosition p = quantilePosition(kQuantiles[k], values.size() - 1);
        std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from),
            values.begin() + static_cast<std::ptrdiff_t>(p.below), values.end());
        from = p.below;
        const double low = values[p.below];
        const double high = p.above == p.below
            ? low
            : *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(p.above), values.end());
        quantiles[k] = low + (high - low) * (p.position - static_cast<double>(p.below));
    }
    setQuantiles(s, quantiles);
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
    out.stats.count = t.size();
    visitStorageType(t.dtype(), [&]<class T>(T) {
        DistinctMagnitudes distinct(t.size());
        if (distinct.count(t.data<T>(), t.size(), out.stats))
            summarizeDistinct(distinct, bins, out);
        else
            summarizeAll(t.data<T>(), t.size(), bins, out);
    });
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
