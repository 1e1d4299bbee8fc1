#pragma once
// Shared by the fuzz targets: tight limits so that a hostile input hits a limit (an Error) long
// before libFuzzer's -rss_limit_mb, and a scratch folder for external-data lookups.
#include "core/util/limits.h"

#include <filesystem>
#include <unistd.h>

namespace qs::fuzz {

inline Limits fuzzLimits()
{
    Limits limits;
    limits.maxFileBytes = std::int64_t(4) << 20;
    limits.maxExternalDataBytes = std::int64_t(1) << 20;
    limits.maxTensorElements = std::int64_t(1) << 22;
    limits.maxTensorBytes = std::int64_t(16) << 20;
    limits.maxNodes = 20'000;
    limits.maxAttributeElements = std::int64_t(1) << 20;
    return limits;
}

// An empty folder: external data can never resolve to a real file.
inline const std::filesystem::path& scratchFolder()
{
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("qs-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

} // namespace qs::fuzz
