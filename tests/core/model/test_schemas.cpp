// The QONNX schemas registered with ONNX's registry let onnx's own checker and shape inference handle
// Quant nodes in every domain real files use.
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

std::unique_ptr<ModelDocument> quantModel(const std::string& domain, bool declareDomain)
{
    ModelBuilder b(13);
    b.input("x", {2, 3, 8, 8});
    const std::string q = b.quant("x", 0.5, 0, 4, true, false, domain);
    b.node("Relu", {q}, {"y"});
    b.output("y", {2, 3, 8, 8});
    if (declareDomain && !domain.empty())
        b.opset(domain, 1);
    return ModelDocument::fromProto(b.build());
}

} // namespace

TEST(Schemas, QuantInEveryDomainPassesTheCheckerAndGetsShapes)
{
    for (const std::string domain : {"qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general", ""}) {
        for (bool declared : {true, false}) {
            SCOPED_TRACE(domain + (declared ? " declared" : " undeclared"));
            const auto doc = quantModel(domain, declared);
            EXPECT_EQ(doc->checkerResult(), "OK");
            const TensorInfo& y = doc->tensor(*doc->graph().findTensor("y"));
            EXPECT_EQ(y.staticShape(), (std::vector<std::int64_t> {2, 3, 8, 8}));
            EXPECT_EQ(y.elemType, onnx::TensorProto::FLOAT);
            const bool reported = !doc->diagnostics().empty();
            EXPECT_EQ(reported, !declared && !domain.empty()); // undeclared custom domains are noted
        }
    }
}

TEST(Schemas, ChannelsLastConvShapeInference)
{
    ModelBuilder b(13);
    b.input("x", {1, 16, 16, 3});
    b.initializer("w", Tensor(DType::Float32, {8, 3, 3, 3}));
    b.node("Conv", {"x", "w"}, {"y"},
           {{"kernel_shape", std::vector<std::int64_t> {3, 3}}, {"pads", std::vector<std::int64_t> {0, 0, 0, 0}},
            {"strides", std::vector<std::int64_t> {2, 2}}},
           "qonnx.custom_op.channels_last");
    b.output("y");
    const auto doc = ModelDocument::fromProto(b.build());
    EXPECT_EQ(doc->tensor(*doc->graph().findTensor("y")).staticShape(), (std::vector<std::int64_t> {1, 7, 7, 8}));
    ASSERT_EQ(doc->layers().size(), 1u);
    EXPECT_TRUE(doc->layers()[0].channelsLast);
    EXPECT_EQ(doc->layers()[0].dotProductLength, 27);
}

TEST(Schemas, ComputedBitWidthIsEvaluatedThroughConstantSubgraph)
{
    // Brevitas exports bias bit widths as Ceil(constant): the view must still know the value.
    ModelBuilder b(13);
    b.input("x", {1, 4});
    b.initializer("bias", Tensor::fromFloats({4}, {0.5f, -1, 2, 0}));
    b.initializer("s", Tensor::scalar(0.25f));
    b.initializer("z", Tensor::scalar(0.0f));
    b.initializer("raw_bits", Tensor::scalar(15.3f));
    b.node("Ceil", {"raw_bits"}, {"bits"});
    b.node("Quant", {"bias", "s", "z", "bits"}, {"qbias"},
           {{"signed", std::int64_t(1)}, {"narrow", std::int64_t(0)}, {"rounding_mode", std::string("ROUND")}},
           "onnx.brevitas");
    b.node("Add", {"x", "qbias"}, {"y"});
    b.output("y");
    const auto doc = ModelDocument::fromProto(b.build());
    ASSERT_EQ(doc->quantizers().size(), 1u);
    EXPECT_EQ(doc->quantizers()[0].bitWidth, 16.0);
    EXPECT_EQ(doc->quantizers()[0].role, QuantizerRole::Weight);
}
