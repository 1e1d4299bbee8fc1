#include "core/numerics/intrange.h"

#include <cmath>

namespace qs {

IntRange intRange(double bits, bool isSigned, bool narrow)
{
    // pow() rather than exp2(): the reference evaluates numpy's 2 ** x, which is C pow().
    if (isSigned) {
        const double half = std::pow(2.0, bits - 1.0);
        return {narrow ? -half + 1.0 : -half, half - 1.0};
    }
    const double full = std::pow(2.0, bits);
    return {0.0, narrow ? full - 2.0 : full - 1.0};
}

} // namespace qs
