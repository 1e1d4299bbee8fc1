#include "core/util/versions.h"

// Fallbacks keep a hand-rolled build (no CMake definitions) compiling.
#ifndef QS_VERSION_STRING
#define QS_VERSION_STRING "unknown"
#endif
#ifndef QS_ONNX_VERSION_STRING
#define QS_ONNX_VERSION_STRING "unknown"
#endif
#ifndef QS_PROTOBUF_VERSION_STRING
#define QS_PROTOBUF_VERSION_STRING "unknown"
#endif
#ifndef QS_GRAPHVIZ_VERSION_STRING
#define QS_GRAPHVIZ_VERSION_STRING "unknown"
#endif
#ifndef QS_EIGEN_VERSION_STRING
#define QS_EIGEN_VERSION_STRING "unknown"
#endif

namespace qs {
namespace {

std::string orUnknown(const char* v)
{
    return *v ? std::string(v) : std::string("unknown");
}

} // namespace

std::string quantscopeVersion()
{
    return orUnknown(QS_VERSION_STRING);
}

std::vector<std::pair<std::string, std::string>> dependencyVersions()
{
    return {{"ONNX", orUnknown(QS_ONNX_VERSION_STRING)}, {"protobuf", orUnknown(QS_PROTOBUF_VERSION_STRING)},
        {"Graphviz", orUnknown(QS_GRAPHVIZ_VERSION_STRING)}, {"Eigen", orUnknown(QS_EIGEN_VERSION_STRING)}};
}

} // namespace qs
