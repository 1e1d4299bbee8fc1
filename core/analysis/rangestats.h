#pragma once
// Statistics of one tensor in log2 units, as hls4ml's weight/activation profiling plots them: the box
// plot of log2|x| over the nonzero elements, a log2 histogram, and the magnitudes a quantizer can
// represent.
#include "core/model/quantizer.h"
#include "core/util/tensor.h"

#include <cstdint>
#include <vector>

namespace qs {

struct Log2Stats {
    std::int64_t count = 0; // all elements
    std::int64_t zeroCount = 0; // exact zeros (left out of the quantiles: log2 0 is -inf)
    std::int64_t nonFiniteCount = 0; // NaN / inf, also left out
    // Quantiles of log2|x| over the remaining elements, numpy's linear interpolation; all 0 when
    // there are none (nonzeroCount() == 0).
    double minLog2 = 0;
    double p5Log2 = 0;
    double p25Log2 = 0;
    double medianLog2 = 0;
    double p75Log2 = 0;
    double p95Log2 = 0;
    double maxLog2 = 0;

    std::int64_t nonzeroCount() const { return count - zeroCount - nonFiniteCount; }
};

// Equal-width bins in log2|x| over [lowLog2, highLog2]; the last bin includes highLog2.
struct Log2Histogram {
    double lowLog2 = 0;
    double highLog2 = 0;
    std::vector<std::int64_t> counts;
    double binWidthLog2() const { return counts.empty() ? 0 : (highLog2 - lowLog2) / double(counts.size()); }
};

// The nonzero finite magnitudes of a tensor, as log2|x|, sorted ascending.
std::vector<double> sortedLog2Magnitudes(const Tensor& t);

// Quantile q in [0, 1] of sorted values with linear interpolation (numpy's default).
double quantileSorted(const std::vector<double>& sorted, double q);

Log2Stats log2Stats(const Tensor& t);
// `bins` bins over the data range [min, max] of `sortedLog2`; a degenerate range becomes a width of 1
// centred on the value. Empty counts when there is no data.
Log2Histogram log2Histogram(const std::vector<double>& sortedLog2, int bins);

// log2Stats(t) and log2Histogram(sortedLog2Magnitudes(t), bins) in one pass, with the quantiles
// found by selection instead of a sort (same results, several times faster on large tensors).
struct Log2Summary {
    Log2Stats stats;
    Log2Histogram histogram;
};
Log2Summary log2Summary(const Tensor& t, int bins);

// The representable magnitudes of an integer (or bipolar) quantizer in log2 units:
// [log2(min scale * 1), log2(max over channels of scale * max(|qmin - zp|, |qmax - zp|))], i.e. one
// step of the finest channel up to the largest code of the widest channel.
struct RepresentableRange {
    bool known = false; // false when scale, zero point or integer range is unknown (or FloatQuant)
    double lowLog2 = 0;
    double highLog2 = 0;
};

RepresentableRange representableRange(const Quantizer& quantizer);

} // namespace qs
