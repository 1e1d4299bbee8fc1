#pragma once
#include <CLI/CLI.hpp>

namespace qs::cli {

// `quantscope-cli bench load MODEL...`: load/index/shape-inference timings and peak memory.
void addBenchCommand(CLI::App& app);

} // namespace qs::cli
