#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/fuzzing.md) in build-fuzz with clang and runs each one
# over its seed corpus (fuzz/corpus/<target>, every file once), then fuzzes it for a short while
# (FUZZ_SECONDS, default 20). New inputs go to a scratch folder, never into the repository's
# corpus. Fails on the first crash, sanitizer report, leak, timeout or memory blow-up; libFuzzer
# then names the input it saved under $FUZZ_ARTIFACTS (default build-fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
artifacts=${FUZZ_ARTIFACTS:-$build/artifacts}
targets=(csv manifest pipeline set geojson batch)

CC=clang CXX=clang++ cmake -S . -B "$build" -DKLASTER_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKLASTER_BUILD_TESTS=OFF -DKLASTER_BUILD_BENCHMARKS=OFF --log-level=WARNING
cmake --build "$build" --target fuzzers -j "${JOBS:-$(nproc)}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# libFuzzer ends with _exit, so a target's own scratch folder (klaster-fuzz-XXXXXX in TMPDIR) stays;
# here it goes with this script's.
export TMPDIR=$scratch
mkdir -p "$artifacts"
for t in "${targets[@]}"; do
  # The limits: an input taking over 10 s or 2 GB is a finding, as a crash is.
  limits=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$t-")
  echo "fuzz-check: $t: the corpus, then ${seconds} s of fuzzing" >&2
  "$build/bin/fuzz_$t" "${limits[@]}" -runs=0 "fuzz/corpus/$t" 2>"$scratch/$t.log" ||
    { cat "$scratch/$t.log" >&2; exit 1; }
  mkdir -p "$scratch/$t"
  "$build/bin/fuzz_$t" "${limits[@]}" -max_total_time="$seconds" "$scratch/$t" "fuzz/corpus/$t" \
    2>"$scratch/$t.log" || { cat "$scratch/$t.log" >&2; exit 1; }
  grep -h '^Done' "$scratch/$t.log" >&2
done
