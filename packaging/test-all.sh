#!/usr/bin/env bash
# The test command (README, .ci/run): dependencies; the release build and the whole test suite (which
# includes the Debian package test); the ASan + UBSan build (clang; it also holds the libFuzzer targets)
# and the whole test suite under it; each fuzz target for FUZZ_SECONDS. Prints the time of each stage.
# Usage: packaging/test-all.sh [FUZZ_SECONDS]   (default 60 per fuzz target)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fuzz_seconds=${1:-60}
start=$(date +%s)
stage() { echo; echo "=== test-all: $1 (at $(( $(date +%s) - start )) s)"; }

stage "dependencies"
./packaging/install-deps.sh

stage "release build and tests (the package test included)"
cmake --preset release
cmake --build --preset release
ctest --preset release

stage "ASan + UBSan build (clang: tests and fuzz targets) and the test suite under it"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan

stage "fuzzing (${fuzz_seconds} s per target, the asan build's libFuzzer targets)"
./tests/fuzz/run-fuzzers.sh build/asan "$fuzz_seconds"

stage "done"
echo "test-all: all stages passed in $(( $(date +%s) - start )) s"
