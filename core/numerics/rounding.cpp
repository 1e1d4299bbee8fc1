#include "core/numerics/rounding.h"

#include "core/util/error.h"

#include <array>
#include <string>
#include <utility>

namespace qs {

namespace {

bool equalsUpper(std::string_view text, std::string_view upper)
{
    if (text.size() != upper.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c != upper[i])
            return false;
    }
    return true;
}

} // namespace

RoundingMode parseRoundingMode(std::string_view name)
{
    static constexpr std::array<std::pair<std::string_view, RoundingMode>, 8> table {{
        {"ROUND", RoundingMode::HalfEven},
        {"HALF_EVEN", RoundingMode::HalfEven},
        {"CEIL", RoundingMode::Ceil},
        {"FLOOR", RoundingMode::Floor},
        {"UP", RoundingMode::Up},
        {"DOWN", RoundingMode::Down},
        {"HALF_UP", RoundingMode::HalfUp},
        {"HALF_DOWN", RoundingMode::HalfDown},
    }};
    for (const auto& [spelling, mode] : table)
        if (equalsUpper(name, spelling))
            return mode;
    throw Error("unknown rounding mode \"" + std::string(name)
        + "\" (expected ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, HALF_UP or HALF_DOWN)");
}

const char* roundingModeName(RoundingMode mode)
{
    switch (mode) {
    case RoundingMode::HalfEven:
        return "ROUND";
    case RoundingMode::Ceil:
        return "CEIL";
    case RoundingMode::Floor:
        return "FLOOR";
    case RoundingMode::Up:
        return "UP";
    case RoundingMode::Down:
        return "DOWN";
    case RoundingMode::HalfUp:
        return "HALF_UP";
    case RoundingMode::HalfDown:
        return "HALF_DOWN";
    }
    return "?";
}

} // namespace qs
