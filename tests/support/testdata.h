#pragma once
// Where tests find models: the project's own copies (tests/data/models) and, when it exists beside
// the clone (CI always has it), the shared corpus. Header-only so every test executable can use it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qs::test {

inline std::filesystem::path dataDir() { return std::filesystem::path(QS_TEST_DATA_DIR); }
inline std::filesystem::path modelsDir() { return dataDir() / "models"; }
inline std::filesystem::path sharedModelsDir() { return std::filesystem::path(QS_SHARED_DIR) / "models"; }
inline std::filesystem::path model(const std::string& file) { return modelsDir() / file; }

inline std::vector<std::filesystem::path> onnxFilesIn(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::is_directory(dir))
        return files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".onnx")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

inline nlohmann::json readJson(const std::filesystem::path& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

} // namespace qs::test
