#!/usr/bin/env bash
# Compares two builds of klaster on the data-path benchmark (bench/regional.toml), alternating runs
# so that both see the same machine load: the check that a change costs no speed.
# Usage: bench/compare_builds.sh BUILD_BEFORE BUILD_AFTER [ROUNDS]   (run from the repository)
# The 30M-row CSV is made once in BUILD_AFTER/bench-data (bench/regional_data.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 rounds=${3:-3}
source bench/regional_data.sh "$after"
pipeline="$after/bench-compare.toml"
sed "s#^dataset = .*#dataset = \"$(realpath "$data_dir")\"#" bench/regional.toml > "$pipeline"
out="$after/bench-compare"
for r in $(seq "$rounds"); do
  for side in before after; do
    b=${!side}
    /usr/bin/time -f "$side %e s %M KB" "$b/bin/klaster" run "$pipeline" --out "$out/$side-$r" --quiet
  done
done 2>&1 | awk '{ print; t[$1] = t[$1] " " $2 } END { for (s in t) print s, "seconds:" t[s] }'
for f in "$out/before-1"/*.csv; do
  cmp -s "$f" "$out/after-1/$(basename "$f")" || echo "outputs differ: $(basename "$f")"
done
rm -rf "$out"  # 1 GB a run
