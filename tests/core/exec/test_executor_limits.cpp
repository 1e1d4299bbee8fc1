// The executor's side of core/util/limits.h: every allocation (initializers converted up front,
// kernel outputs, inputs) is held to Limits::maxTensorBytes, and the analyses that run kernels use the
// document's limits. Errors name the node or tensor.
#include "core/exec/constantfolder.h"
#include "core/exec/executor.h"
#include "core/model/modelbuilder.h"
#include "core/util/error.h"

#include <gtest/gtest.h>

using namespace qs;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// x [1,4] -> Expand to [rows,4] -> ReduceMax -> y
onnx::ModelProto expandModel(std::int64_t rows)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.initializer("shape", Tensor::fromInt64s({2}, {rows, 4}));
    b.node("Expand", {"x", "shape"}, {"big"}, {}, "", "expand");
    b.node("ReduceMax", {"big"}, {"y"}, {{"keepdims", std::int64_t(0)}}, "", "reduce");
    return b.build();
}

std::map<std::string, Tensor> ones(const std::string& name, Shape shape)
{
    Tensor t(DType::Float32, shape);
    for (float& v : t.values<float>())
        v = 1.0f;
    return {{name, t}};
}

} // namespace

TEST(ExecutorLimits, KernelOutputAboveTensorBytesNamesTheNode)
{
    const auto doc = ModelDocument::fromProto(expandModel(100'000)); // 1.6 MB intermediate
    ExecutorOptions options;
    EXPECT_NO_THROW(Executor(*doc, options).run(ones("x", {1, 4})));
    options.limits.maxTensorBytes = 1'000'000;
    const Executor executor(*doc, options);
    try {
        executor.run(ones("x", {1, 4}));
        ADD_FAILURE() << "ran";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "expand") && contains(e.what(), "allocation limit")) << e.what();
    }
}

TEST(ExecutorLimits, InitializerAboveTensorBytes)
{
    ModelBuilder b;
    b.input("x", {1, 512}).output("y");
    b.initializer("w", Tensor(DType::Float32, {512, 512})); // 1 MB
    b.node("MatMul", {"x", "w"}, {"y"}, {}, "", "matmul");
    const auto doc = ModelDocument::fromProto(b.build());
    ExecutorOptions options;
    options.limits.maxTensorBytes = 100'000;
    try {
        Executor executor(*doc, options);
        executor.run(ones("x", {1, 512}));
        ADD_FAILURE() << "ran";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "[512,512]") && contains(e.what(), "allocation limit")) << e.what();
    }
}

TEST(ExecutorLimits, BatchedInputAboveTensorBytes)
{
    ModelBuilder b;
    b.input("x", {-1, 1024}).output("y");
    b.node("Relu", {"x"}, {"y"}, {}, "", "relu");
    const auto doc = ModelDocument::fromProto(b.build());
    ExecutorOptions options;
    options.limits.maxTensorBytes = 1'000'000; // 4 KB per row
    const Executor executor(*doc, options);
    EXPECT_NO_THROW(executor.run(ones("x", {16, 1024})));
    try {
        executor.run(ones("x", {512, 1024}));
        ADD_FAILURE() << "ran";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "allocation limit")) << e.what();
    }
}

TEST(ExecutorLimits, ConstantFoldingUsesTheDocumentsLimits)
{
    // Expand of constants only: folded by foldConstants (the analyses' constant folding), which must
    // honour the limits it is given and report the node instead of allocating.
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.initializer("c", Tensor::fromFloats({1, 4}, {1, 2, 3, 4}));
    b.initializer("shape", Tensor::fromInt64s({2}, {100'000, 4}));
    b.node("Expand", {"c", "shape"}, {"big"}, {}, "", "expand");
    b.node("ReduceMax", {"big"}, {"m"}, {{"keepdims", std::int64_t(0)}}, "", "reduce");
    b.node("Add", {"x", "m"}, {"y"}, {}, "", "add");
    Limits limits;
    limits.maxTensorBytes = 1'000'000;
    const auto doc = ModelDocument::fromProto(b.build(), {}, limits);
    EXPECT_EQ(doc->limits().maxTensorBytes, 1'000'000);
    const FoldedConstants folded = foldConstants(*doc, Precision::Float32, doc->limits());
    ASSERT_FALSE(folded.failures.empty());
    EXPECT_TRUE(contains(folded.failures.front(), "expand") && contains(folded.failures.front(), "allocation limit"))
        << folded.failures.front();
    EXPECT_TRUE(foldConstants(*doc).failures.empty()); // with the default limits it folds
}

TEST(ExecutorLimits, OversizedAttributeIsRefusedBeforeAnyKernelRuns)
{
    // The document refuses it at load (with its limits) ...
    ModelBuilder b;
    b.input("x", {2, 3}).output("y");
    b.node("Transpose", {"x"}, {"y"}, {{"perm", std::vector<std::int64_t>(2000, 0)}}, "", "transpose");
    Limits limits;
    limits.maxAttributeElements = 1000;
    try {
        ModelDocument::fromProto(b.build(), {}, limits);
        ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "'transpose'") && contains(e.what(), "'perm'")) << e.what();
    }
    // ... and within the limits a wrong-length perm is a kernel error naming the node, not a crash.
    const auto doc = ModelDocument::fromProto(b.build());
    try {
        Executor(*doc).run(ones("x", {2, 3}));
        ADD_FAILURE() << "ran";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "transpose")) << e.what();
    }
}
