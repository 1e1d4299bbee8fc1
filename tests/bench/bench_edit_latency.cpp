// Edit-to-updated-analysis latency: per model, the full analyzeModel(), an AnalysisSession's first
// (full) analyze(), and its incremental analyze() after setting the weight quantizer of the first,
// middle and last compute layer to 4 bits (3 if it has 4) on a snapshot copy, as the GUI does after
// an edit. Median
// of 5 runs, wall clock and CPU time of the process. Prints a table; not a test.
#include "core/analysis/analysissession.h"
#include "core/edit/quantizeredit.h"
#include "support/modeledits.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

using namespace qs;

namespace {

struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

double cpuNowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Median of `repeats` timings of `measured`, each after an untimed `prepare`.
Timing median(int repeats, const std::function<void()>& prepare, const std::function<void()>& measured)
{
    std::vector<double> wall, cpu;
    for (int r = 0; r < repeats; ++r) {
        prepare();
        const double cpuStart = cpuNowMs();
        const auto start = std::chrono::steady_clock::now();
        measured();
        wall.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        cpu.push_back(cpuNowMs() - cpuStart);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

void printRow(const std::string& model, const std::string& what, const Timing& t, const std::string& nodes)
{
    std::printf(
        "%-30s %-30s %10.1f %10.1f %12s\n", model.c_str(), what.c_str(), t.wallMs, t.cpuMs, nodes.c_str());
}

struct BenchOptions {
    std::int64_t batch = 16;
    int threads = 1;
    int repeats = 5;
    bool full = true; // also time analyzeModel and the first analyze
    std::string edits = "first,middle,last";
};

void benchModel(const std::string& path, const BenchOptions& bench)
{
    const std::int64_t batch = bench.batch;
    const int threads = bench.threads;
    const int repeats = bench.repeats;
    const std::string name = std::filesystem::path(path).stem().string();
    const auto loaded = ModelDocument::load(path);
    const std::shared_ptr<const ModelDocument> base = test::copyOf(*loaded);
    AnalysisOptions options;
    options.batch = batch;
    options.threads = threads;

    ModelAnalysis last;
    if (bench.full) {
        const Timing full = median(
            repeats, [] {}, [&] { last = analyzeModel(*base, options); });
        printRow(name, "analyzeModel (full)", full, std::to_string(last.recomputedNodes));
        const Timing first = median(
            repeats, [] {},
            [&] {
                AnalysisSession session(options);
                last = session.analyze(base);
            });
        printRow(name, "session: first analyze", first, std::to_string(last.recomputedNodes));
    }

    const std::vector<const Layer*> layers = test::weightQuantizedLayers(*base);
    if (layers.empty()) {
        std::printf("%-30s (no layer with a quantized weight)\n", name.c_str());
        return;
    }
    const std::pair<const char*, const Layer*> targets[]
        = {{"first", layers.front()}, {"middle", layers[layers.size() / 2]}, {"last", layers.back()}};
    AnalysisSession session(options);
    for (const auto& target : targets) {
        const char* const where = target.first;
        const Layer* const layer = target.second; // a plain variable: clang 14 cannot capture bindings
        if (bench.edits.find(where) == std::string::npos)
            continue;
        // 4 bits, or 3 where the weight already has 4 (an edit that changes nothing is no edit).
        const auto& bits = base->quantizers()[static_cast<std::size_t>(layer->weightQuantizer)].bitWidth;
        QuantizerEdit otherBits;
        otherBits.bitWidth = bits && *bits == 4.0 ? 3.0 : 4.0;
        std::shared_ptr<const ModelDocument> edited;
        const Timing edit = median(
            repeats, [] {},
            [&] {
                auto copy = test::copyOf(*base);
                editQuantizer(*copy, layer->weightQuantizer, otherBits);
                edited = std::move(copy);
            });
        const Timing incremental = median(
            repeats, [&] { session.analyze(base); }, [&] { last = session.analyze(edited); });
        const std::string label = std::string("edit ") + where + " '" + layer->name.substr(0, 18) + "'";
        printRow(name, label + " snapshot+edit", edit, "");
        printRow(name, label + " incremental", incremental,
            std::to_string(last.recomputedNodes) + (last.incremental ? "" : " (full)"));
    }
}

} // namespace

int main(int argc, char** argv)
{
    BenchOptions bench;
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--batch" && i + 1 < argc)
            bench.batch = std::stoll(argv[++i]);
        else if (arg == "--threads" && i + 1 < argc)
            bench.threads = std::stoi(argv[++i]);
        else if (arg == "--repeats" && i + 1 < argc)
            bench.repeats = std::max(1, std::stoi(argv[++i]));
        else if (arg == "--edits" && i + 1 < argc)
            bench.edits = argv[++i];
        else if (arg == "--no-full")
            bench.full = false;
        else
            models.push_back(arg);
    }
    if (models.empty()) {
        std::fprintf(stderr,
            "usage: bench_edit_latency [--batch N] [--threads N] [--repeats N] [--no-full] "
            "[--edits first,middle,last] MODEL...\n");
        return 2;
    }
    std::printf("batch %lld, threads %d, median of %d\n", static_cast<long long>(bench.batch), bench.threads,
        bench.repeats);
    std::printf("%-30s %-30s %10s %10s %12s\n", "model", "step", "wall ms", "cpu ms", "nodes run");
    for (const std::string& path : models) {
        try {
            benchModel(path, bench);
        } catch (const std::exception& e) {
            std::printf("%-30s error: %s\n", path.c_str(), e.what());
        }
    }
    return 0;
}
