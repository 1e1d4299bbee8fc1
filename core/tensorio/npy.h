#pragma once
// numpy .npy (format 1.0-3.0) and .npz archives. Little-endian float16/32/64, int8-64, uint8-64 and
// bool are read; Fortran order is transposed to C order. Anything else is an Error naming the file.
#include "core/util/tensor.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace qs {

Tensor parseNpy(std::string_view bytes, const std::string& what);
Tensor readNpy(const std::filesystem::path& path);
std::string serializeNpy(const Tensor& tensor);
void writeNpy(const std::filesystem::path& path, const Tensor& tensor);

// Every array in an .npz archive, keyed by its name without the ".npy" suffix.
std::map<std::string, Tensor> readNpz(const std::filesystem::path& path);
std::map<std::string, Tensor> parseNpz(std::string_view bytes, const std::string& what);

} // namespace qs
