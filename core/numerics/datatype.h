#pragma once
// QONNX datatypes (the `finn_datatype` quantization annotation) and the datatype inference rules of
// qonnx's InferDataTypes (spec §6).
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

class DataType {
public:
    // BINARY is UInt with 1 bit (qonnx prints UINT1 as BINARY); INT1 is a distinct, legal type.
    enum class Kind : std::uint8_t {
        Float32,
        Float16,
        Bipolar,
        Ternary,
        Int,
        UInt,
        Fixed,
        ScaledInt,
        MiniFloat
    };

    DataType() = default; // FLOAT32, the type of an unannotated tensor

    static DataType float32() { return DataType(Kind::Float32, 32); }
    static DataType float16() { return DataType(Kind::Float16, 16); }
    static DataType binary() { return DataType(Kind::UInt, 1); }
    static DataType bipolar() { return DataType(Kind::Bipolar, 1); }
    static DataType ternary() { return DataType(Kind::Ternary, 2); }
    // The factories below throw Error for out-of-range parameters (bits outside 1..1024, i >= w, ...).
    static DataType intN(int bits);
    static DataType uintN(int bits);
    static DataType integer(int bits, bool isSigned) { return isSigned ? intN(bits) : uintN(bits); }
    static DataType fixed(int width, int intBits);
    static DataType scaledInt(int bits);
    static DataType miniFloat(int exponentBits, int mantissaBits); // IEEE-style bias 2^(e-1) - 1
    static DataType miniFloat(int exponentBits, int mantissaBits, int exponentBias);

    // Accepts the canonical names of §6.1 (case-sensitive, as upstream), plus UINT1 for BINARY and
    // FLOAT<e,m> without a bias; spaces inside <...> are allowed. nullopt for anything else.
    static std::optional<DataType> parse(std::string_view name);

    Kind kind() const { return kind_; }
    std::string name() const; // canonical: "INT4", "BINARY", "FIXED<8,4>", "FLOAT<4,3,7>", ...
    int bitWidth() const;
    bool isInteger() const; // INT, UINT, BINARY, BIPOLAR, TERNARY
    bool isFixedPoint() const { return kind_ == Kind::Fixed; }
    // Integer, fixed-point or scaled-int: what the MAC rule may type as SCALEDINT<32>.
    bool isScaledIntLike() const { return isInteger() || isFixedPoint() || kind_ == Kind::ScaledInt; }
    bool canBeNegative() const;
    // Range of representable values. Throws Error for SCALEDINT, whose scale is not recorded.
    double minValue() const;
    double maxValue() const;

    int fixedIntBits() const { return kind_ == Kind::Fixed ? a_ : 0; }
    int exponentBits() const { return kind_ == Kind::MiniFloat ? a_ : 0; }
    int mantissaBits() const { return kind_ == Kind::MiniFloat ? b_ : 0; }
    int exponentBias() const { return kind_ == Kind::MiniFloat ? c_ : 0; }

    bool operator==(const DataType&) const = default;

private:
    DataType(Kind kind, int bits, int a = 0, int b = 0, int c = 0)
        : kind_(kind)
        , bits_(bits)
        , a_(a)
        , b_(b)
        , c_(c)
    {
    }

    Kind kind_ = Kind::Float32;
    int bits_ = 32;
    int a_ = 0; // FIXED: integer bits; FLOAT<>: exponent bits
    int b_ = 0; // FLOAT<>: mantissa bits
    int c_ = 0; // FLOAT<>: exponent bias
};

// ---- Inference rules ------------------------------------------------------------------------------

// What InferDataTypes needs to know about a Quant / IntQuant node (§6.2).
struct IntQuantTypeFacts {
    bool scaleConstant = false; // scale, zero point and bit width are initializers
    bool zeroPointConstant = false;
    bool bitWidthConstant = false;
    bool bitWidthIs0D = false; // a 1-element 1-D bit width does not qualify
    bool allZeroPointsZero = false;
    bool allScalesOne = false;
    double bits = 0; // the bit width value; it must also be an integer (and >= 1) to type the output
    bool isSigned = true;
};

// Fills the facts from the node's parameter tensors; pass nullptr for an input that is not constant.
IntQuantTypeFacts intQuantTypeFacts(
    const Tensor* scale, const Tensor* zeroPoint, const Tensor* bitWidth, bool isSigned);

// BIPOLAR / BINARY / INT<B> / UINT<B> for unit scales, SCALEDINT<B> for other scales when allowed, else
// FLOAT32 (also whenever a requirement of §6.2 fails). narrow never matters.
DataType inferIntQuantOutput(const IntQuantTypeFacts& facts, bool allowScaledInt);
// BIPOLAR if every scale element is 1, else FLOAT32 (never SCALEDINT).
DataType inferBipolarQuantOutput(bool allScalesOne);

// True for MatMul, Gemm, Conv, Add, Sub, Mul.
bool isMacLike(std::string_view opType);
// §6.3 MAC rule over all inputs (bias included): INT32 / UINT32 if all are integer (INT32 if any can be
// negative or the op is Sub), SCALEDINT<32> if all are scaled-int-like, FLOAT32 if any is a float type,
// else `current` (the output's existing type). Throws Error if opType is not MAC-like. The result is
// before the scaled-int switch: pass it through applyScaledIntPolicy().
DataType macLikeOutput(std::string_view opType, const std::vector<DataType>& inputs,
    const DataType& current = DataType::float32());
// InferDataTypes(allow_scaledint_dtypes=false) turns every SCALEDINT output into FLOAT32.
DataType applyScaledIntPolicy(const DataType& type, bool allowScaledInt);

// QuantizeLinear: INT<bits> / UINT<bits> from its output element type (a following Clip does not narrow).
DataType quantizeLinearOutput(int bits, bool isSigned);
// DequantizeLinear: SCALEDINT<bits of its input element type>, or FLOAT32 when scaled-int is off.
DataType dequantizeLinearOutput(int inputBits, bool allowScaledInt);

// Ops whose output takes the datatype of input 0. Resize / Upsample only in "nearest" mode (pass the
// node's mode attribute; ONNX's default is "nearest").
bool preservesDataType(std::string_view opType, std::string_view resizeMode = "nearest");

} // namespace qs
