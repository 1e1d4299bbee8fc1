#include "core/kernels/normalization.h"

#include "core/kernels/detail.h"

#include <cmath>
#include <string>

namespace qs::kernels {

Tensor batchNormalization(const Tensor& x, const Tensor& scale, const Tensor& bias, const Tensor& mean,
    const Tensor& var, double epsilon)
{
    detail::requireFloat(x, "BatchNormalization");
    if (x.rank() < 2)
        throw Error("BatchNormalization: input must have rank >= 2, got " + shapeToString(x.shape()));
    const std::int64_t C = x.shape()[1];
    for (const Tensor* p : {&scale, &bias, &mean, &var})
        if (p->rank() != 1 || p->shape()[0] != C || !isFloating(p->dtype()))
            throw Error("BatchNormalization: parameter of shape " + shapeToString(p->shape()) + " ("
                + dtypeName(p->dtype()) + ") does not match " + std::to_string(C) + " channels");
    const std::int64_t N = x.shape()[0];
    const std::int64_t inner = C == 0 || N == 0 ? 0 : x.size() / (N * C);
    Tensor y = Tensor::uninitialized(x.dtype(), x.shape());
    detail::dispatchFloat(x.dtype(), "BatchNormalization", [&](auto tag) {
        using T = decltype(tag);
        const T* X = x.data<T>();
        T* Y = y.data<T>();
        for (std::int64_t c = 0; c < C; ++c) {
            // Folded into one multiply-add per element; parameters may be float64 for float32 x.
            const double k = scale.at(c) / std::sqrt(var.at(c) + epsilon);
            const T a = static_cast<T>(k), b = static_cast<T>(bias.at(c) - mean.at(c) * k);
            for (std::int64_t n = 0; n < N; ++n) {
                const std::int64_t off = (n * C + c) * inner;
                for (std::int64_t i = 0; i < inner; ++i)
                    Y[off + i] = a * X[off + i] + b;
            }
        }
    });
    return y;
}

} // namespace qs::kernels
