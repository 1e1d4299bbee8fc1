#include "core/numerics/datatype.h"

#include "core/util/error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace qs {

namespace {

constexpr int kMaxBits = 1024;

void requireBits(int bits, const char* what)
{
    if (bits < 1 || bits > kMaxBits)
        throw Error(std::string(what) + ": bit width " + std::to_string(bits) + " is outside 1.."
            + std::to_string(kMaxBits));
}

std::optional<int> parseInt(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    int value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

// "PREFIX<a,b,...>" -> the comma-separated integers, or nullopt if the shape does not match.
std::optional<std::vector<int>> parseArgs(std::string_view name, std::string_view prefix)
{
    if (name.size() < prefix.size() + 2 || name.substr(0, prefix.size()) != prefix
        || name[prefix.size()] != '<' || name.back() != '>')
        return std::nullopt;
    std::string_view body = name.substr(prefix.size() + 1, name.size() - prefix.size() - 2);
    std::vector<int> values;
    while (true) {
        const std::size_t comma = body.find(',');
        const auto v = parseInt(body.substr(0, comma));
        if (!v)
            return std::nullopt;
        values.push_back(*v);
        if (comma == std::string_view::npos)
            return values;
        body.remove_prefix(comma + 1);
    }
}

bool isDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

DataType DataType::intN(int bits)
{
    requireBits(bits, "INT");
    return DataType(Kind::Int, bits);
}

DataType DataType::uintN(int bits)
{
    requireBits(bits, "UINT");
    return DataType(Kind::UInt, bits);
}

DataType DataType::fixed(int width, int intBits)
{
    requireBits(width, "FIXED");
    if (intBits >= width)
        throw Error("FIXED<" + std::to_string(width) + "," + std::to_string(intBits)
            + ">: the integer bits must be fewer than the width");
    return DataType(Kind::Fixed, width, intBits);
}

DataType DataType::scaledInt(int bits)
{
    requireBits(bits, "SCALEDINT");
    return DataType(Kind::ScaledInt, bits);
}

DataType DataType::miniFloat(int exponentBits, int mantissaBits)
{
    if (exponentBits < 1 || exponentBits > 30)
        throw Error("FLOAT<>: exponent bits " + std::to_string(exponentBits) + " outside 1..30");
    return miniFloat(exponentBits, mantissaBits, (1 << (exponentBits - 1)) - 1);
}

DataType DataType::miniFloat(int exponentBits, int mantissaBits, int exponentBias)
{
    if (exponentBits < 1 || exponentBits > 30 || mantissaBits < 0 || mantissaBits > 64)
        throw Error("FLOAT<" + std::to_string(exponentBits) + "," + std::to_string(mantissaBits)
            + ">: exponent bits must be 1..30 and mantissa bits 0..64");
    return DataType(
        Kind::MiniFloat, 1 + exponentBits + mantissaBits, exponentBits, mantissaBits, exponentBias);
}

std::optional<DataType> DataType::parse(std::string_view name)
{
    try {
        if (name == "FLOAT32")
            return float32();
        if (name == "FLOAT16")
            return float16();
        if (name == "BINARY")
            return binary();
        if (name == "BIPOLAR")
            return bipolar();
        if (name == "TERNARY")
            return ternary();
        if (name.starts_with("UINT") && isDigits(name.substr(4)))
            return uintN(*parseInt(name.substr(4)));
        if (name.starts_with("INT") && isDigits(name.substr(3)))
            return intN(*parseInt(name.substr(3)));
        if (auto args = parseArgs(name, "FIXED"); args && args->size() == 2)
            return fixed((*args)[0], (*args)[1]);
        if (auto args = parseArgs(name, "SCALEDINT"); args && args->size() == 1)
            return scaledInt((*args)[0]);
        if (auto args = parseArgs(name, "FLOAT")) {
            if (args->size() == 2)
                return miniFloat((*args)[0], (*args)[1]);
            if (args->size() == 3)
                return miniFloat((*args)[0], (*args)[1], (*args)[2]);
        }
    } catch (const Error&) {
        // Well-formed name with impossible parameters (INT0, FIXED<4,4>): not a datatype.
    }
    return std::nullopt;
}

std::string DataType::name() const
{
    const auto n = std::to_string(bits_);
    switch (kind_) {
    case Kind::Float32:
        return "FLOAT32";
    case Kind::Float16:
        return "FLOAT16";
    case Kind::Bipolar:
        return "BIPOLAR";
    case Kind::Ternary:
        return "TERNARY";
    case Kind::Int:
        return "INT" + n;
    case Kind::UInt:
        return bits_ == 1 ? "BINARY" : "UINT" + n;
    case Kind::Fixed:
        return "FIXED<" + n + "," + std::to_string(a_) + ">";
    case Kind::ScaledInt:
        return "SCALEDINT<" + n + ">";
    case Kind::MiniFloat:
        return "FLOAT<" + std::to_string(a_) + "," + std::to_string(b_) + "," + std::to_string(c_) + ">";
    }
    return "?";
}

int DataType::bitWidth() const
{
    return bits_;
}

bool DataType::isInteger() const
{
    return kind_ == Kind::Int || kind_ == Kind::UInt || kind_ == Kind::Bipolar || kind_ == Kind::Ternary;
}

bool DataType::canBeNegative() const
{
    return kind_ != Kind::UInt;
}

double DataType::minValue() const
{
    switch (kind_) {
    case Kind::Float32:
        return -static_cast<double>(std::numeric_limits<float>::max());
    case Kind::Float16:
        return -65504.0;
    case Kind::Bipolar:
    case Kind::Ternary:
        return -1.0;
    case Kind::Int:
        return -std::ldexp(1.0, bits_ - 1);
    case Kind::UInt:
        return 0.0;
    case Kind::Fixed:
        return -std::ldexp(1.0, bits_ - 1) * std::ldexp(1.0, -(bits_ - a_));
    case Kind::ScaledInt:
        break;
    case Kind::MiniFloat:
        return -maxValue();
    }
    throw Error(name() + " has no defined range (the scale is not recorded)");
}

double DataType::maxValue() const
{
    switch (kind_) {
    case Kind::Float32:
        return static_cast<double>(std::numeric_limits<float>::max());
    case Kind::Float16:
        return 65504.0;
    case Kind::Bipolar:
    case Kind::Ternary:
        return 1.0;
    case Kind::Int:
        return std::ldexp(1.0, bits_ - 1) - 1.0;
    case Kind::UInt:
        return std::ldexp(1.0, bits_) - 1.0;
    case Kind::Fixed:
        return (std::ldexp(1.0, bits_ - 1) - 1.0) * std::ldexp(1.0, -(bits_ - a_));
    case Kind::ScaledInt:
        break;
    case Kind::MiniFloat: {
        // (2 - 2^-m) * 2^(2^e - 1 - bias); no codes are reserved for Inf/NaN.
        const double maxExponent = std::ldexp(1.0, a_) - 1.0 - c_;
        return (2.0 - std::ldexp(1.0, -b_)) * std::pow(2.0, maxExponent);
    }
    }
    throw Error(name() + " has no defined range (the scale is not recorded)");
}

// ---- Inference rules ------------------------------------------------------------------------------

IntQuantTypeFacts intQuantTypeFacts(
    const Tensor* scale, const Tensor* zeroPoint, const Tensor* bitWidth, bool isSigned)
{
    IntQuantTypeFacts f;
    f.isSigned = isSigned;
    f.scaleConstant = scale != nullptr;
    f.zeroPointConstant = zeroPoint != nullptr;
    f.bitWidthConstant = bitWidth != nullptr;
    if (bitWidth) {
        f.bitWidthIs0D = bitWidth->rank() == 0;
        f.bits = bitWidth->size() > 0 ? bitWidth->at(0) : 0.0;
    }
    if (zeroPoint) {
        const auto v = zeroPoint->toDoubles();
        f.allZeroPointsZero = std::all_of(v.begin(), v.end(), [](double z) { return z == 0.0; });
    }
    if (scale) {
        const auto v = scale->toDoubles();
        f.allScalesOne = std::all_of(v.begin(), v.end(), [](double s) { return s == 1.0; });
    }
    return f;
}

DataType inferIntQuantOutput(const IntQuantTypeFacts& f, bool allowScaledInt)
{
    // Requirements in the reference's order; the first failure gives FLOAT32.
    if (!f.scaleConstant || !f.zeroPointConstant || !f.bitWidthConstant || !f.bitWidthIs0D)
        return DataType::float32();
    if (!(f.bits == std::floor(f.bits)) || f.bits < 1 || f.bits > kMaxBits)
        return DataType::float32();
    if (!f.allZeroPointsZero)
        return DataType::float32();
    const int bits = static_cast<int>(f.bits);
    if (f.allScalesOne) {
        if (bits == 1)
            return f.isSigned ? DataType::bipolar() : DataType::binary();
        return DataType::integer(bits, f.isSigned);
    }
    return allowScaledInt ? DataType::scaledInt(bits) : DataType::float32();
}

DataType inferBipolarQuantOutput(bool allScalesOne)
{
    return allScalesOne ? DataType::bipolar() : DataType::float32();
}

bool isMacLike(std::string_view opType)
{
    static constexpr std::array<std::string_view, 6> ops {"MatMul", "Gemm", "Conv", "Add", "Sub", "Mul"};
    return std::find(ops.begin(), ops.end(), opType) != ops.end();
}

DataType macLikeOutput(std::string_view opType, const std::vector<DataType>& inputs, const DataType& current)
{
    if (!isMacLike(opType))
        throw Error("macLikeOutput: " + std::string(opType) + " is not a MAC-like op");
    const auto all = [&](auto pred) { return std::all_of(inputs.begin(), inputs.end(), pred); };
    if (all([](const DataType& t) { return t.isInteger(); })) {
        const bool maybeNegative = opType == "Sub"
            || std::any_of(inputs.begin(), inputs.end(), [](const DataType& t) { return t.canBeNegative(); });
        return maybeNegative ? DataType::intN(32) : DataType::uintN(32);
    }
    if (all([](const DataType& t) { return t.isScaledIntLike(); }))
        return DataType::scaledInt(32);
    // Upstream tests whether the name contains "FLOAT": FLOAT32, FLOAT16 and FLOAT<e,m,b>.
    const bool anyFloat = std::any_of(inputs.begin(), inputs.end(), [](const DataType& t) {
        return t.kind() == DataType::Kind::Float32 || t.kind() == DataType::Kind::Float16
            || t.kind() == DataType::Kind::MiniFloat;
    });
    return anyFloat ? DataType::float32() : current;
}

DataType applyScaledIntPolicy(const DataType& type, bool allowScaledInt)
{
    return !allowScaledInt && type.kind() == DataType::Kind::ScaledInt ? DataType::float32() : type;
}

DataType quantizeLinearOutput(int bits, bool isSigned)
{
    return DataType::integer(bits, isSigned);
}

DataType dequantizeLinearOutput(int inputBits, bool allowScaledInt)
{
    return allowScaledInt ? DataType::scaledInt(inputBits) : DataType::float32();
}

bool preservesDataType(std::string_view opType, std::string_view resizeMode)
{
    static constexpr std::array<std::string_view, 20> ops {
        "Reshape",
        "Transpose",
        "Flatten",
        "Slice",
        "Gather",
        "GatherElements",
        "GatherND",
        "Identity",
        "Expand",
        "MaxPool",
        "GlobalMaxPool",
        "Scatter",
        "ScatterElements",
        "ScatterND",
        "Squeeze",
        "Unsqueeze",
        "Tile",
        "Pad",
        "Concat",
        "Clip",
    };
    if (opType == "Resize" || opType == "Upsample")
        return resizeMode == "nearest";
    return std::find(ops.begin(), ops.end(), opType) != ops.end();
}

} // namespace qs
