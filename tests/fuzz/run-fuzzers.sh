#!/usr/bin/env bash
# Runs every libFuzzer target of a QS_FUZZ build for SECONDS each (default 60), seeded from
# tests/data (models, .npy/.npz, the hostile regression files). Prints executions per target and
# exits non-zero when a target finds a crash; crashing inputs are kept in BUILD_DIR/fuzz-artifacts.
# Targets run side by side, one per core (FUZZ_JOBS overrides).
# Usage: tests/fuzz/run-fuzzers.sh BUILD_DIR [SECONDS]
set -uo pipefail

build=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data="$src/tests/data"
work="$build/fuzz-work"
artifacts="$build/fuzz-artifacts"
rm -rf "$work"
mkdir -p "$work" "$artifacts"

# Seed corpora. Model targets: the test models (the largest are cut by -max_len, which keeps their
# header and first initializers) and hostile .onnx files. npy target: the first byte selects the
# parser (even: .npy, odd: .npz), so seeds get that byte prepended.
mkdir -p "$work/seed-model" "$work/seed-npy" "$work/seed-exec"
cp "$data"/models/*.onnx "$work/seed-model/"
cp "$data"/hostile/*.onnx "$work/seed-model/" 2>/dev/null || true
n=0
for f in "$data"/models/*.npy "$data"/hostile/*.npy; do
  [ -f "$f" ] && { printf '\x00' | cat - "$f" > "$work/seed-npy/npy$n"; n=$((n + 1)); }
done
for f in "$data"/models/*.npz "$data"/hostile/*.npz; do
  [ -f "$f" ] && { printf '\x01' | cat - "$f" > "$work/seed-npy/npz$n"; n=$((n + 1)); }
done
# Executor target: raw fuzz inputs kept as regression seeds (they are builder bytes, not models).
cp "$data"/hostile/exec-*.bin "$work/seed-exec/" 2>/dev/null || true
head -c 64 /dev/urandom > "$work/seed-exec/random" # an empty corpus dir makes libFuzzer start from nothing

# target : seed dir : -max_len
targets=(
  "fuzz_model_load:seed-model:65536"
  "fuzz_model_analysis:seed-model:65536"
  "fuzz_executor:seed-exec:512"
  "fuzz_npy:seed-npy:4096"
)

# One target: runs it, then writes its line of the table (and what it found) to $work/$target.result.
run_target() {
  local target=$1 seeds=$2 maxlen=$3
  local exe="$build/tests/fuzz/$target" corpus="$work/corpus-$target" log="$work/$target.log"
  mkdir -p "$corpus"
  # -timeout: a single input running longer than 25 s is a hang; -error_exitcode for crashes.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$exe" "$corpus" "$work/$seeds" -max_total_time="$seconds" -max_len="$maxlen" -rss_limit_mb=2048 \
      -timeout=25 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" >"$log" 2>&1
  local rc=$? result=ok
  local execs rate
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
  [ $rc -eq 0 ] || result="CRASH (rc $rc), see $log"
  {
    printf '%-22s %12s %10s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$result"
    if [ $rc -ne 0 ]; then
      grep -m3 -E '^==[0-9]+==ERROR|runtime error|deadly signal|out-of-memory|timeout|uncaught exception' "$log" | sed 's/^/    /'
      ls "$artifacts"/"$target"-* 2>/dev/null | sed 's/^/    artifact: /'
    fi
  } >"$work/$target.result"
  return $rc
}

for entry in "${targets[@]}"; do
  exe="$build/tests/fuzz/${entry%%:*}"
  [ -x "$exe" ] || { echo "run-fuzzers: $exe not built (configure with -DQS_FUZZ=ON)"; exit 2; }
done

# As many targets at once as there are cores (each libFuzzer process uses one).
jobs=${FUZZ_JOBS:-$(nproc)}
status=0
running=0
for entry in "${targets[@]}"; do
  IFS=: read -r target seeds maxlen <<<"$entry"
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_target "$target" "$seeds" "$maxlen" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done

printf '%-22s %12s %10s  %s\n' target executions exec/s result
for entry in "${targets[@]}"; do
  cat "$work/${entry%%:*}.result"
done
exit $status
