#include "app/cli/commands.h"
#include "app/cli/imageinputs.h"
#include "app/cli/inputfiles.h"
#include "app/cli/texttable.h"
#include "core/exec/executor.h"
#include "core/tensorio/npy.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

struct RunCommandOptions {
    std::string model;
    std::vector<std::string> inputs;
    ImageInputArgs images;
    std::uint64_t seed = 0;
    std::int64_t batch = 0;
    bool floatShadow = false;
    bool float64 = false;
    int threads = 1;
    std::string dumpDir;
    std::string outDir;
};

void summarize(TextTable& table, const std::string& name, const Tensor& t)
{
    double lo = 0, hi = 0, sum = 0;
    for (std::int64_t i = 0; i < t.size(); ++i) {
        const double v = t.at(i);
        lo = i == 0 ? v : std::min(lo, v);
        hi = i == 0 ? v : std::max(hi, v);
        sum += v;
    }
    table.addRow({name, shapeToString(t.shape()), dtypeName(t.dtype()), formatNumber(lo, 6),
        formatNumber(hi, 6), formatNumber(t.size() ? sum / static_cast<double>(t.size()) : 0.0, 6)});
}

template <class Map> void writeAll(const std::string& dir, const Map& tensors)
{
    std::filesystem::create_directories(dir);
    for (const auto& [name, tensor] : tensors)
        writeNpy(std::filesystem::path(dir) / (safeFileName(name) + ".npy"), *tensor);
}

void execute(const RunCommandOptions& o)
{
    const auto doc = ModelDocument::load(o.model);
    ExecutorOptions options;
    options.precision = o.float64 ? Precision::Float64 : Precision::Float32;
    options.threads = o.threads;
    const Executor executor(*doc, options);
    std::vector<std::string> files = o.inputs;
    auto images = loadImageInputs(*doc, files, o.images); // takes the image files out of `files`
    auto inputs = loadInputs(*doc, files, o.seed, o.batch);
    for (auto& [name, tensor] : images)
        inputs.insert_or_assign(name, std::move(tensor));
    RunOptions run;
    run.bypassAllQuantizers = o.floatShadow;
    run.captureAll = !o.dumpDir.empty();
    run.anyBatchSize = o.batch > 0 || !images.empty(); // the number of images is the batch
    const RunResult result = executor.run(inputs, run);

    TextTable table({"output", "shape", "dtype", "min", "max", "mean"});
    for (const auto& [name, tensor] : result.outputs)
        summarize(table, name, *tensor);
    table.print(std::cout);
    std::cout << "ran " << doc->graph().nodeCount() << " nodes in " << formatNumber(result.runMs, 4) << " ms"
              << (o.floatShadow ? " (float shadow: quantizers bypassed)" : "") << "\n";
    if (!o.outDir.empty())
        writeAll(o.outDir, result.outputs);
    if (!o.dumpDir.empty()) {
        writeAll(o.dumpDir, result.captured);
        writeAll(o.dumpDir, result.outputs);
    }
}

} // namespace

void addRunCommand(CLI::App& app)
{
    auto o = std::make_shared<RunCommandOptions>();
    CLI::App* cmd = app.add_subcommand("run", "Run the model with the reference executor");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option("--input", o->inputs,
        "NAME=FILE (.npy, .npz, .pb, or .png/.jpg images, NAME=a.png,b.png for a batch); repeatable; missing "
        "inputs are random");
    cmd->add_option("--random", o->seed, "Seed for random inputs (default 0)");
    cmd->add_option("--batch", o->batch, "Batch size for the first input dim (symbolic or not)")
        ->check(CLI::Range(1, 1 << 20));
    cmd->add_flag("--float", o->floatShadow, "Float shadow: bypass every quantizer");
    cmd->add_flag("--f64", o->float64, "Compute in float64 instead of QONNX's float32 steps");
    cmd->add_option("--threads", o->threads, "Threads for Conv/MatMul/Gemm")->check(CLI::Range(1, 64));
    cmd->add_option("--dump", o->dumpDir, "Write every intermediate tensor as .npy into DIR");
    cmd->add_option("-o,--output-dir", o->outDir, "Write each graph output as .npy into DIR");
    addImageOptions(cmd, o->images);
    cmd->callback([o] { execute(*o); });
}

} // namespace qs::cli
