// Placeholder until the command lands: registering nothing keeps the CLI honest about what exists.
#include "app/cli/commands.h"

namespace qs::cli {

void addLayoutCommand(CLI::App&) {}

} // namespace qs::cli
