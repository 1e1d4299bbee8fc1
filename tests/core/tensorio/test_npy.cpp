// .npy / .npz / TensorProto reading against files written by numpy and ONNX (shared with the models),
// plus round trips and malformed input.
#include "core/tensorio/npy.h"
#include "core/tensorio/tensorproto.h"
#include "core/util/error.h"
#include "support/testdata.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace qs;

TEST(Npy, ReadsNumpyWrittenFloat32)
{
    const Tensor t = readNpy(test::model("radioml_cnn_2mods.input.npy"));
    EXPECT_EQ(t.dtype(), DType::Float32);
    EXPECT_EQ(t.shape(), (Shape {1, 2, 128}));
}

TEST(Npy, ReadsInt64Labels)
{
    // FINN ships the expected class labels of a batch of 4 as int64.
    const Tensor t = readNpy(test::model("tfc_w1a1_finn_streamlined.expected_output.npy"));
    EXPECT_EQ(t.dtype(), DType::Int64);
    EXPECT_EQ(t.shape(), (Shape {4}));
    for (std::int64_t i = 0; i < t.size(); ++i) {
        EXPECT_GE(t.atInt(i), 0);
        EXPECT_LE(t.atInt(i), 9);
    }
}

TEST(Npy, RoundTripsEveryType)
{
    for (DType type : {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Int16, DType::Int8,
                       DType::UInt8, DType::Bool}) {
        Tensor t = Tensor::fromDoubles({2, 3}, {0, 1, 2, 3, 4, 5}).cast(type);
        const Tensor back = parseNpy(serializeNpy(t), "roundtrip");
        EXPECT_EQ(back.dtype(), type);
        EXPECT_EQ(back.shape(), t.shape());
        EXPECT_EQ(back.toDoubles(), t.toDoubles());
    }
    const Tensor scalar = parseNpy(serializeNpy(Tensor::scalar(2.5f)), "scalar");
    EXPECT_EQ(scalar.shape(), Shape {});
    EXPECT_EQ(scalar.at(0), 2.5);
}

TEST(Npy, ReadsNpzArchive)
{
    const auto arrays = readNpz(test::model("frag_floatquant_fp8.activation.npz"));
    ASSERT_EQ(arrays.size(), 2u);
    EXPECT_EQ(arrays.at("input_quant").shape(), (Shape {1, 3}));
    EXPECT_EQ(arrays.at("weight_quant").shape(), (Shape {16, 3}));
}

TEST(Npy, MalformedFilesAreNamedErrors)
{
    EXPECT_THROW(parseNpy("hello", "x.npy"), Error);
    std::string truncated = serializeNpy(Tensor(DType::Float32, {100}));
    truncated.resize(truncated.size() - 8);
    try {
        parseNpy(truncated, "cut.npy");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cut.npy"), std::string::npos);
    }
}

TEST(TensorProtoFile, ReadsOnnxTestTensor)
{
    const NamedTensor input = readTensorProtoFile(test::model("espcn_bsd300_quant.input_0.pb"));
    EXPECT_EQ(input.name, "inp-tensor");
    EXPECT_EQ(input.tensor.shape(), (Shape {1, 3, 128, 128}));
    const NamedTensor out = readTensorProtoFile(test::model("mnist_conv_float.output_0.pb"));
    EXPECT_EQ(out.tensor.shape(), (Shape {1, 10}));
}
