// Times the analyses per model: static (cost, accumulator bounds, advice) and dynamic (two executor
// runs on a batch + error, ranges, observed accumulator ranges). Prints a table; not a test.
#include "core/analysis/modelanalysis.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

using namespace qs;

namespace {

template <class F> double medianMs(int repeats, F&& f)
{
    std::vector<double> times;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    int batch = 16;
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--batch" && i + 1 < argc)
            batch = std::stoi(argv[++i]);
        else
            models.push_back(arg);
    }
    if (models.empty()) {
        std::fprintf(stderr, "usage: bench_analysis [--batch N] MODEL...\n");
        return 2;
    }
    std::printf("%-34s %6s %10s %12s %10s %12s %12s\n", "model", "layers", "cost ms", "accum ms", "static ms",
                "dynamic ms", "(batch)");
    for (const std::string& path : models) {
        try {
            const auto doc = ModelDocument::load(path);
            const double cost = medianMs(5, [&] { (void)computeInferenceCost(*doc); });
            const double acc = medianMs(5, [&] { (void)analyzeAccumulators(*doc, {}); });
            AnalysisOptions staticOnly;
            staticOnly.dynamic = false;
            const double all = medianMs(5, [&] { (void)analyzeModel(*doc, staticOnly); });
            AnalysisOptions dynamic;
            dynamic.batch = batch;
            dynamic.threads = 2;
            double dyn = -1;
            try {
                dyn = medianMs(3, [&] { (void)analyzeModel(*doc, dynamic); });
            } catch (const std::exception&) {
                dyn = -1; // e.g. a static batch-1 Reshape: the dynamic column shows "n/a"
            }
            const std::string name = path.substr(path.find_last_of('/') + 1);
            std::printf("%-34s %6zu %10.2f %12.2f %10.2f %12s %12d\n", name.c_str(), doc->layers().size(), cost, acc, all,
                        dyn < 0 ? "n/a" : std::to_string(dyn).substr(0, 8).c_str(), batch);
        } catch (const std::exception& e) {
            std::printf("%-34s error: %s\n", path.c_str(), e.what());
        }
    }
    return 0;
}
