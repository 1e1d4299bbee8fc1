#include "core/kernels/reduce.h"

#include "core/kernels/detail.h"
#include "core/util/broadcast.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace qs::kernels {

namespace {

using detail::toSize;

const char* reduceName(ReduceOp op)
{
    switch (op) {
    case ReduceOp::Sum:
        return "ReduceSum";
    case ReduceOp::Mean:
        return "ReduceMean";
    case ReduceOp::Max:
        return "ReduceMax";
    case ReduceOp::Min:
        return "ReduceMin";
    case ReduceOp::Prod:
        return "ReduceProd";
    case ReduceOp::SumSquare:
        return "ReduceSumSquare";
    case ReduceOp::L1:
        return "ReduceL1";
    case ReduceOp::L2:
        return "ReduceL2";
    case ReduceOp::LogSumExp:
        return "ReduceLogSumExp";
    }
    return "?";
}

template <class T> T initial(ReduceOp op)
{
    if (op == ReduceOp::Max)
        return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                    : std::numeric_limits<T>::lowest();
    if (op == ReduceOp::Min)
        return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                    : std::numeric_limits<T>::max();
    if (op == ReduceOp::Prod)
        return T(1);
    return T(0);
}

template <class T> Tensor run(ReduceOp op, const Tensor& x, const std::vector<bool>& reduced, bool keepdims)
{
    Shape keptShape = x.shape(), outShape;
    std::int64_t count = 1;
    for (std::size_t i = 0; i < reduced.size(); ++i)
        if (reduced[i]) {
            count *= x.shape()[i];
            keptShape[i] = 1;
        } else {
            outShape.push_back(x.shape()[i]);
        }
    Tensor y(x.dtype(), keepdims ? keptShape : outShape);
    T* Y = y.data<T>();
    std::fill(Y, Y + y.size(), initial<T>(op));
    const T* X = x.data<T>();
    // LogSumExp subtracts the running max first so that exp cannot overflow.
    std::vector<T> maxima;
    const std::array<std::vector<std::int64_t>, 1> strides {broadcastStrides(keptShape, x.shape())};
    if (op == ReduceOp::LogSumExp) {
        maxima.assign(toSize(y.size()), -std::numeric_limits<T>::infinity());
        forEachBroadcast<1>(x.shape(), strides, [&](std::int64_t i, const std::array<std::int64_t, 1>& o) {
            maxima[toSize(o[0])] = std::max(maxima[toSize(o[0])], X[i]);
        });
        for (T& m : maxima)
            if (!std::isfinite(m))
                m = 0;
    }
    forEachBroadcast<1>(x.shape(), strides, [&](std::int64_t i, const std::array<std::int64_t, 1>& o) {
        T& acc = Y[o[0]];
        const T v = X[i];
        switch (op) {
        case ReduceOp::Sum:
        case ReduceOp::Mean:
            acc += v;
            break;
        case ReduceOp::Max:
            acc = (v > acc || v != v) ? v : acc;
            break;
        case ReduceOp::Min:
            acc = (v < acc || v != v) ? v : acc;
            break;
        case ReduceOp::Prod:
            acc *= v;
            break;
        case ReduceOp::SumSquare:
        case ReduceOp::L2:
            acc += v * v;
            break;
        case ReduceOp::L1:
            acc += v < 0 ? T(0) - v : v;
            break;
        case ReduceOp::LogSumExp:
            if constexpr (std::is_floating_point_v<T>)
                acc += std::exp(v - maxima[toSize(o[0])]);
            break;
        }
    });
    if constexpr (std::is_floating_point_v<T>) {
        for (std::int64_t i = 0; i < y.size(); ++i) {
            if (op == ReduceOp::Mean)
                Y[i] = count > 0 ? Y[i] / static_cast<T>(count) : std::numeric_limits<T>::quiet_NaN();
            else if (op == ReduceOp::L2)
                Y[i] = std::sqrt(Y[i]);
            else if (op == ReduceOp::LogSumExp)
                Y[i] = std::log(Y[i]) + maxima[toSize(i)];
        }
    }
    return y;
}

} // namespace

Tensor reduce(ReduceOp op, const Tensor& x, const ReduceAttrs& attrs)
{
    const char* name = reduceName(op);
    if (attrs.axes.empty() && attrs.noopWithEmptyAxes)
        return x;
    std::vector<bool> reduced(toSize(x.rank()), attrs.axes.empty());
    for (std::int64_t axis : attrs.axes) {
        const int a = detail::normalizeAxis(axis, x.rank(), name);
        if (reduced[toSize(a)])
            throw Error(std::string(name) + ": axis " + std::to_string(axis) + " given twice");
        reduced[toSize(a)] = true;
    }
    const bool intOk
        = op == ReduceOp::Sum || op == ReduceOp::Max || op == ReduceOp::Min || op == ReduceOp::Prod;
    switch (x.dtype()) {
    case DType::Float32:
        return run<float>(op, x, reduced, attrs.keepdims);
    case DType::Float64:
        return run<double>(op, x, reduced, attrs.keepdims);
    case DType::Int64:
        if (intOk)
            return run<std::int64_t>(op, x, reduced, attrs.keepdims);
        break;
    case DType::Int32:
        if (intOk)
            return run<std::int32_t>(op, x, reduced, attrs.keepdims);
        break;
    default:
        break;
    }
    detail::unsupportedType(name, x.dtype());
}

} // namespace qs::kernels
