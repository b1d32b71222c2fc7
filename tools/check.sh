#!/usr/bin/env bash
# Every check CI runs, in order, each under a banner with its time; stops at the first failure.
#   tools/check.sh            all steps
#   tools/check.sh asan fuzz  only the steps named (format release relwithdebinfo mpi asan tsan tidy fuzz)
# Steps: the C++ formatted as .clang-format says (tools/format.sh --check); release build +
# every test; the RelWithDebInfo build (what one profiles and debugs) + the GoogleTest tests;
# MPI build + the mpi tests; the unit tests under ASan+UBSan; the parallel tests
# under TSan; clang-tidy (zero findings); bounded libFuzzer runs over the scenario loader (with
# the kept regression cases) and over the readers of output files. How to run each by hand:
# docs/QUALITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-120}
FUZZ_OUTPUT_SECONDS=${FUZZ_OUTPUT_SECONDS:-60}
# The tests that run threads (TBB workers, the writer's thread): run again under TSan.
TSAN_TESTS=${TSAN_TESTS:-'^(Determinism|Conservation|Checkpoint|Selection|DayExchange|Output|FleeDeterminism|FleeCheckpoint|FleeMoveChance|FleeMali2012)\.'}
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(format release relwithdebinfo mpi asan tsan tidy fuzz)

declare -a summary=()
banner() { printf '\n======== check: %s ========\n' "$1"; }
run_step() {
  local name=$1; shift
  banner "$name"
  local start=$SECONDS
  "$@"
  summary+=("$(printf '%-14s %5d s' "$name" $((SECONDS - start)))")
  printf '======== check: %s passed in %d s ========\n' "$name" $((SECONDS - start))
}

# One command a line: under `set -e` a failure anywhere in the step ends the script.
step_format() {   # seconds: first, so that a formatting slip is reported before the builds
  tools/format.sh --check
}
step_release() {
  cmake --preset release
  cmake --build --preset release -j"$JOBS"
  ctest --preset release -j"$JOBS"
}
step_relwithdebinfo() {   # -O2 -g: the same results as Release (the tests pin them), and it builds
  cmake --preset relwithdebinfo
  cmake --build --preset relwithdebinfo -j"$JOBS" --target migsim_tests
  ctest --preset relwithdebinfo -j"$JOBS"
}
step_mpi() {
  cmake --preset mpi
  cmake --build --preset mpi -j"$JOBS"
  ctest --preset mpi
}
step_asan() {   # every GoogleTest test under AddressSanitizer (with LeakSanitizer) and UBSan
  cmake --preset asan
  cmake --build --preset asan -j"$JOBS" --target migsim_tests
  ctest --preset asan -j"$JOBS"
}
step_tsan() {   # the threaded tests under ThreadSanitizer (TBB annotated: tests/support/tsan_tbb.cpp)
  cmake --preset tsan
  cmake --build --preset tsan -j"$JOBS" --target migsim_tests
  ctest --preset tsan -j"$JOBS" -R "$TSAN_TESTS"
}
step_tidy() {   # compile_commands.json from the `tidy` preset; any finding is an error
  cmake --preset tidy
  cmake --build --preset tidy --target migsim_version
  local files
  mapfile -t files < <(git ls-files 'engine/src/*.cpp' 'tools/migsim/*.cpp' | grep -v world_mpi.cpp)
  if ! run-clang-tidy -quiet -p build/tidy -j "$JOBS" "${files[@]/#/$PWD/}" \
         > build/tidy/clang-tidy.log 2>&1 || grep -qE 'warning:|error:' build/tidy/clang-tidy.log; then
    grep -E 'warning:|error:' -A3 build/tidy/clang-tidy.log || tail -n 30 build/tidy/clang-tidy.log
    return 1
  fi
  echo "clang-tidy: ${#files[@]} files, no findings"
}
step_fuzz() {   # the kept cases, then a bounded run from the shipped scenarios
  cmake --preset fuzz
  cmake --build --preset fuzz -j"$JOBS"
  ctest --preset fuzz
  rm -rf build/fuzz/corpus build/fuzz/artifacts && mkdir -p build/fuzz/artifacts
  /usr/bin/python3 fuzz/make_corpus.py build/fuzz/corpus
  local rc=0
  build/fuzz/fuzz/migsim_fuzz_scenario -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -dict=fuzz/scenario.dict -artifact_prefix=build/fuzz/artifacts/ \
    build/fuzz/corpus > build/fuzz/fuzz.log 2>&1 || rc=$?
  grep -E '^(INFO: Seed|INFO: seed corpus|Done |stat::)|ERROR|SUMMARY|==[0-9]+==' build/fuzz/fuzz.log || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 build/fuzz/fuzz.log
    echo "fuzz: a crash, leak or timeout (exit $rc); the input: $(ls build/fuzz/artifacts)"
    echo "fix it and keep the input in fuzz/regressions/"
    return 1
  fi
  # The readers of output files, from real outputs (written by the release build's migsim).
  cmake --preset release > /dev/null
  cmake --build --preset release -j"$JOBS" --target migsim
  rm -rf build/fuzz/output-corpus build/fuzz/output-artifacts && mkdir -p build/fuzz/output-artifacts
  fuzz/make_output_corpus.sh build/release/tools/migsim/migsim build/fuzz/output-corpus > /dev/null
  rc=0
  LSAN_OPTIONS=suppressions=fuzz/lsan.supp build/fuzz/fuzz/migsim_fuzz_output -max_total_time="$FUZZ_OUTPUT_SECONDS" \
    -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=build/fuzz/output-artifacts/ \
    build/fuzz/output-corpus > build/fuzz/fuzz-output.log 2>&1 || rc=$?
  grep -E '^(INFO: seed corpus|Done |stat::)|ERROR|SUMMARY|died in a child' build/fuzz/fuzz-output.log || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 build/fuzz/fuzz-output.log
    echo "fuzz (output readers): a crash, leak or timeout (exit $rc); the input: $(ls build/fuzz/output-artifacts)"
    return 1
  fi
}

for s in "${steps[@]}"; do run_step "$s" "step_$s"; done
printf '\n======== check: times ========\n'; printf '%s\n' "${summary[@]}"
