// The executor against onnxruntime (tests/ort/run_model.js) on seeded random inputs: every output must
// agree to 1e-5 relative to the largest reference magnitude. onnxruntime missing is a failure, never a
// skip: CI installs it with packaging/install-deps.sh.
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/tensorio/npy.h"
#include "support/testdata.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

using namespace qs;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-5;
constexpr std::uint64_t kSeed = 20240611;

struct Command {
    int exitCode = -1;
    std::string output; // stdout and stderr
};

Command runShell(const std::string& command)
{
    Command result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return result;
    std::array<char, 4096> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string quoted(const fs::path& p)
{
    return "'" + p.string() + "'";
}

// Same rule as qs::cli::safeFileName and run_model.js.
std::string safeFileName(const std::string& name)
{
    std::string s = name;
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '_';
    return s;
}

fs::path ortDir()
{
    return fs::path(QS_ORT_DIR);
}

// A fresh scratch folder per model, removed when the test ends.
struct ScratchDir {
    fs::path path;
    explicit ScratchDir(const std::string& tag)
        : path(fs::temp_directory_path() / ("qs-ort-parity-" + std::to_string(::getpid()) + "-" + tag))
    {
        fs::remove_all(path);
        fs::create_directories(path / "in");
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

struct OutputError {
    double maxAbsError = 0, maxAbsReference = 0, relative = 0;
};

OutputError compare(const Tensor& ours, const Tensor& reference)
{
    OutputError e;
    for (std::int64_t i = 0; i < reference.size(); ++i) {
        e.maxAbsReference = std::max(e.maxAbsReference, std::abs(reference.at(i)));
        e.maxAbsError = std::max(e.maxAbsError, std::abs(ours.at(i) - reference.at(i)));
    }
    e.relative = e.maxAbsError / std::max(e.maxAbsReference, 1e-30);
    return e;
}

// onnxruntime's outputs for `model` on `inputs`; "" on success, else run_model.js's message.
std::string runOnnxruntime(const fs::path& model, const std::map<std::string, Tensor>& inputs,
    const ScratchDir& dir, std::map<std::string, Tensor>& outputs)
{
    for (const auto& [name, tensor] : inputs)
        writeNpy(dir.path / "in" / (safeFileName(name) + ".npy"), tensor);
    const fs::path outDir = dir.path / "out";
    fs::remove_all(outDir);
    const Command r = runShell("node " + quoted(ortDir() / "run_model.js") + " " + quoted(model) + " "
        + quoted(dir.path / "in") + " " + quoted(outDir));
    if (r.exitCode != 0)
        return "exit " + std::to_string(r.exitCode) + ": " + r.output;
    for (const auto& entry : fs::directory_iterator(outDir))
        outputs.emplace(entry.path().stem().string(), readNpy(entry.path()));
    return "";
}

// Checks every output of ours on `inputs` against onnxruntime's on `ortModel`; prints one line per output.
void expectOutputsMatch(
    const std::string& tag, const RunResult& ours, const std::map<std::string, Tensor>& reference)
{
    ASSERT_EQ(ours.outputs.size(), reference.size());
    for (const auto& [name, tensor] : ours.outputs) {
        const auto ref = reference.find(safeFileName(name));
        ASSERT_NE(ref, reference.end()) << "onnxruntime wrote no output '" << name << "'";
        ASSERT_EQ(tensor->shape(), ref->second.shape()) << name;
        const OutputError e = compare(*tensor, ref->second);
        std::cout << "[parity] " << tag << " / " << name << " " << shapeToString(tensor->shape())
                  << ": max|ref| " << e.maxAbsReference << ", max|diff| " << e.maxAbsError << ", relative "
                  << e.relative << "\n";
        ::testing::Test::RecordProperty(tag + "/" + name, std::to_string(e.relative));
        EXPECT_LE(e.relative, kTolerance)
            << name << ": max|diff| " << e.maxAbsError << " vs max|ref| " << e.maxAbsReference;
    }
}

void expectParity(const fs::path& model)
{
    SCOPED_TRACE(model.string());
    const auto doc = ModelDocument::load(model);
    const auto inputs = randomInputs(*doc, kSeed);
    const ScratchDir dir(model.stem().string());
    std::map<std::string, Tensor> reference;
    const std::string error = runOnnxruntime(model, inputs, dir, reference);
    ASSERT_EQ(error, "") << "onnxruntime failed on " << model;
    expectOutputsMatch(model.stem().string(), Executor(*doc).run(inputs), reference);
}

// QCDQ exports that Clip int8 tensors under opset 11 are spec-invalid (Clip takes integers from opset 12
// on), and onnxruntime refuses to load them; our loader accepts them. The documented alternative: a copy
// with the default-domain opset raised to 12. Every other op in these models (Q/DQ with per-tensor
// parameters, Conv, BatchNormalization, Relu, GlobalAveragePool, MatMul, Add, Mul, Sigmoid, Tanh) means
// the same under 11 and 12, so ours must give identical results on both, and onnxruntime's on the copy
// must match ours on the original.
void expectParityViaOpset12Copy(const fs::path& model)
{
    SCOPED_TRACE(model.string());
    const auto doc = ModelDocument::load(model);
    const auto inputs = randomInputs(*doc, kSeed);
    const ScratchDir dir(model.stem().string());
    std::map<std::string, Tensor> reference;
    const std::string rejected = runOnnxruntime(model, inputs, dir, reference);
    ASSERT_NE(rejected, "") << "onnxruntime now loads " << model << "; test it with expectParity";
    EXPECT_NE(rejected.find("tensor(int8)"), std::string::npos) << rejected;
    EXPECT_NE(rejected.find("Clip"), std::string::npos) << rejected;
    std::cout << "[parity] " << model.stem().string()
              << ": onnxruntime rejects the original (int8 Clip under "
              << "opset 11); comparing against an opset-12 copy\n";

    onnx::ModelProto proto = doc->proto();
    ASSERT_EQ(doc->opsetVersion(""), 11);
    for (auto& opset : *proto.mutable_opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            opset.set_version(12);
    const fs::path copyPath = dir.path / (model.stem().string() + "_opset12.onnx");
    ModelDocument::fromProto(std::move(proto), doc->folder())->save(copyPath);
    const auto copy = ModelDocument::load(copyPath);
    ASSERT_EQ(copy->opsetVersion(""), 12);

    const RunResult ours = Executor(*doc).run(inputs);
    const RunResult oursOnCopy = Executor(*copy).run(inputs);
    for (const auto& [name, tensor] : ours.outputs) {
        const Tensor& other = *oursOnCopy.outputs.at(name);
        ASSERT_EQ(tensor->shape(), other.shape());
        EXPECT_EQ(compare(*tensor, other).maxAbsError, 0.0) << name << " differs between opset 11 and 12";
    }
    reference.clear();
    const std::string error = runOnnxruntime(copyPath, inputs, dir, reference);
    ASSERT_EQ(error, "") << "onnxruntime failed on the opset-12 copy of " << model;
    expectOutputsMatch(model.stem().string() + " (opset-12 copy)", ours, reference);
}

// Batches above the declared static one (the executor's anyBatchSize; several images per Conv GEMM):
// onnxruntime gets a copy whose graph inputs and outputs have a symbolic first dim.
void expectParityAtBatch(const fs::path& model, std::int64_t batch)
{
    SCOPED_TRACE(model.string() + " at batch " + std::to_string(batch));
    const auto doc = ModelDocument::load(model);
    const auto inputs = randomInputs(*doc, kSeed, batch);
    const ScratchDir dir(model.stem().string() + "-batch");
    onnx::ModelProto proto = doc->proto();
    auto freeFirstDim = [](onnx::ValueInfoProto& v) {
        v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_param("batch");
    };
    for (auto& input : *proto.mutable_graph()->mutable_input())
        freeFirstDim(input);
    for (auto& output : *proto.mutable_graph()->mutable_output())
        freeFirstDim(output);
    proto.mutable_graph()->clear_value_info();
    const fs::path copyPath = dir.path / (model.stem().string() + "_free_batch.onnx");
    ModelDocument::fromProto(std::move(proto), doc->folder())->save(copyPath);

    std::map<std::string, Tensor> reference;
    const std::string error = runOnnxruntime(copyPath, inputs, dir, reference);
    ASSERT_EQ(error, "") << "onnxruntime failed on " << copyPath;
    RunOptions run;
    run.anyBatchSize = true;
    expectOutputsMatch(model.stem().string() + " (batch " + std::to_string(batch) + ")",
        Executor(*doc).run(inputs, run), reference);
}

fs::path sharedModel(const std::string& file)
{
    const fs::path shared = test::sharedModelsDir() / file;
    return fs::exists(shared) ? shared : fs::path();
}

} // namespace

TEST(OnnxruntimeParity, ReferenceIsInstalled)
{
    const Command node = runShell("node --version");
    ASSERT_EQ(node.exitCode, 0) << "node is not on PATH; run packaging/install-deps.sh: " << node.output;
    EXPECT_TRUE(fs::is_directory(ortDir() / "node_modules" / "onnxruntime-node"))
        << "onnxruntime-node is missing; run packaging/install-deps.sh (npm ci in " << ortDir() << ")";
    const Command version = runShell(
        "cd " + quoted(ortDir()) + " && node -p \"require('onnxruntime-node/package.json').version\"");
    ASSERT_EQ(version.exitCode, 0) << version.output;
    EXPECT_EQ(version.output, "1.30.0\n");
}

TEST(OnnxruntimeParity, RunModelRejectsBadUsage)
{
    const Command r = runShell("node " + quoted(ortDir() / "run_model.js") + " only-one-argument");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.output.find("usage"), std::string::npos) << r.output;
}

TEST(OnnxruntimeParity, MnistConvFloat)
{
    expectParity(test::model("mnist_conv_float.onnx"));
}

TEST(OnnxruntimeParity, EspcnBsd300Float)
{
    expectParity(test::model("espcn_bsd300_float.onnx"));
}

TEST(OnnxruntimeParity, EspcnBsd300FloatBatch8)
{
    expectParityAtBatch(test::model("espcn_bsd300_float.onnx"), 8);
}

TEST(OnnxruntimeParity, VwwMobilenet128Qcdq)
{
    expectParityViaOpset12Copy(test::model("vww_mobilenet128_qcdq.onnx"));
}

// The shared corpus sits beside the clone (CI always has it); without it these two have nothing to run.
TEST(OnnxruntimeParity, Cnn1dSubcnnQcdq)
{
    const fs::path model = sharedModel("cnn1d_subcnn_qcdq.onnx");
    if (model.empty())
        std::cout << "[parity] shared corpus not present: " << test::sharedModelsDir() << "\n";
    else
        expectParity(model);
}

TEST(OnnxruntimeParity, LstmCellQcdq)
{
    const fs::path model = sharedModel("lstm_cell_qcdq.onnx");
    if (model.empty())
        std::cout << "[parity] shared corpus not present: " << test::sharedModelsDir() << "\n";
    else
        expectParityViaOpset12Copy(model);
}
