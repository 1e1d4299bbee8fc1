// Every limit in core/util/limits.h, as the loader applies it: each is exceeded by a small model
// with a lowered limit, and the error must name the file, tensor or node at fault.
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"
#include "core/util/error.h"

#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace qs;

namespace {

class LoaderLimits : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_ = std::filesystem::temp_directory_path()
            / ("qs-limits-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path write(const std::string& name, const onnx::ModelProto& model)
    {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << model.SerializeAsString();
        return path;
    }

    // The error of loading `model` (written to a file) with `limits`; fails the test if it loads.
    std::string loadError(const onnx::ModelProto& model, const Limits& limits, const std::string& name = "m.onnx")
    {
        try {
            ModelDocument::load(write(name, model), limits);
        } catch (const Error& e) {
            return e.what();
        }
        ADD_FAILURE() << "loading did not fail";
        return {};
    }

    std::filesystem::path dir_;
};

ModelBuilder reluChain(int nodes)
{
    ModelBuilder b;
    b.input("x", {1, 4});
    std::string current = "x";
    for (int i = 0; i < nodes; ++i) {
        const std::string next = i + 1 == nodes ? "y" : "t" + std::to_string(i);
        b.node("Relu", {current}, {next}, {}, "", "relu" + std::to_string(i));
        current = next;
    }
    b.output("y", {1, 4});
    return b;
}

// A branch holding an If whose then_branch nests `depth - 1` further Ifs (else branches are leaves);
// the innermost branch holds one Identity.
onnx::GraphProto nestedBranch(int depth, int& counter)
{
    onnx::GraphProto g;
    g.set_name("branch" + std::to_string(counter++));
    auto* out = g.add_output();
    out->set_name("b" + std::to_string(counter));
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    auto* n = g.add_node();
    if (depth == 0) {
        n->set_op_type("Identity");
        n->add_input("x");
    } else {
        n->set_op_type("If");
        n->add_input("cond");
        auto* thenBranch = n->add_attribute();
        thenBranch->set_name("then_branch");
        thenBranch->set_type(onnx::AttributeProto::GRAPH);
        *thenBranch->mutable_g() = nestedBranch(depth - 1, counter);
        auto* elseBranch = n->add_attribute(); // a leaf: nesting grows linearly, not as 2^depth
        elseBranch->set_name("else_branch");
        elseBranch->set_type(onnx::AttributeProto::GRAPH);
        *elseBranch->mutable_g() = nestedBranch(0, counter);
    }
    n->set_name("n" + std::to_string(counter));
    n->add_output(out->name());
    return g;
}

onnx::ModelProto nestedIfModel(int depth)
{
    ModelBuilder b;
    b.input("x", {1, 4}).input("cond", {}, onnx::TensorProto::BOOL).output("y");
    b.node("Identity", {"x"}, {"y"}, {}, "", "top");
    onnx::ModelProto model = b.build();
    int counter = 0;
    auto* n = model.mutable_graph()->mutable_node(0);
    n->set_op_type("If");
    n->clear_input();
    n->add_input("cond");
    for (const char* name : {"then_branch", "else_branch"}) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::GRAPH);
        *a->mutable_g() = nestedBranch(std::string(name) == "then_branch" ? depth - 1 : 0, counter);
    }
    return model;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_F(LoaderLimits, FileSize)
{
    Limits limits;
    limits.maxFileBytes = 16;
    const std::string message = loadError(reluChain(2).build(), limits, "big.onnx");
    EXPECT_TRUE(contains(message, "big.onnx") && contains(message, "limit for model files")) << message;
}

TEST_F(LoaderLimits, FileSizeFromMemory)
{
    Limits limits;
    limits.maxFileBytes = 16;
    const std::string bytes = reluChain(2).build().SerializeAsString();
    try {
        ModelDocument::loadFromBytes(bytes, "memory.onnx", {}, limits);
        ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "memory.onnx") && contains(e.what(), "limit")) << e.what();
    }
    // Within the limit the same bytes load, as load() would.
    EXPECT_EQ(ModelDocument::loadFromBytes(bytes, "memory.onnx")->graph().nodeCount(), 2);
}

TEST_F(LoaderLimits, NodeCount)
{
    Limits limits;
    limits.maxNodes = 5;
    const std::string message = loadError(reluChain(6).build(), limits);
    EXPECT_TRUE(contains(message, "6 nodes") && contains(message, "limit of 5")) << message;
    EXPECT_NO_THROW(ModelDocument::load(write("ok.onnx", reluChain(5).build()), limits));
}

TEST_F(LoaderLimits, NodeCountIncludesSubgraphs)
{
    Limits limits;
    limits.maxNodes = 4; // the top-level If, then 2 nested Ifs and 4 leaf Identities in the branches
    const std::string message = loadError(nestedIfModel(3), limits);
    EXPECT_TRUE(contains(message, "more than 4 nodes") && contains(message, "subgraphs")) << message;
}

TEST_F(LoaderLimits, SubgraphNesting)
{
    Limits limits;
    limits.maxRecursionDepth = 40; // protobuf nesting: ~3 levels per subgraph, so the parser lets 8 through
    try {
        ModelDocument::fromProto(nestedIfModel(8), {}, [] {
            Limits l;
            l.maxRecursionDepth = 5;
            return l;
        }());
        ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "nested more than 5 levels")) << e.what();
    }
    // From a file, the protobuf parser's own depth limit (the same setting) stops deeper nesting first.
    const std::string message = loadError(nestedIfModel(20), limits, "deep.onnx");
    EXPECT_TRUE(contains(message, "deep.onnx") && contains(message, "nested more than 40 levels")) << message;
}

TEST_F(LoaderLimits, InitializerElements)
{
    Limits limits;
    limits.maxTensorElements = 1000;
    ModelBuilder b = reluChain(1);
    b.initializer("weights", Tensor(DType::Float32, {64, 64}));
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "'weights'") && contains(message, "4096 elements") && contains(message, "1000"))
        << message;
}

TEST_F(LoaderLimits, InitializerRank)
{
    Limits limits;
    limits.maxRank = 8;
    ModelBuilder b = reluChain(1);
    b.initializer("deep", Tensor(DType::Float32, Shape(9, 1)));
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "'deep'") && contains(message, "rank 9")) << message;
}

TEST_F(LoaderLimits, DeclaredShapeElements)
{
    Limits limits;
    limits.maxTensorElements = 1000;
    ModelBuilder b;
    b.input("wide", {1000, 1000}).output("y", {1000, 1000});
    b.node("Relu", {"wide"}, {"y"}, {}, "", "relu");
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "tensor 'wide'") && contains(message, "1000000 elements")) << message;
}

TEST_F(LoaderLimits, DeclaredRank)
{
    Limits limits;
    limits.maxRank = 8;
    ModelBuilder b;
    b.input("x", std::vector<std::int64_t>(12, 1)).output("y");
    b.node("Relu", {"x"}, {"y"}, {}, "", "relu");
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "tensor 'x' has rank 12")) << message;
}

TEST_F(LoaderLimits, InferredShapeElements)
{
    // Nothing declares the big shape: shape inference computes it from Expand's constant shape.
    Limits limits;
    limits.maxTensorElements = 100'000;
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.initializer("shape", Tensor::fromInt64s({2}, {1000, 4}));
    b.node("Expand", {"x", "shape"}, {"big"}, {}, "", "expand");
    b.node("ReduceMax", {"big"}, {"y"}, {{"keepdims", std::int64_t(0)}}, "", "reduce");
    EXPECT_NO_THROW(ModelDocument::load(write("ok.onnx", b.build())));
    limits.maxTensorElements = 1000;
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "tensor 'big'") && contains(message, "4000 elements")) << message;
}

TEST_F(LoaderLimits, ExternalDataBytes)
{
    ModelBuilder b = reluChain(1);
    b.initializer("ext", Tensor(DType::Float32, {256}));
    onnx::ModelProto model = b.build();
    auto* init = model.mutable_graph()->mutable_initializer(0);
    init->clear_raw_data();
    init->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* location = init->add_external_data();
    location->set_key("location");
    location->set_value("ext.bin");
    std::ofstream(dir_ / "ext.bin", std::ios::binary) << std::string(1024, '\0');
    EXPECT_NO_THROW(ModelDocument::load(write("ok.onnx", model)));
    Limits limits;
    limits.maxExternalDataBytes = 1000;
    const std::string message = loadError(model, limits);
    EXPECT_TRUE(contains(message, "'ext'") && contains(message, "1024 bytes of external data")) << message;
    // The limit is on the sum: two 1024-byte tensors against a 1500-byte limit.
    *model.mutable_graph()->add_initializer() = *init;
    model.mutable_graph()->mutable_initializer(1)->set_name("ext2");
    limits.maxExternalDataBytes = 1500;
    const std::string sum = loadError(model, limits);
    EXPECT_TRUE(contains(sum, "'ext2'") && contains(sum, "external data to more than 1500")) << sum;
}

TEST_F(LoaderLimits, AttributeListElements)
{
    Limits limits;
    limits.maxAttributeElements = 1000;
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("Transpose", {"x"}, {"y"}, {{"perm", std::vector<std::int64_t>(5000, 0)}}, "", "shuffle");
    const std::string message = loadError(b.build(), limits);
    EXPECT_TRUE(contains(message, "node 'shuffle' (Transpose) attribute 'perm' has 5000 elements")) << message;
}

TEST_F(LoaderLimits, ConstantTensorAttribute)
{
    // A Constant node whose tensor is bigger than the element limit.
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("Constant", {}, {"c"}, {}, "", "const");
    b.node("Add", {"x", "c"}, {"y"}, {}, "", "add");
    onnx::ModelProto model = b.build();
    auto* a = model.mutable_graph()->mutable_node(0)->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    a->mutable_t()->add_dims(5000);
    a->mutable_t()->mutable_float_data()->Resize(5000, 0.0f);
    Limits limits;
    limits.maxTensorElements = 1000;
    const std::string message = loadError(model, limits);
    EXPECT_TRUE(contains(message, "node 'const' (Constant) attribute 'value'") && contains(message, "5000 elements"))
        << message;
}

TEST_F(LoaderLimits, ConstantTensorWithoutDataAllocatesNothing)
{
    // 2^31 declared elements and no data: refused from the counts, before anything is allocated
    // (with the default limits this used to allocate 8 GB in the constant evaluator).
    ModelBuilder b;
    b.input("x", {1}).output("y");
    b.node("Constant", {}, {"c"}, {}, "", "const");
    b.node("Add", {"x", "c"}, {"y"}, {}, "", "add");
    onnx::ModelProto model = b.build();
    auto* a = model.mutable_graph()->mutable_node(0)->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    a->mutable_t()->add_dims(std::int64_t(1) << 31);
    const std::string message = loadError(model, Limits::defaults());
    EXPECT_TRUE(contains(message, "node 'const' (Constant) attribute 'value'") && contains(message, "float_data holds 0"))
        << message;
}
