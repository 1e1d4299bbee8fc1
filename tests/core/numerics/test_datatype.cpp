#include "core/numerics/datatype.h"
#include "core/util/error.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

using namespace qs;

namespace {

DataType named(const std::string& name)
{
    const auto t = DataType::parse(name);
    EXPECT_TRUE(t.has_value()) << name;
    return t.value_or(DataType::float32());
}

struct QuantRow {
    const char* what;
    Tensor scale;
    float zeroPoint;
    Tensor bitWidth;
    bool isSigned;
    const char* byDefault; // InferDataTypes() at HEAD (scaled-int off)
    const char* scaledIntOn;
};

Tensor bits(float b)
{
    return Tensor::scalar(b);
}

} // namespace

TEST(DataType, QuantInferenceTableOfSpec)
{
    // Spec §6.2 "Verified with the real implementation"; signed/narrow pairs differ only in narrow,
    // which the facts deliberately do not carry.
    const std::vector<QuantRow> rows {
        {"1/0/4 signed", Tensor::scalar(1), 0, bits(4), true, "INT4", "INT4"},
        {"1/0/4 unsigned", Tensor::scalar(1), 0, bits(4), false, "UINT4", "UINT4"},
        {"1/0/1 signed", Tensor::scalar(1), 0, bits(1), true, "BIPOLAR", "BIPOLAR"},
        {"1/0/1 unsigned", Tensor::scalar(1), 0, bits(1), false, "BINARY", "BINARY"},
        {"0.5/0/4 signed", Tensor::scalar(0.5f), 0, bits(4), true, "FLOAT32", "SCALEDINT<4>"},
        {"0.5/0/4 unsigned", Tensor::scalar(0.5f), 0, bits(4), false, "FLOAT32", "SCALEDINT<4>"},
        {"0.5/0/1 signed", Tensor::scalar(0.5f), 0, bits(1), true, "FLOAT32", "SCALEDINT<1>"},
        {"[[1],[0.5]]/0/8", Tensor::fromFloats({2, 1}, {1, 0.5f}), 0, bits(8), true, "FLOAT32",
            "SCALEDINT<8>"},
        {"[[1],[1]]/0/8 unsigned", Tensor::fromFloats({2, 1}, {1, 1}), 0, bits(8), false, "UINT8", "UINT8"},
        {"1/1/4 unsigned", Tensor::scalar(1), 1, bits(4), false, "FLOAT32", "FLOAT32"},
        {"1/0/3.5", Tensor::scalar(1), 0, bits(3.5f), true, "FLOAT32", "FLOAT32"},
        {"1/0/[4]", Tensor::scalar(1), 0, Tensor::fromFloats({1}, {4}), true, "FLOAT32", "FLOAT32"},
        {"1/0/16", Tensor::scalar(1), 0, bits(16), true, "INT16", "INT16"},
    };
    for (const QuantRow& r : rows) {
        const Tensor zp = Tensor::scalar(r.zeroPoint);
        const IntQuantTypeFacts f = intQuantTypeFacts(&r.scale, &zp, &r.bitWidth, r.isSigned);
        EXPECT_EQ(inferIntQuantOutput(f, false).name(), r.byDefault) << r.what;
        EXPECT_EQ(inferIntQuantOutput(f, true).name(), r.scaledIntOn) << r.what;
    }
}

TEST(DataType, QuantInferenceNeedsConstantParameters)
{
    const Tensor one = Tensor::scalar(1), zero = Tensor::scalar(0), four = bits(4);
    EXPECT_EQ(inferIntQuantOutput(intQuantTypeFacts(nullptr, &zero, &four, true), true), DataType::float32());
    EXPECT_EQ(inferIntQuantOutput(intQuantTypeFacts(&one, nullptr, &four, true), true), DataType::float32());
    EXPECT_EQ(inferIntQuantOutput(intQuantTypeFacts(&one, &zero, nullptr, true), true), DataType::float32());
    // Per-channel zero points must all be 0.
    const Tensor zps = Tensor::fromFloats({2}, {0, 1});
    EXPECT_EQ(inferIntQuantOutput(intQuantTypeFacts(&one, &zps, &four, true), true), DataType::float32());
}

TEST(DataType, OtherQuantizers)
{
    EXPECT_EQ(inferBipolarQuantOutput(true).name(), "BIPOLAR");
    EXPECT_EQ(inferBipolarQuantOutput(false).name(), "FLOAT32");
    // §6.3: QuantizeLinear takes its output element type; DequantizeLinear gives SCALEDINT<input bits>.
    EXPECT_EQ(quantizeLinearOutput(8, true).name(), "INT8");
    EXPECT_EQ(quantizeLinearOutput(8, false).name(), "UINT8");
    EXPECT_EQ(quantizeLinearOutput(16, true).name(), "INT16");
    EXPECT_EQ(dequantizeLinearOutput(8, true).name(), "SCALEDINT<8>");
    EXPECT_EQ(dequantizeLinearOutput(8, false).name(), "FLOAT32");
}

TEST(DataType, MacRuleExamplesOfSpec)
{
    const auto mac = [](const char* op, const char* a, const char* b) {
        return macLikeOutput(op, {named(a), named(b)}).name();
    };
    EXPECT_EQ(mac("MatMul", "INT4", "INT4"), "INT32");
    EXPECT_EQ(mac("Mul", "UINT4", "UINT8"), "UINT32");
    EXPECT_EQ(mac("Sub", "UINT4", "UINT8"), "INT32");
    EXPECT_EQ(mac("Conv", "BIPOLAR", "BIPOLAR"), "INT32");
    EXPECT_EQ(mac("Gemm", "SCALEDINT<8>", "INT4"), "SCALEDINT<32>");
    EXPECT_EQ(mac("Add", "FIXED<8,4>", "UINT4"), "SCALEDINT<32>");
    EXPECT_EQ(mac("MatMul", "FLOAT32", "INT4"), "FLOAT32");
    // Bias counts: an INT32 bias makes an unsigned product signed.
    EXPECT_EQ(macLikeOutput("Gemm", {named("UINT8"), named("UINT4"), named("INT32")}).name(), "INT32");
    // The scaled-int switch turns the result into FLOAT32 when off.
    EXPECT_EQ(applyScaledIntPolicy(named("SCALEDINT<32>"), false).name(), "FLOAT32");
    EXPECT_EQ(applyScaledIntPolicy(named("SCALEDINT<32>"), true).name(), "SCALEDINT<32>");
    EXPECT_EQ(applyScaledIntPolicy(named("INT32"), false).name(), "INT32");
    EXPECT_THROW(macLikeOutput("Relu", {named("INT4")}), Error);
    EXPECT_TRUE(isMacLike("Conv"));
    EXPECT_FALSE(isMacLike("Div"));
}

TEST(DataType, TypePreservingOps)
{
    for (const char* op : {"Reshape", "Transpose", "Flatten", "Slice", "Gather", "GatherElements", "GatherND",
             "Identity", "Expand", "MaxPool", "GlobalMaxPool", "Scatter", "ScatterElements", "ScatterND",
             "Squeeze", "Unsqueeze", "Tile", "Pad", "Concat", "Clip"})
        EXPECT_TRUE(preservesDataType(op)) << op;
    EXPECT_TRUE(preservesDataType("Resize"));
    EXPECT_TRUE(preservesDataType("Upsample", "nearest"));
    EXPECT_FALSE(preservesDataType("Resize", "linear"));
    for (const char* op : {"Relu", "Div", "AveragePool", "BatchNormalization", "Softmax", "Add"})
        EXPECT_FALSE(preservesDataType(op)) << op;
}

TEST(DataType, PropertiesTableOfSpec)
{
    // §6.1.
    const DataType f32 = named("FLOAT32");
    EXPECT_EQ(f32.bitWidth(), 32);
    EXPECT_FALSE(f32.isInteger());
    EXPECT_EQ(f32.maxValue(), static_cast<double>(std::numeric_limits<float>::max()));
    EXPECT_EQ(f32.minValue(), -static_cast<double>(std::numeric_limits<float>::max()));
    EXPECT_EQ(named("FLOAT16").bitWidth(), 16);
    EXPECT_EQ(named("FLOAT16").maxValue(), 65504.0);

    const DataType bin = named("BINARY");
    EXPECT_EQ(bin, DataType::uintN(1));
    EXPECT_EQ(bin.bitWidth(), 1);
    EXPECT_TRUE(bin.isInteger());
    EXPECT_FALSE(bin.canBeNegative());
    EXPECT_EQ(bin.maxValue(), 1.0);

    const DataType bip = named("BIPOLAR");
    EXPECT_EQ(bip.bitWidth(), 1);
    EXPECT_TRUE(bip.isInteger());
    EXPECT_EQ(bip.minValue(), -1.0);
    EXPECT_EQ(bip.maxValue(), 1.0);

    const DataType ter = named("TERNARY");
    EXPECT_EQ(ter.bitWidth(), 2);
    EXPECT_EQ(ter.minValue(), -1.0);

    EXPECT_EQ(named("INT4").minValue(), -8.0);
    EXPECT_EQ(named("INT4").maxValue(), 7.0);
    EXPECT_TRUE(named("INT4").canBeNegative());
    EXPECT_EQ(named("UINT8").maxValue(), 255.0);
    EXPECT_FALSE(named("UINT8").canBeNegative());
    EXPECT_EQ(named("INT32").minValue(), -2147483648.0);

    // FIXED<8,4>: signed 8-bit integer times 2^-4.
    const DataType fx = named("FIXED<8,4>");
    EXPECT_EQ(fx.bitWidth(), 8);
    EXPECT_FALSE(fx.isInteger());
    EXPECT_EQ(fx.minValue(), -8.0);
    EXPECT_EQ(fx.maxValue(), 127.0 / 16.0);

    const DataType si = named("SCALEDINT<8>");
    EXPECT_EQ(si.bitWidth(), 8);
    EXPECT_FALSE(si.isInteger());
    EXPECT_TRUE(si.canBeNegative());
    EXPECT_THROW(si.minValue(), Error);

    // FLOAT<4,3> gets the default bias 7: max (2 - 2^-3) * 2^(15 - 7) = 480.
    const DataType fp8 = named("FLOAT<4,3>");
    EXPECT_EQ(fp8.name(), "FLOAT<4,3,7>");
    EXPECT_EQ(fp8.bitWidth(), 8);
    EXPECT_EQ(fp8.maxValue(), 480.0);
    EXPECT_EQ(fp8.minValue(), -480.0);
    EXPECT_FALSE(fp8.isInteger());
    EXPECT_EQ(named("FLOAT<5,2,15>").maxValue(), 1.75 * 65536.0);
}

TEST(DataType, NamesRoundTripThroughParse)
{
    for (const char* name : {"FLOAT32", "FLOAT16", "BINARY", "BIPOLAR", "TERNARY", "INT1", "INT2", "INT4",
             "INT8", "INT16", "INT32", "UINT2", "UINT4", "UINT8", "UINT32", "FIXED<8,4>", "FIXED<16,-2>",
             "SCALEDINT<8>", "SCALEDINT<32>", "FLOAT<4,3,7>", "FLOAT<5,2,15>", "FLOAT<4,3,3>"}) {
        const auto t = DataType::parse(name);
        ASSERT_TRUE(t.has_value()) << name;
        EXPECT_EQ(t->name(), name);
        EXPECT_EQ(DataType::parse(t->name()), t);
    }
    // UINT1 is printed as BINARY; spaces inside brackets are tolerated.
    EXPECT_EQ(named("UINT1").name(), "BINARY");
    EXPECT_EQ(named("FIXED< 8, 4 >").name(), "FIXED<8,4>");
    for (const char* bad : {"", "int4", "INT", "INT0", "UINTx", "FIXED<4,4>", "FIXED<8>", "SCALEDINT<>",
             "FLOAT64", "FLOAT<4>", "FLOAT<4,3,7,1>", "BIPOLAR ", "TERNARY2"})
        EXPECT_FALSE(DataType::parse(bad).has_value()) << "'" << bad << "'";
    EXPECT_EQ(DataType(), DataType::float32());
}
