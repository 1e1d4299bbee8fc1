#include "core/util/limits.h"

namespace qs {

const Limits& Limits::defaults()
{
    static const Limits limits;
    return limits;
}

} // namespace qs
