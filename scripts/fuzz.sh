#!/usr/bin/env bash
# Fuzzes the scenario loader and the sweep spec with libFuzzer (docs/reliability.md, "Fuzzing").
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600   (both targets, 10 minutes each)
# TARGET: scenario, sweep_spec (default both, one after the other, one process each). Needs clang
# (Debian: clang-14); builds in build-fuzz/, a folder of its own. Inputs the fuzzer finds go to
# build-fuzz/fuzz/corpus_<target> (the committed seeds in tests/fuzz/corpus_* are only read), a
# failing input to build-fuzz/fuzz/artifacts_<target>/, the log to build-fuzz/fuzz/<target>.log.
# Replay a failing input: build-fuzz/tests/fuzz/fuzz_<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(scenario sweep_spec); fi

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# MPI off: the fuzzed code never reaches it. Tests off: only the two fuzz executables are built.
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DPOLICYSIM_FUZZ=ON -DPOLICYSIM_BUILD_TESTS=OFF -DPOLICYSIM_WITH_MPI=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

# detect_leaks: a leak is a finding too. The loader never needs more than a few hundred MB, so
# -rss_limit_mb=2048 (libFuzzer's default, written out; one malloc beyond it is a finding as well).
# -max_len=65536: the largest seed, scenarios/baseline.toml, is 54 KB. -timeout=5: a scenario
# loads in milliseconds, and the hostile-input catalogue holds every input to one second unsanitized.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
mkdir -p build-fuzz/fuzz
status=0
for target in "${targets[@]}"; do
  case $target in
    scenario) seeds=tests/fuzz/corpus_scenario ;;
    sweep_spec) seeds=tests/fuzz/corpus_sweep ;;
    *) echo "scripts/fuzz.sh: unknown target '$target' (expected scenario or sweep_spec)" >&2; exit 2 ;;
  esac
  corpus=build-fuzz/fuzz/corpus_$target
  artifacts=build-fuzz/fuzz/artifacts_$target/
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz_$target: $seconds s, corpus $corpus (seeds $seeds)"
  build-fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 -timeout=5 -rss_limit_mb=2048 \
      -dict=tests/fuzz/policysim.dict -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$corpus" "$seeds" > "build-fuzz/fuzz/$target.log" 2>&1 || status=$?
  # The last status line: cov (edges), ft (features), corp (inputs/bytes), exec/s.
  grep -E '^#[0-9]+' "build-fuzz/fuzz/$target.log" | tail -1 || true
  grep -E '^stat::' "build-fuzz/fuzz/$target.log" || true
  ls "$artifacts"
done
exit "$status"
