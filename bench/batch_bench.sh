#!/usr/bin/env bash
# Batch runs (docs/batch.md): scenarios per second of `klaster batch` on configs/kz_auto_cluster.toml
# with 1 and 2 worker processes, against the baseline of one `klaster run --set` process per
# scenario, in the same run on the same machine. Prints a Markdown table (bench/README.md).
#   bench/batch_bench.sh [BUILD_DIR] [SCENARIOS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
n="${2:-2000}"
klaster="$build/bin/klaster"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A grid of n incentive factors 1.0001, 1.0002, ... on the Kazakhstan pipeline; `collect` as given.
batch_file() {  # NAME COLLECT
  local values
  values="$(awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%.4f", (i > 1 ? ", " : ""), 1 + i / 10000 }')"
  cat > "$work/$1.toml" <<TOML
pipelines = ["$root/configs/kz_auto_cluster.toml"]
collect = [$2]
store = "$work/$1.sqlite"
[baseline]
"incentive.years" = [2025]
[grid]
"incentive.factor" = [$values]
TOML
}

# Wall seconds and peak memory (KiB, the largest process) of a command.
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
  cat "$work/time"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# Baseline: one process per scenario, as a shell loop of `klaster run --set` would (50 runs).
loop_seconds() {
  local start end
  start=$(date +%s.%N)
  for i in $(seq 1 50); do
    "$klaster" run "$root/configs/kz_auto_cluster.toml" --quiet --out "$work/loop" \
      --set "incentive.factor=1.$i" --set 'incentive.years=[2025]' > /dev/null
  done
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

echo "| collected tables (rows per scenario) | jobs | scenarios | seconds | scenarios/s | peak memory | vs one process per scenario |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
loop=$(loop_seconds)
loop_rate=$(rate 50 "$loop")
echo "| (baseline: \`klaster run --set\` per scenario, 50 runs) | 1 | 50 | $loop | $loop_rate | | 1x |"
where='{ table = "lq_compare", where = { industry = "C", year = 2025 } }'
for collect in '"hhi"' "\"hhi\", $where" '"lq_compare", "hhi"'; do
  case "$collect" in
    '"hhi"') rows=77 ;;
    *where*) rows=97 ;;
    *) rows=1617 ;;
  esac
  for jobs in 1 2; do
    batch_file "b$jobs" "$collect"
    read -r secs kib < <(timed "$klaster" batch "$work/b$jobs.toml" --jobs "$jobs" --quiet)
    r=$(rate "$n" "$secs")
    echo "| \`collect = [${collect//|/\\|}]\` ($rows) | $jobs | $n | $secs | $r | $((kib / 1024)) MiB | $(awk -v a="$r" -v b="$loop_rate" 'BEGIN { printf "%.0fx", a / b }') |"
    rm -f "$work/b$jobs.sqlite"
  done
done
