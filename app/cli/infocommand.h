#pragma once
#include <CLI/CLI.hpp>

namespace qs::cli {

// `quantscope-cli info MODEL [--json]`
void addInfoCommand(CLI::App& app);

} // namespace qs::cli
