#include "app/cli/commands.h"
#include "app/cli/inputfiles.h"
#include "app/cli/texttable.h"
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modeldocument.h"
#include "core/tensorio/npy.h"
#include "core/util/error.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>
#include <set>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qs::cli {
namespace {

struct LoadSample {
    double parseMs, indexMs, shapeMs, quantMs, totalMs;
    int nodes;
};

// Loads the model `repeats` times in a child process (so peak RSS is this model's alone) and returns
// the median timings plus the child's peak resident memory.
bool benchOne(const std::string& model, int repeats, LoadSample& median, long& peakKb, std::string& error)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        std::vector<LoadSample> samples;
        try {
            for (int r = 0; r < repeats; ++r) {
                const auto start = std::chrono::steady_clock::now();
                const auto doc = ModelDocument::load(model);
                const double total
                    = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                          .count();
                const auto& t = doc->timings();
                samples.push_back({t.parseMs, t.indexMs, t.shapeInferenceMs, t.quantizationMs, total,
                    doc->graph().nodeCount()});
            }
        } catch (const std::exception& e) {
            const std::string message = std::string("E") + e.what();
            (void)!write(fds[1], message.data(), message.size());
            _exit(1);
        }
        std::sort(samples.begin(), samples.end(), [](auto& a, auto& b) { return a.totalMs < b.totalMs; });
        const LoadSample m = samples[samples.size() / 2];
        (void)!write(fds[1], &m, sizeof m);
        _exit(0);
    }
    close(fds[1]);
    std::string buffer;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0)
        buffer.append(chunk, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    rusage usage {};
    wait4(pid, &status, 0, &usage);
    peakKb = usage.ru_maxrss;
    if (!buffer.empty() && buffer[0] == 'E') {
        error = buffer.substr(1);
        return false;
    }
    if (buffer.size() != sizeof(LoadSample))
        return false;
    std::memcpy(&median, buffer.data(), sizeof median);
    return true;
}

struct RunBenchOptions {
    std::vector<std::string> models;
    std::vector<std::int64_t> batches {1, 32};
    std::vector<int> threads {1, 2};
    bool ort = false;
    bool profile = false;
    int repeats = 10;
    std::uint64_t seed = 0;
    std::string ortDir;
};

// CPU time of the whole process (all threads): unlike wall time it does not grow when other processes
// take the cores, so comparisons stay meaningful on a busy machine.
double processCpuMs()
{
    timespec t {};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double medianOf(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// 2 * MACs of one sample over every Conv / ConvTranspose / Gemm / MatMul with known shapes (the
// layer's output shape without its first dim, times the dot-product length K); 0 when there is none.
double flopsPerSample(const ModelDocument& doc)
{
    double flops = 0;
    for (const Layer& layer : doc.layers()) {
        if (!layer.outputShape || layer.outputShape->empty() || !layer.dotProductLength)
            continue;
        double outputs = 1;
        for (std::size_t i = 1; i < layer.outputShape->size(); ++i)
            outputs *= static_cast<double>((*layer.outputShape)[i]);
        flops += 2.0 * outputs * static_cast<double>(*layer.dotProductLength);
    }
    return flops;
}

// tests/ort beside the sources: --ort-dir, else $QS_ORT_DIR, else the first ancestor of the executable
// or of the working directory that has tests/ort/run_model.js.
std::filesystem::path findOrtDir(const std::string& given)
{
    namespace fs = std::filesystem;
    if (!given.empty())
        return given;
    if (const char* env = std::getenv("QS_ORT_DIR"))
        return env;
    std::error_code ec;
    for (fs::path start : {fs::read_symlink("/proc/self/exe", ec).parent_path(), fs::current_path(ec)})
        for (fs::path p = start; !p.empty(); p = p.parent_path()) {
            if (fs::exists(p / "tests/ort/run_model.js"))
                return p / "tests/ort";
            if (p == p.parent_path())
                break;
        }
    throw Error("cannot find tests/ort/run_model.js; pass --ort-dir");
}

std::string shellQuote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// A temporary folder for one model's npy files and model copy, removed on scope exit.
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "qs-bench-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw Error("cannot create a temporary folder");
        path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// The model onnxruntime gets: the file itself when it can take it as is, else a copy that (1) has the
// default opset raised from 11 to 12 when an integer tensor is clipped (spec-invalid under 11, which
// onnxruntime refuses; no other op changes meaning between 11 and 12 in such QCDQ exports), (2) no
// longer lists initializers as graph inputs (onnxruntime would not constant-fold them), and (3) has a
// symbolic first dim on graph inputs and outputs when `freeBatch` (onnxruntime rejects another batch
// than a static one), without the stale intermediate shapes. `note` says what was changed.
std::filesystem::path ortModel(
    const ModelDocument& doc, bool freeBatch, const std::filesystem::path& dir, std::string& note)
{
    std::vector<std::string> changes;
    onnx::ModelProto copy = doc.proto();
    onnx::GraphProto& graph = *copy.mutable_graph();

    bool intClip = false;
    for (NodeId id = 0; id < doc.graph().nodeCount(); ++id) {
        const NodeInfo& node = doc.node(id);
        if (node.opType == "Clip" && node.domain.empty() && !node.inputs.empty() && node.inputs[0] >= 0) {
            const int type = doc.tensor(node.inputs[0]).elemType;
            intClip = intClip || type == onnx::TensorProto::INT8 || type == onnx::TensorProto::UINT8;
        }
    }
    if (intClip && doc.opsetVersion("") == 11) {
        for (auto& opset : *copy.mutable_opset_import())
            if (opset.domain().empty() || opset.domain() == "ai.onnx")
                opset.set_version(12);
        changes.push_back("opset 11->12 (int8 Clip)");
    }

    std::set<std::string> initializers;
    for (const auto& init : graph.initializer())
        initializers.insert(init.name());
    auto& inputs = *graph.mutable_input();
    const auto kept = std::remove_if(inputs.begin(), inputs.end(),
        [&](const onnx::ValueInfoProto& v) { return initializers.count(v.name()) > 0; });
    if (kept != inputs.end()) {
        inputs.erase(kept, inputs.end());
        changes.push_back("initializers dropped from graph inputs");
    }

    if (freeBatch) {
        auto freeFirstDim = [](onnx::ValueInfoProto& v) {
            if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()
                && v.type().tensor_type().shape().dim_size() > 0)
                v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_param(
                    "batch");
        };
        for (auto& input : inputs)
            freeFirstDim(input);
        for (auto& output : *graph.mutable_output())
            freeFirstDim(output);
        graph.clear_value_info();
        changes.push_back("symbolic batch dim");
    }
    note.clear();
    for (const std::string& c : changes)
        note += (note.empty() ? "" : ", ") + c;
    if (changes.empty())
        return doc.path();
    const std::filesystem::path target = dir / (freeBatch ? "ort_free_batch.onnx" : "ort.onnx");
    ModelDocument::fromProto(std::move(copy), doc.folder())->save(target);
    return target;
}

struct OrtTiming {
    double medianMs = 0;
    double medianCpuMs = 0;
    double relativeError = -1; // max |ours - ort| / max |ort| over all outputs
    std::string error;
};

OrtTiming runOrt(const std::filesystem::path& ortDir, const std::filesystem::path& model,
    const std::filesystem::path& inDir, const std::filesystem::path& outDir, int threads, int repeats,
    const RunResult& ours)
{
    OrtTiming t;
    const std::string command = "node " + shellQuote((ortDir / "run_model.js").string()) + " "
        + shellQuote(model.string()) + " " + shellQuote(inDir.string()) + " " + shellQuote(outDir.string())
        + " --threads " + std::to_string(threads) + " --repeat " + std::to_string(repeats) + " 2>&1";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        t.error = "cannot start node";
        return t;
    }
    std::array<char, 4096> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        t.error = output.substr(0, output.find('\n'));
        return t;
    }
    try {
        const nlohmann::json timing = nlohmann::json::parse(output.substr(output.rfind('{')));
        t.medianMs = timing.at("median_ms").get<double>();
        t.medianCpuMs = timing.at("median_cpu_ms").get<double>();
        double maxRef = 0, maxDiff = 0;
        for (const auto& [name, tensor] : ours.outputs) {
            const Tensor ref = readNpy(outDir / (safeFileName(name) + ".npy"));
            if (ref.shape() != tensor->shape())
                throw Error("output '" + name + "' has shape " + shapeToString(ref.shape()));
            for (std::int64_t i = 0; i < ref.size(); ++i) {
                maxRef = std::max(maxRef, std::abs(ref.at(i)));
                maxDiff = std::max(maxDiff, std::abs(ref.at(i) - tensor->at(i)));
            }
        }
        t.relativeError = maxDiff / std::max(maxRef, 1e-30);
    } catch (const std::exception& e) {
        t.error = std::string("unexpected onnxruntime output: ") + e.what();
    }
    return t;
}

// Mean time per op type over `repeats` runs, from the executor's per-node progress calls (each call
// marks the end of the previous node), largest first: "Conv 1.2 ms (60%), Relu ...".
std::string profileByOp(const ModelDocument& doc, const Executor& executor,
    const std::map<std::string, Tensor>& inputs, const RunOptions& run, int repeats)
{
    using Clock = std::chrono::steady_clock;
    const std::vector<NodeId>& order = doc.graph().topologicalOrder();
    std::map<std::string, double> byOp;
    double total = 0;
    for (int r = 0; r < repeats; ++r) {
        std::int64_t previous = -1;
        Clock::time_point mark = Clock::now();
        auto record = [&](std::int64_t step) {
            const Clock::time_point now = Clock::now();
            if (previous >= 0) {
                const double ms = std::chrono::duration<double, std::milli>(now - mark).count();
                byOp[doc.node(order[static_cast<std::size_t>(previous)]).opType] += ms;
                total += ms;
            }
            previous = step;
            mark = now;
        };
        const Progress progress([&](std::int64_t done, std::int64_t, std::string_view) { record(done); });
        executor.run(inputs, run, &progress);
        record(-1);
    }
    std::vector<std::pair<std::string, double>> sorted(byOp.begin(), byOp.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string text;
    for (const auto& [op, ms] : sorted)
        text += (text.empty() ? "" : ", ") + op + " " + formatNumber(ms / repeats, 3) + " ms ("
            + formatNumber(100.0 * ms / std::max(total, 1e-9), 2) + "%)";
    return text;
}

void benchRun(const RunBenchOptions& o)
{
    const std::filesystem::path ortDir = o.ort ? findOrtDir(o.ortDir) : std::filesystem::path();
    std::vector<std::string> header {"model", "batch", "threads", "ours ms", "ours cpu ms"};
    if (o.ort)
        header.insert(header.end(), {"ort ms", "ort cpu ms", "ours/ort"});
    header.push_back("GFLOP/s");
    if (o.ort)
        header.insert(header.end(), {"ort GFLOP/s", "max rel diff"});
    TextTable table(header);
    std::set<std::string> notes;
    std::vector<std::string> profiles;
    for (const std::string& model : o.models) {
        const std::string name = std::filesystem::path(model).filename().string();
        std::unique_ptr<ModelDocument> doc;
        try {
            doc = ModelDocument::load(model);
        } catch (const std::exception& e) {
            table.addRow({name, "error: " + std::string(e.what())});
            continue;
        }
        const double flops = flopsPerSample(*doc);
        const TempDir tmp;
        for (const std::int64_t batch : o.batches) {
            const std::string batchText = std::to_string(batch);
            std::map<std::string, Tensor> inputs;
            std::unique_ptr<Executor> probe;
            RunOptions run;
            run.anyBatchSize = true;
            RunResult first;
            try {
                inputs = randomInputs(*doc, o.seed, batch);
                probe = std::make_unique<Executor>(*doc);
                first = probe->run(inputs, run);
            } catch (const std::exception& e) {
                // A graph that hard-codes its batch (a Reshape to [1, 784]) cannot run another one.
                const bool staticBatch = std::any_of(inputs.begin(), inputs.end(), [&](const auto& in) {
                    const auto id = doc->graph().findTensor(in.first);
                    const auto& dims = doc->tensor(*id).dims;
                    return dims && !dims->empty() && (*dims)[0].isKnown() && (*dims)[0].value != batch;
                });
                table.addRow({name, batchText, "-",
                    staticBatch ? "n/a (static batch)" : "error: " + std::string(e.what())});
                continue;
            }
            const std::filesystem::path inDir = tmp.path / ("in-" + batchText),
                                        outDir = tmp.path / ("out-" + batchText);
            std::filesystem::path ortPath;
            if (o.ort) {
                std::filesystem::create_directories(inDir);
                for (const auto& [inputName, tensor] : inputs)
                    writeNpy(inDir / (safeFileName(inputName) + ".npy"), tensor);
                bool declaredBatch = true;
                for (TensorId id : doc->graph().graphInputs()) {
                    const auto& dims = doc->tensor(id).dims;
                    declaredBatch = declaredBatch
                        && (!dims || dims->empty() || !(*dims)[0].isKnown() || (*dims)[0].value == batch);
                }
                std::string note;
                ortPath = ortModel(*doc, !declaredBatch, tmp.path, note);
                if (!note.empty())
                    notes.insert(name + ": onnxruntime ran a copy (" + note + ")");
            }
            for (const int threads : o.threads) {
                ExecutorOptions options;
                options.threads = threads;
                const Executor executor(*doc, options);
                std::vector<double> samples, cpuSamples;
                for (int r = 0; r < o.repeats + 2; ++r) {
                    const double cpu0 = processCpuMs();
                    const auto start = std::chrono::steady_clock::now();
                    executor.run(inputs, run);
                    const double ms
                        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                              .count();
                    if (r >= 2) { // two warm-ups
                        samples.push_back(ms);
                        cpuSamples.push_back(processCpuMs() - cpu0);
                    }
                }
                const double ours = medianOf(samples), oursCpu = medianOf(cpuSamples);
                if (o.profile)
                    profiles.push_back(name + " batch " + batchText + " threads " + std::to_string(threads)
                        + ": " + profileByOp(*doc, executor, inputs, run, o.repeats));
                auto gflops = [&](double ms) {
                    return flops > 0 ? formatNumber(flops * static_cast<double>(batch) / ms / 1e6, 3)
                                     : std::string("-");
                };
                std::vector<std::string> row {name, batchText, std::to_string(threads), formatNumber(ours, 4),
                    formatNumber(oursCpu, 4)};
                if (!o.ort) {
                    row.push_back(gflops(ours));
                } else {
                    const OrtTiming t = runOrt(ortDir, ortPath, inDir, outDir, threads, o.repeats, first);
                    if (!t.error.empty()) {
                        row.insert(row.end(), {"error", "-", "-", gflops(ours), "-", t.error});
                    } else {
                        row.insert(row.end(),
                            {formatNumber(t.medianMs, 4), formatNumber(t.medianCpuMs, 4),
                                formatNumber(ours / t.medianMs, 3), gflops(ours), gflops(t.medianMs),
                                formatNumber(t.relativeError, 2)});
                    }
                }
                table.addRow(std::move(row));
            }
        }
    }
    table.print(std::cout);
    for (const std::string& note : notes)
        std::cout << note << "\n";
    for (const std::string& line : profiles)
        std::cout << line << "\n";
    std::cout << "median of " << o.repeats
              << " runs after 2 warm-ups (wall time; cpu = process CPU time, all threads); GFLOP/s from wall "
                 "time, counting 2 x MACs of Conv/ConvTranspose/Gemm/MatMul\n";
}

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto models = std::make_shared<std::vector<std::string>>();
    auto repeats = std::make_shared<int>(5);
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print numbers");
    bench->require_subcommand(1);
    CLI::App* load
        = bench->add_subcommand("load", "Load + index + shape inference time and peak memory per model");
    load->add_option("models", *models, "ONNX model files")->required();
    load->add_option("--repeat", *repeats, "Loads per model (the median is shown)")
        ->check(CLI::Range(1, 100));
    load->callback([models, repeats] {
        TextTable table(
            {"model", "nodes", "parse ms", "index ms", "shapes ms", "quant ms", "total ms", "peak RSS MB"});
        for (const std::string& model : *models) {
            LoadSample s {};
            long peakKb = 0;
            std::string error;
            const std::string name = model.substr(model.find_last_of('/') + 1);
            if (!benchOne(model, *repeats, s, peakKb, error)) {
                table.addRow({name, "error: " + error});
                continue;
            }
            table.addRow({name, std::to_string(s.nodes), formatNumber(s.parseMs, 3),
                formatNumber(s.indexMs, 3), formatNumber(s.shapeMs, 3), formatNumber(s.quantMs, 3),
                formatNumber(s.totalMs, 3), formatNumber(static_cast<double>(peakKb) / 1024.0, 3)});
        }
        table.print(std::cout);
    });

    auto o = std::make_shared<RunBenchOptions>();
    CLI::App* run
        = bench->add_subcommand("run", "Inference latency of the executor (and onnxruntime with --ort)");
    run->add_option("models", o->models, "ONNX model files")->required();
    run->add_option("--batch", o->batches, "Batch sizes, comma-separated (default 1,32)")
        ->delimiter(',')
        ->check(CLI::Range(1, 4096));
    run->add_option("--threads", o->threads, "Thread counts, comma-separated (default 1,2)")
        ->delimiter(',')
        ->check(CLI::Range(1, 64));
    run->add_flag("--ort", o->ort, "Also time onnxruntime (tests/ort/run_model.js) on the same inputs");
    run->add_flag("--profile", o->profile, "Also print the executor's time per op type");
    run->add_option("--ort-dir", o->ortDir, "Folder of run_model.js (default: found beside the sources)");
    run->add_option("--repeat", o->repeats, "Timed runs per configuration (the median is shown)")
        ->check(CLI::Range(1, 1000));
    run->add_option("--random", o->seed, "Seed for the random inputs (default 0)");
    run->callback([o] { benchRun(*o); });
}

} // namespace qs::cli
