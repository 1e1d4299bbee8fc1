#include "core/analysis/errorclipping.h"

#include "core/util/dtypevisit.h"

#include <vector>

namespace qs {
namespace {

// Maps a flat element index of the data tensor to a scale / zero-point value.
struct ParameterLookup {
    const std::vector<double>* values = nullptr;
    double constant = 0;
    std::int64_t innerStride = 1; // elements per step along the channel axis
    std::int64_t channels = 1;

    double at(std::int64_t i) const
    {
        return values ? (*values)[static_cast<std::size_t>((i / innerStride) % channels)] : constant;
    }
};

std::optional<ParameterLookup> lookup(const QuantParameter& p, const Shape& shape, double absentValue)
{
    ParameterLookup l;
    if (p.tensor < 0) {
        l.constant = absentValue;
        return l;
    }
    if (!p.known || p.values.empty())
        return std::nullopt;
    if (p.values.size() == 1) {
        l.constant = p.values[0];
        return l;
    }
    const int rank = static_cast<int>(shape.size());
    if (p.axis < 0 || p.axis >= rank
        || shape[static_cast<std::size_t>(p.axis)] != static_cast<std::int64_t>(p.values.size()))
        return std::nullopt;
    l.values = &p.values;
    l.channels = shape[static_cast<std::size_t>(p.axis)];
    for (int a = p.axis + 1; a < rank; ++a)
        l.innerStride *= shape[static_cast<std::size_t>(a)];
    return l;
}

} // namespace

std::optional<ClipCounts> countClipped(const Quantizer& q, const Tensor& x)
{
    const bool integerClamp
        = q.kind == QuantizerKind::IntQuant || q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ;
    if (!integerClamp || !q.qmin || !q.qmax || q.scale.tensor < 0)
        return std::nullopt;
    const auto scale = lookup(q.scale, x.shape(), 1.0);
    const auto zeroPoint = lookup(q.zeroPoint, x.shape(), 0.0);
    if (!scale || !zeroPoint)
        return std::nullopt;
    ClipCounts counts;
    const double qmin = *q.qmin, qmax = *q.qmax;
    visitStorageType(x.dtype(), [&]<class T>(T) {
        const T* data = x.data<T>();
        const auto count = [&](std::int64_t i, double scaleOfI, double zeroPointOfI) {
            const double code = static_cast<double>(data[i]) / scaleOfI + zeroPointOfI;
            counts.low += code < qmin;
            counts.high += code > qmax;
        };
        if (!scale->values && !zeroPoint->values) { // per-tensor: no lookups (the common case)
            for (std::int64_t i = 0; i < x.size(); ++i)
                count(i, scale->constant, zeroPoint->constant);
            return;
        }
        for (std::int64_t i = 0; i < x.size(); ++i)
            count(i, scale->at(i), zeroPoint->at(i));
    });
    counts.checked = x.size();
    return counts;
}

} // namespace qs
