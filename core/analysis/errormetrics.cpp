#include "core/analysis/errormetrics.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {
namespace {

template <class A, class B, class F> void forPairs(const A* a, const B* b, std::int64_t n, F&& f)
{
    for (std::int64_t i = 0; i < n; ++i)
        f(static_cast<double>(a[i]), static_cast<double>(b[i]));
}

// Calls f(reference, test) per element; float tensors are read directly, the rest via at().
template <class F> void forEachPair(const Tensor& reference, const Tensor& test, F&& f)
{
    const std::int64_t n = reference.size();
    const bool r32 = reference.dtype() == DType::Float32, r64 = reference.dtype() == DType::Float64;
    const bool t32 = test.dtype() == DType::Float32, t64 = test.dtype() == DType::Float64;
    if (r32 && t32)
        forPairs(reference.data<float>(), test.data<float>(), n, f);
    else if (r64 && t64)
        forPairs(reference.data<double>(), test.data<double>(), n, f);
    else if (r32 && t64)
        forPairs(reference.data<float>(), test.data<double>(), n, f);
    else if (r64 && t32)
        forPairs(reference.data<double>(), test.data<float>(), n, f);
    else
        for (std::int64_t i = 0; i < n; ++i)
            f(reference.at(i), test.at(i));
}

} // namespace

double sqnrFromEnergies(double signal, double noise)
{
    if (noise == 0)
        return std::numeric_limits<double>::infinity();
    if (signal == 0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal / noise);
}

void ErrorAccumulator::add(double reference, double test)
{
    const double d = test - reference;
    ++count_;
    signal_ += reference * reference;
    noise_ += d * d;
    testEnergy_ += test * test;
    dot_ += reference * test;
    maxAbs_ = std::max(maxAbs_, std::abs(d));
}

void ErrorAccumulator::add(const Tensor& reference, const Tensor& test)
{
    if (reference.shape() != test.shape())
        throw Error("cannot compare tensors of shapes " + shapeToString(reference.shape()) + " and "
            + shapeToString(test.shape()));
    forEachPair(reference, test, [this](double r, double t) { add(r, t); });
}

ErrorMetrics ErrorAccumulator::finish() const
{
    ErrorMetrics m;
    m.count = count_;
    if (count_ == 0) {
        m.sqnrDb = std::numeric_limits<double>::infinity();
        return m;
    }
    const double n = static_cast<double>(count_);
    m.signalPower = signal_ / n;
    m.mse = noise_ / n;
    m.maxAbsError = maxAbs_;
    m.sqnrDb = sqnrFromEnergies(signal_, noise_);
    if (signal_ == 0 && testEnergy_ == 0)
        m.cosineSimilarity = 1;
    else if (signal_ == 0 || testEnergy_ == 0)
        m.cosineSimilarity = 0;
    else
        m.cosineSimilarity = std::clamp(dot_ / (std::sqrt(signal_) * std::sqrt(testEnergy_)), -1.0, 1.0);
    return m;
}

ErrorMetrics compareTensors(const Tensor& reference, const Tensor& test)
{
    ErrorAccumulator acc;
    acc.add(reference, test);
    return acc.finish();
}

} // namespace qs
