#include "core/kernels/depthtospace.h"

#include "core/kernels/shapeops.h"
#include "core/util/error.h"

#include <string>

namespace qs::kernels {

namespace {

void check(const char* op, const Tensor& x, std::int64_t b)
{
    if (x.rank() != 4)
        throw Error(std::string(op) + ": input must be 4-D [N, C, H, W], got " + shapeToString(x.shape()));
    if (b <= 0 || b > (std::int64_t(1) << 20))
        throw Error(std::string(op) + ": blocksize " + std::to_string(b) + " is invalid");
}

} // namespace

Tensor depthToSpace(const Tensor& x, std::int64_t b, DepthToSpaceMode mode)
{
    check("DepthToSpace", x, b);
    const std::int64_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    if (C % (b * b) != 0)
        throw Error("DepthToSpace: " + std::to_string(C)
            + " channels are not divisible by blocksize^2 = " + std::to_string(b * b));
    const std::int64_t c = C / (b * b);
    Tensor t = mode == DepthToSpaceMode::DCR ? transpose(x.reshaped({N, b, b, c, H, W}), {0, 3, 4, 1, 5, 2})
                                             : transpose(x.reshaped({N, c, b, b, H, W}), {0, 1, 4, 2, 5, 3});
    return std::move(t).reshaped({N, c, H * b, W * b});
}

Tensor spaceToDepth(const Tensor& x, std::int64_t b)
{
    check("SpaceToDepth", x, b);
    const std::int64_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    if (H % b != 0 || W % b != 0)
        throw Error("SpaceToDepth: spatial size " + shapeToString(x.shape())
            + " is not divisible by blocksize " + std::to_string(b));
    Tensor t = transpose(x.reshaped({N, C, H / b, b, W / b, b}), {0, 3, 5, 1, 2, 4});
    return std::move(t).reshaped({N, C * b * b, H / b, W / b});
}

} // namespace qs::kernels
