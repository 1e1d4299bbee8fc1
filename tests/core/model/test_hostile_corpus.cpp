// Regression corpus from fuzzing: every file in tests/data/hostile once crashed, hung or exhausted
// memory in a fuzz target (tests/fuzz; README.md there says which and what was fixed). Each must now
// end in a clean qs::Error — from loading, the static analyses or a run — and never in a crash or any
// other exception. Files named ok-* are valid inputs that used to crash: they must go through.
#include "core/analysis/accumulatoranalysis.h"
#include "core/analysis/inferencecost.h"
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"
#include "core/tensorio/npy.h"
#include "core/util/error.h"
#include "support/testdata.h"

#include <fstream>
#include <gtest/gtest.h>
#include <iostream>

using namespace qs;

namespace {

std::vector<std::filesystem::path> hostileFiles()
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::dataDir() / "hostile"))
        if (entry.is_regular_file() && entry.path().extension() != ".md")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Moderate limits, as the fuzz targets use: a file that slips past one limit hits another long before
// it can exhaust memory.
Limits testLimits()
{
    Limits limits;
    limits.maxTensorElements = std::int64_t(1) << 24;
    limits.maxTensorBytes = std::int64_t(64) << 20;
    return limits;
}

// Runs the whole pipeline on a model file; returns the first qs::Error's message, or "" if it went through.
std::string modelPipeline(const std::filesystem::path& path)
{
    const Limits limits = testLimits();
    try {
        auto doc = ModelDocument::load(path, limits);
        (void)doc->layers();
        (void)computeInferenceCost(*doc);
        (void)analyzeAccumulators(*doc, AccumulatorOptions {}, nullptr);
        ExecutorOptions options;
        options.limits = limits;
        Executor executor(*doc, options);
        (void)executor.run(randomInputs(*doc, 7));
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

std::string tensorFile(const std::filesystem::path& path)
{
    try {
        if (path.extension() == ".npz")
            (void)readNpz(path);
        else
            (void)readNpy(path);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

class HostileCorpus : public ::testing::TestWithParam<std::filesystem::path> { };

} // namespace

// onnx 1.12's ConvTranspose shape inference crashed on a weight of rank < 3 (fuzzing); the loader now
// runs it only where the inferred ranks are safe. A well-formed ConvTranspose still gets its shape.
TEST(HostileCorpusFixes, ConvTransposeShapesStillInferred)
{
    ModelBuilder b;
    b.input("x", {1, 2, 4, 4}).output("y");
    b.initializer("w", Tensor(DType::Float32, {2, 3, 3, 3}));
    b.node("Relu", {"x"}, {"r"}, {}, "", "relu"); // X's shape is inferred, not declared
    b.node("ConvTranspose", {"r", "w"}, {"y"}, {}, "", "up");
    const auto doc = ModelDocument::fromProto(b.build());
    EXPECT_EQ(doc->tensor(*doc->graph().findTensor("y")).shapeString(), "[1,3,6,6]");
}

TEST(HostileCorpusFixes, ConvTransposeWithRank2WeightLoads)
{
    ModelBuilder b;
    b.input("x", {1, 2, 4, 4}).output("y");
    b.initializer("w", Tensor(DType::Float32, {2, 3}));
    b.node("Relu", {"x"}, {"r"}, {}, "", "relu");
    b.node("ConvTranspose", {"r", "w"}, {"y"}, {}, "", "up");
    const auto doc = ModelDocument::fromProto(b.build()); // used to crash inside onnx
    EXPECT_EQ(doc->tensor(*doc->graph().findTensor("y")).shapeString(), "?");
}

// onnx 1.12's Conv shape inference read out of bounds when W's rank exceeds X's (fuzzing); the loader
// refuses that pair before onnx indexes with it. A well-formed Conv still gets its shape.
TEST(HostileCorpusFixes, ConvShapesStillInferred)
{
    ModelBuilder b;
    b.input("x", {1, 2, 5, 5}).output("y");
    b.initializer("w", Tensor(DType::Float32, {4, 2, 3, 3}));
    b.node("Relu", {"x"}, {"r"}, {}, "", "relu");
    b.node("Conv", {"r", "w"}, {"y"}, {}, "", "conv");
    const auto doc = ModelDocument::fromProto(b.build());
    EXPECT_EQ(doc->tensor(*doc->graph().findTensor("y")).shapeString(), "[1,4,3,3]");
}

TEST(HostileCorpusFixes, ConvWithWeightRankAboveInputLoads)
{
    for (const Shape& weight : {Shape {3, 2, 1, 1}, Shape {3, 2}, Shape {}}) {
        ModelBuilder b;
        b.input("x", {1, 2, 4}).output("y");
        b.initializer("w", Tensor(DType::Float32, weight));
        b.node("Relu", {"x"}, {"r"}, {}, "", "relu");
        b.node("Conv", {"r", "w"}, {"y"}, {}, "", "conv");
        const auto doc = ModelDocument::fromProto(b.build()); // used to read out of bounds inside onnx
        EXPECT_EQ(doc->tensor(*doc->graph().findTensor("y")).shapeString(), "?") << shapeToString(weight);
    }
}

TEST(HostileCorpusFolder, HoldsRegressionFiles)
{
    EXPECT_GE(hostileFiles().size(), 1u);
}

TEST_P(HostileCorpus, CleanErrorNoCrash)
{
    const std::filesystem::path& path = GetParam();
    const bool mustPass = path.filename().string().rfind("ok-", 0) == 0;
    std::string message;
    const std::string ext = path.extension().string();
    ASSERT_NO_THROW(message = (ext == ".npy" || ext == ".npz") ? tensorFile(path) : modelPipeline(path))
        << path.filename() << " threw something other than qs::Error";
    std::cout << "    " << path.filename().string() << ": " << (message.empty() ? "accepted" : message)
              << "\n";
    if (mustPass) {
        EXPECT_EQ(message, "") << path.filename();
    } else {
        EXPECT_NE(message, "") << path.filename() << " was accepted";
        // One line that says something; the model loader names the file.
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

INSTANTIATE_TEST_SUITE_P(Files, HostileCorpus, ::testing::ValuesIn(hostileFiles()),
    [](const ::testing::TestParamInfo<std::filesystem::path>& file) {
        std::string name = file.param.filename().string();
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        return name;
    });
