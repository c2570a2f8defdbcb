#!/usr/bin/env bash
# Builds the whole tree (SDK, host, plugins, fixtures, tests) with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-sanitize and runs the CTest suite there (docs/sanitizers.md).
# Every finding fails the test that reached it: UBSan stops at its first report
# (-fno-sanitize-recover=all), ASan and LeakSanitizer abort, so a klaster run under test ends by
# SIGABRT, an exit status no test expects. Tests labelled `no-sanitize` (their reasons are in
# docs/sanitizers.md) are left out of this run only.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-sanitize}
jobs=${JOBS:-$(nproc)}

# -O1 keeps the run fast enough for CI; -g1 (line tables only) is all a sanitizer's stack trace
# needs and compiles faster than -g. The benchmarks are not part of the test suite.
cmake -S . -B "$build" -DKLASTER_SANITIZE=ON -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DCMAKE_C_FLAGS_SANITIZE="-O1 -g1" \
  -DKLASTER_BUILD_BENCHMARKS=OFF --log-level=WARNING
cmake --build "$build" -j "$jobs"

supp=$PWD/scripts/sanitize.supp
lsan_supp=$PWD/scripts/lsan.supp
# handle_segv=0: a segmentation fault still ends the process by SIGSEGV, as the batch tests of
# plugins that crash on purpose expect, instead of ASan's report and SIGABRT.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:print_stacktrace=1:handle_segv=0:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:suppressions=$supp"
export LSAN_OPTIONS="suppressions=$lsan_supp:print_suppressions=0"
ctest --test-dir "$build" --output-on-failure -j "$jobs" -LE no-sanitize
