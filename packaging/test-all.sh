#!/usr/bin/env bash
# Everything CI checks and more, in order: dependencies, release build + the whole test suite (which
# includes the Debian package test), the ASan/UBSan build (clang; also builds the fuzz targets) + its tests, short fuzz runs. Prints the time of each stage.
# Usage: packaging/test-all.sh [FUZZ_SECONDS]   (default 30 per fuzz target)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fuzz_seconds=${1:-30}
start=$(date +%s)
stage() { echo; echo "=== test-all: $1 (at $(( $(date +%s) - start )) s)"; }

stage "dependencies"
./packaging/install-deps.sh

stage "release build and tests (the package test included)"
cmake --preset release
cmake --build --preset release
ctest --preset release

stage "ASan + UBSan build (clang, tests and fuzz targets) and tests"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan

stage "fuzzing (${fuzz_seconds} s per target, the asan build's libFuzzer targets)"
./tests/fuzz/run-fuzzers.sh build/asan "$fuzz_seconds"

stage "done"
echo "test-all: all stages passed in $(( $(date +%s) - start )) s"
