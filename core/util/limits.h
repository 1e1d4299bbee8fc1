#pragma once
// One place for every resource limit that protects against hostile or absurd files. Loaders,
// executor and analyses take a Limits and refuse work beyond it with an Error naming the culprit.
#include <cstdint>

namespace qs {

struct Limits {
    std::int64_t maxFileBytes = std::int64_t(2) << 30;         // protobuf itself cannot go past 2 GiB
    std::int64_t maxExternalDataBytes = std::int64_t(16) << 30; // sum of external tensor files
    std::int64_t maxTensorElements = std::int64_t(1) << 32;     // one tensor (declared or computed)
    std::int64_t maxTensorBytes = std::int64_t(8) << 30;        // one allocation in the executor
    std::int64_t maxNodes = 2'000'000;
    std::int64_t maxRank = 32;
    std::int64_t maxAttributeElements = std::int64_t(1) << 26;
    int maxRecursionDepth = 64;                                  // nested subgraphs / protobuf depth

    static const Limits& defaults();
};

} // namespace qs
