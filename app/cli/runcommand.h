#pragma once
#include <CLI/CLI.hpp>

namespace qs::cli {

// `quantscope-cli run MODEL [--input NAME=FILE]... [--random SEED] [--batch N] [--float] [--f64]
//  [--threads N] [--dump DIR] [-o OUTDIR]`
void addRunCommand(CLI::App& app);

} // namespace qs::cli
