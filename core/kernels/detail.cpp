#include "core/kernels/detail.h"

namespace qs::kernels::detail {

int normalizeAxis(std::int64_t axis, int rank, const char* op)
{
    if (axis < -rank || axis >= rank)
        throw Error(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for rank "
            + std::to_string(rank));
    return static_cast<int>(axis < 0 ? axis + rank : axis);
}

int normalizeAxisInclusive(std::int64_t axis, int rank, const char* op)
{
    if (axis < -rank || axis > rank)
        throw Error(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for rank "
            + std::to_string(rank));
    return static_cast<int>(axis < 0 ? axis + rank : axis);
}

std::vector<std::int64_t> stridesOf(const Shape& shape)
{
    std::vector<std::int64_t> strides(shape.size(), 1);
    for (std::size_t i = shape.size(); i-- > 1;)
        strides[i - 1] = strides[i] * shape[i];
    return strides;
}

void unsupportedType(const char* op, DType type)
{
    throw Error(std::string(op) + ": element type " + dtypeName(type) + " is not supported");
}

std::vector<std::int64_t> toInt64s(const Tensor& t, const char* op)
{
    if (isFloating(t.dtype()) || t.dtype() == DType::Bool)
        throw Error(std::string(op) + ": expected an integer tensor, got " + dtypeName(t.dtype()));
    std::vector<std::int64_t> out(toSize(t.size()));
    for (std::int64_t i = 0; i < t.size(); ++i)
        out[toSize(i)] = t.atInt(i);
    return out;
}

} // namespace qs::kernels::detail
