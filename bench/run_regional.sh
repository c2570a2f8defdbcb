#!/usr/bin/env bash
# Data-path benchmark: klaster against R data.table and pandas on the same 30-million-row CSV,
# same machine, same run. Usage: bench/run_regional.sh [BUILD_DIR] [--no-pandas]
# Needs the bench extras: scripts/install-deps.sh --bench (R, data.table, pandas, GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
source bench/regional_data.sh "$build"
echo "input: $(wc -c < "$csv") bytes, $(( $(wc -l < "$csv") - 1 )) rows; $(nproc) cores"

measure() {  # name, command...
  local name=$1
  shift
  sync
  /usr/bin/time -f "%e %M" -o /tmp/klaster_bench_time "$@" > /tmp/klaster_bench_out 2>&1 || {
    cat /tmp/klaster_bench_out
    return 1
  }
  read -r secs kb < /tmp/klaster_bench_time
  printf '%-12s %8.2f s %8.2f GiB\n' "$name" "$secs" "$(echo "$kb / 1048576" | bc -l)"
  echo "$name $secs $kb" >> /tmp/klaster_bench_results
}
rm -f /tmp/klaster_bench_results
cat "$csv" > /dev/null  # warm the page cache for everyone
measure klaster "$build/bin/klaster" run bench/regional.toml --out "$build/bench-out/klaster" --quiet
measure data.table Rscript bench/regional_datatable.R "$csv" "$build/bench-out/datatable"
if [[ "${2:-}" != "--no-pandas" ]]; then
  measure pandas /usr/bin/python3 bench/regional_pandas.py "$csv" "$build/bench-out/pandas"
fi
awk 'NR==1 {k=$2} {printf "%-12s time ratio to klaster: %.2f\n", $1, $2 / k}' /tmp/klaster_bench_results
