#include "app/cli/commands.h"


#include "app/cli/texttable.h"
#include "core/model/modeldocument.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <memory>
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
                const double total =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto models = std::make_shared<std::vector<std::string>>();
    auto repeats = std::make_shared<int>(5);
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print numbers");
    bench->require_subcommand(1);
    CLI::App* load = bench->add_subcommand("load", "Load + index + shape inference time and peak memory per model");
    load->add_option("models", *models, "ONNX model files")->required();
    load->add_option("--repeat", *repeats, "Loads per model (the median is shown)")->check(CLI::Range(1, 100));
    load->callback([models, repeats] {
        TextTable table({"model", "nodes", "parse ms", "index ms", "shapes ms", "quant ms", "total ms", "peak RSS MB"});
        for (const std::string& model : *models) {
            LoadSample s {};
            long peakKb = 0;
            std::string error;
            const std::string name = model.substr(model.find_last_of('/') + 1);
            if (!benchOne(model, *repeats, s, peakKb, error)) {
                table.addRow({name, "error: " + error});
                continue;
            }
            table.addRow({name, std::to_string(s.nodes), formatNumber(s.parseMs, 3), formatNumber(s.indexMs, 3),
                          formatNumber(s.shapeMs, 3), formatNumber(s.quantMs, 3), formatNumber(s.totalMs, 3),
                          formatNumber(static_cast<double>(peakKb) / 1024.0, 3)});
        }
        table.print(std::cout);
    });
}

} // namespace qs::cli
