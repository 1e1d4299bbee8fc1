#pragma once
// Writes a file so that the target is either the old or the complete new content, never a
// half-written one: write to a temporary file in the same folder, fsync, then rename over the target.
#include <filesystem>
#include <string_view>

namespace qs {

void writeFileAtomically(const std::filesystem::path& target, std::string_view bytes);

} // namespace qs
