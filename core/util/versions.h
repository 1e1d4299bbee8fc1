#pragma once
// Versions of Quantscope and the libraries it was built against, for `quantscope-cli --version` and
// the GUI's About dialog. They are baked in at configure time (core/util/CMakeLists.txt): onnx has no
// run-time version symbol, and the others should report what the binary was compiled with.
#include <string>
#include <utility>
#include <vector>

namespace qs {

std::string quantscopeVersion(); // "0.1.0"

// {"ONNX", "1.12.0-2+b4"}, {"protobuf", "3.21.12"}, {"Graphviz", "2.43.0"}, {"Eigen", "3.4.0"}, in that
// order; an unknown version is "unknown".
std::vector<std::pair<std::string, std::string>> dependencyVersions();

} // namespace qs
