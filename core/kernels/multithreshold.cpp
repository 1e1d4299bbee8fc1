#include "core/kernels/multithreshold.h"

#include "core/kernels/detail.h"

#include <algorithm>
#include <vector>

namespace qs::kernels {

int multiThresholdChannelAxis(int rank, const std::string& layout)
{
    if (rank < 2)
        throw Error("MultiThreshold: input must have rank >= 2");
    if (static_cast<int>(layout.size()) == rank && layout.find('C') != std::string::npos)
        return static_cast<int>(layout.find('C'));
    const bool nhwc = !layout.empty() && layout.back() == 'C';
    if (rank == 2 || (rank == 4 && !nhwc))
        return 1;
    return rank - 1;
}

Tensor multiThreshold(const Tensor& x, const Tensor& thresholds, const MultiThresholdAttrs& attrs)
{
    detail::requireFloat(x, "MultiThreshold");
    if (thresholds.rank() != 2 || !isFloating(thresholds.dtype()))
        throw Error("MultiThreshold: thresholds must be a 2-D float tensor [C, T], got "
            + shapeToString(thresholds.shape()) + " " + dtypeName(thresholds.dtype()));
    const int axis = multiThresholdChannelAxis(x.rank(), attrs.dataLayout);
    const std::int64_t C = x.shape()[detail::toSize(axis)];
    const std::int64_t TC = thresholds.shape()[0], T = thresholds.shape()[1];
    if (TC != C && TC != 1)
        throw Error("MultiThreshold: thresholds for " + std::to_string(TC) + " channels, but the input has "
            + std::to_string(C) + " (axis " + std::to_string(axis) + " of " + shapeToString(x.shape()) + ")");
    const std::vector<double> th = thresholds.toDoubles();
    // Binary search needs sorted rows; unsorted (or NaN) rows fall back to counting.
    std::vector<bool> sorted(detail::toSize(TC));
    for (std::int64_t c = 0; c < TC; ++c) {
        const auto row = th.begin() + c * T;
        bool ok = true;
        for (std::int64_t t = 1; t < T && ok; ++t)
            ok = row[t - 1] <= row[t];
        for (std::int64_t t = 0; t < T && ok; ++t)
            ok = row[t] == row[t];
        sorted[detail::toSize(c)] = ok;
    }
    const std::int64_t inner = elementCount(Shape(x.shape().begin() + axis + 1, x.shape().end()));
    Tensor y(x.dtype(), x.shape());
    detail::dispatchFloat(x.dtype(), "MultiThreshold", [&](auto tag) {
        using V = decltype(tag);
        const V* X = x.data<V>();
        V* Y = y.data<V>();
        for (std::int64_t i = 0; i < x.size(); ++i) {
            const std::int64_t c = TC == 1 ? 0 : (i / inner) % C;
            const auto row = th.begin() + c * T;
            const double v = X[i];
            std::int64_t count = 0;
            if (v != v)
                count = 0; // NaN passes no threshold
            else if (sorted[detail::toSize(c)])
                count = std::upper_bound(row, row + T, v) - row;
            else
                count = std::count_if(row, row + T, [v](double t) { return v >= t; });
            Y[i] = static_cast<V>(attrs.outScale * static_cast<double>(count) + attrs.outBias);
        }
    });
    return y;
}

} // namespace qs::kernels
