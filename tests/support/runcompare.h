#pragma once
// Bit-for-bit comparison of executor results, for tests that expect two ways of running a model to
// agree exactly (incremental vs full runs, one thread vs several). Header-only.
#include "core/exec/executor.h"

#include <cstring>
#include <gtest/gtest.h>
#include <string>

namespace qs::test {

inline bool identical(const Tensor& a, const Tensor& b)
{
    return a.dtype() == b.dtype() && a.shape() == b.shape()
        && (a.byteSize() == 0 || std::memcmp(a.rawData(), b.rawData(), a.byteSize()) == 0);
}

// Every output and every captured tensor of `actual` equals that of `expected`, to the bit.
inline void expectIdenticalRuns(const RunResult& expected, const RunResult& actual, const std::string& what)
{
    ASSERT_EQ(expected.outputs.size(), actual.outputs.size()) << what;
    for (const auto& [name, value] : expected.outputs) {
        const auto it = actual.outputs.find(name);
        ASSERT_NE(it, actual.outputs.end()) << what << ": output " << name;
        EXPECT_TRUE(identical(*value, *it->second)) << what << ": output " << name;
    }
    ASSERT_EQ(expected.captured.size(), actual.captured.size()) << what;
    for (const auto& [name, value] : expected.captured) {
        const auto it = actual.captured.find(name);
        ASSERT_NE(it, actual.captured.end()) << what << ": tensor " << name;
        EXPECT_TRUE(identical(*value, *it->second)) << what << ": tensor " << name;
    }
}

} // namespace qs::test
