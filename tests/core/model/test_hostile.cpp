// Hostile and broken files: each gives an Error whose message names the problem (file, node or
// tensor), never a crash or a hang.
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"
#include "core/util/error.h"
#include "support/testdata.h"

#include <fstream>
#include <gtest/gtest.h>
#include <random>

using namespace qs;

namespace {

class Hostile : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_ = std::filesystem::temp_directory_path()
            / ("qs-hostile-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path write(const std::string& name, const std::string& bytes)
    {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    std::filesystem::path write(const std::string& name, const onnx::ModelProto& model)
    {
        return write(name, model.SerializeAsString());
    }

    // Loads and returns the error message; fails the test if loading succeeds.
    std::string loadError(const std::filesystem::path& path)
    {
        try {
            ModelDocument::load(path);
        } catch (const Error& e) {
            return e.what();
        }
        ADD_FAILURE() << "loading " << path << " did not fail";
        return {};
    }

    std::filesystem::path dir_;
};

ModelBuilder reluModel()
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.node("Relu", {"x"}, {"y"}, {}, "", "relu");
    return b;
}

} // namespace

TEST_F(Hostile, EmptyFile)
{
    EXPECT_NE(loadError(write("empty.onnx", std::string())).find("empty.onnx is empty"), std::string::npos);
}

TEST_F(Hostile, MissingFileAndFolder)
{
    EXPECT_NE(loadError(dir_ / "nope.onnx").find("nope.onnx"), std::string::npos);
    EXPECT_NE(loadError(dir_).find("is a folder"), std::string::npos);
}

TEST_F(Hostile, TruncatedRealModel)
{
    std::ifstream in(test::model("tfc_w2a2.onnx"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    for (std::size_t cut : {bytes.size() / 2, bytes.size() - 1, std::size_t(7)}) {
        const std::string message = loadError(write("cut.onnx", bytes.substr(0, cut)));
        EXPECT_NE(message.find("cut.onnx"), std::string::npos) << message;
    }
}

TEST_F(Hostile, RandomBytes)
{
    std::mt19937 rng(1234);
    for (int round = 0; round < 20; ++round) {
        std::string bytes(1 + rng() % 4096, '\0');
        for (char& c : bytes)
            c = static_cast<char>(rng());
        const std::string message = loadError(write("random.onnx", bytes));
        EXPECT_NE(message.find("random.onnx"), std::string::npos) << message;
    }
}

TEST_F(Hostile, CycleIsNamed)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.node("Add", {"x", "c"}, {"a"}, {}, "", "first");
    b.node("Relu", {"a"}, {"c"}, {}, "", "second");
    b.node("Identity", {"a"}, {"y"}, {}, "", "out");
    const std::string message = loadError(write("cycle.onnx", b.build()));
    EXPECT_NE(message.find("cycle"), std::string::npos) << message;
    EXPECT_TRUE(message.find("'first'") != std::string::npos || message.find("'second'") != std::string::npos) << message;
}

TEST_F(Hostile, DanglingInputNamesNodeAndTensor)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y", {1, 4});
    b.node("Add", {"x", "ghost"}, {"y"}, {}, "", "adder");
    const std::string message = loadError(write("dangling.onnx", b.build()));
    EXPECT_NE(message.find("'adder'"), std::string::npos) << message;
    EXPECT_NE(message.find("'ghost'"), std::string::npos) << message;
}

TEST_F(Hostile, TwoProducersOfOneTensor)
{
    ModelBuilder b = reluModel();
    b.node("Relu", {"x"}, {"y"}, {}, "", "again");
    const std::string message = loadError(write("twice.onnx", b.build()));
    EXPECT_NE(message.find("'y' is produced twice"), std::string::npos) << message;
}

TEST_F(Hostile, AbsurdInitializerDimsWithLittleData)
{
    ModelBuilder b = reluModel();
    b.initializer("w", Tensor::fromFloats({2}, {1, 2}));
    auto model = b.build();
    auto* init = model.mutable_graph()->mutable_initializer(0);
    init->clear_dims();
    init->add_dims(std::int64_t(1) << 40);
    init->add_dims(std::int64_t(1) << 40);
    const std::string message = loadError(write("huge.onnx", model));
    EXPECT_NE(message.find("'w'"), std::string::npos) << message;
}

TEST_F(Hostile, OverflowingDeclaredInputShape)
{
    ModelBuilder b;
    b.input("x", {std::int64_t(1) << 40, std::int64_t(1) << 40}).output("y");
    b.node("Relu", {"x"}, {"y"});
    const std::string message = loadError(write("overflow.onnx", b.build()));
    EXPECT_NE(message.find("'x'"), std::string::npos) << message;
}

TEST_F(Hostile, WrongTypedInitializers)
{
    {
        ModelBuilder b = reluModel();
        b.initializer("s", Tensor::fromFloats({2}, {1, 2}));
        auto model = b.build();
        model.mutable_graph()->mutable_initializer(0)->set_data_type(onnx::TensorProto::STRING);
        const std::string message = loadError(write("string.onnx", model));
        EXPECT_NE(message.find("'s'"), std::string::npos) << message;
        EXPECT_NE(message.find("STRING"), std::string::npos) << message;
    }
    {
        // Declared FLOAT but the values sit in int64_data.
        ModelBuilder b = reluModel();
        auto model = b.build();
        auto* init = model.mutable_graph()->add_initializer();
        init->set_name("mixed");
        init->set_data_type(onnx::TensorProto::FLOAT);
        init->add_dims(2);
        init->add_int64_data(1);
        init->add_int64_data(2);
        const std::string message = loadError(write("mixed.onnx", model));
        EXPECT_NE(message.find("'mixed'"), std::string::npos) << message;
        EXPECT_NE(message.find("float_data"), std::string::npos) << message;
    }
    {
        // raw_data shorter than the dims promise.
        ModelBuilder b = reluModel();
        b.initializer("short", Tensor::fromFloats({4}, {1, 2, 3, 4}));
        auto model = b.build();
        model.mutable_graph()->mutable_initializer(0)->mutable_raw_data()->resize(5);
        const std::string message = loadError(write("short.onnx", model));
        EXPECT_NE(message.find("'short'"), std::string::npos) << message;
    }
}

TEST_F(Hostile, ExternalDataOutsideTheFolderIsRefused)
{
    // A secret next to (not inside) the model's folder.
    std::filesystem::create_directories(dir_ / "model");
    write("secret.bin", std::string(16, 'x'));
    for (const std::string& location : std::vector<std::string> {"../secret.bin", (dir_ / "secret.bin").string(), "sub/../../secret.bin"}) {
        ModelBuilder b = reluModel();
        b.initializer("w", Tensor::fromFloats({4}, {0, 0, 0, 0}));
        auto model = b.build();
        auto* init = model.mutable_graph()->mutable_initializer(0);
        init->clear_raw_data();
        init->set_data_location(onnx::TensorProto::EXTERNAL);
        auto* entry = init->add_external_data();
        entry->set_key("location");
        entry->set_value(location);
        const auto path = dir_ / "model" / "ext.onnx";
        std::ofstream(path, std::ios::binary) << model.SerializeAsString();
        const std::string message = loadError(path);
        EXPECT_NE(message.find("'w'"), std::string::npos) << message;
        EXPECT_TRUE(message.find("folder") != std::string::npos || message.find("absolute") != std::string::npos) << message;
    }
}

TEST_F(Hostile, DeeplyNestedProtobufIsRefused)
{
    // A chain of nested subgraph attributes deeper than the recursion limit.
    onnx::ModelProto model = reluModel().build();
    onnx::GraphProto* graph = model.mutable_graph();
    for (int depth = 0; depth < 200; ++depth) {
        auto* node = graph->add_node();
        node->set_op_type("If");
        auto* attr = node->add_attribute();
        attr->set_name("then_branch");
        attr->set_type(onnx::AttributeProto::GRAPH);
        graph = attr->mutable_g();
    }
    const std::string message = loadError(write("deep.onnx", model));
    EXPECT_NE(message.find("deep.onnx"), std::string::npos) << message;
}

TEST_F(Hostile, UnknownOpsLoadWithDiagnosticsInsteadOfFailing)
{
    ModelBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("FancyOp", {"x"}, {"y"}, {}, "com.example", "mystery");
    const auto doc = ModelDocument::load(write("unknown.onnx", b.build()));
    EXPECT_EQ(doc->graph().nodeCount(), 1);
    EXPECT_TRUE(doc->quantizers().empty());
}
