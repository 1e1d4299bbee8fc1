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

inline std::filesystem::path dataDir()
{
    return std::filesystem::path(QS_TEST_DATA_DIR);
}
inline std::filesystem::path modelsDir()
{
    return dataDir() / "models";
}
inline std::filesystem::path sharedModelsDir()
{
    return std::filesystem::path(QS_SHARED_DIR) / "models";
}
inline std::filesystem::path model(const std::string& file)
{
    return modelsDir() / file;
}

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

// Real models for the incremental-analysis tests: QONNX and QCDQ, conv and MLP, plus the shared
// resnet20 when that folder is present (it is not part of a plain clone).
inline std::vector<std::string> incrementalTestModels()
{
    std::vector<std::string> paths;
    for (const char* file : {"resnet8_cifar10_w4a4.onnx", "vww_mobilenet128_qonnx.onnx",
             "vww_mobilenet128_qcdq.onnx", "kws_mlp_w3a3_mlperf.onnx", "tfc_w2a2.onnx"})
        paths.push_back(model(file).string());
    const auto resnet20 = sharedModelsDir() / "resnet20_cifar10_w8a8.onnx";
    if (std::filesystem::exists(resnet20))
        paths.push_back(resnet20.string());
    return paths;
}

} // namespace qs::test
