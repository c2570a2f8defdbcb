#!/usr/bin/env bash
# Data-path benchmark at every size and shape of issue 14 (bench/README.md): klaster against R
# data.table (all cores) and pandas on the same generated CSV, one after the other in this run.
#   bench/data_sizes.sh [BUILD_DIR] [SHAPE...]     shapes: 300k 3M 3M-shuffled 30M (default: all)
# Prints one markdown row per shape: wall time (klaster and data.table: the median of BENCH_REPS
# runs each, default 5, taking turns) and peak memory (the largest) of each program, the
# baselines' work alone (fread to the last fwrite, read_csv to the last to_csv: they print it,
# without their interpreter's start-up and imports), klaster's floor (its own reading of the CSV plus writing the
# LQ table, from its log), the ratios (the goal is judged on klaster's whole process against
# data.table's work alone, the stricter of the two), and whether
# the results agree with data.table's to 1e-12 relative (bench/check_results.py). The rows are
# also written to $BUILD_DIR/bench-out/data_sizes.md. Needs scripts/install-deps.sh --bench.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
shapes=("$@")
[[ ${#shapes[@]} -gt 0 ]] || shapes=(300k 3M 3M-shuffled 30M)
out="$build/bench-out"
mkdir -p "$out"

shape_args() {  # regions industries years order
  case $1 in
    300k) echo "100 300 10 sorted" ;;
    3M) echo "300 1000 10 sorted" ;;
    3M-shuffled) echo "300 1000 10 shuffled" ;;
    30M) echo "3000 1000 10 sorted" ;;
    *) echo "unknown shape '$1' (300k, 3M, 3M-shuffled, 30M)" >&2; exit 2 ;;
  esac
}

make_data() {  # shape -> $build/bench-data/<shape>/{regional.csv,dataset.toml}, made once
  local dir="$build/bench-data/$1" args
  args=$(shape_args "$1")
  mkdir -p "$dir"
  if [[ ! -s "$dir/regional.csv" ]]; then
    read -r regions industries years order <<< "$args"
    "$build/bin/gen_regional_csv" "$dir/regional.csv.part" "$regions" "$industries" "$years" 42 "$order"
    mv "$dir/regional.csv.part" "$dir/regional.csv"
  fi
  printf 'name = "synthetic regional benchmark %s (bench/gen_regional_csv.cpp, seed 42)"\n%s\n%s\n%s\n' \
    "$1" '[tables.activity]' 'file = "regional.csv"' \
    'columns = { year = "int", region = "string", industry = "string", value = "float" }' \
    > "$dir/dataset.toml"
  sed "s#^dataset = .*#dataset = \"$(realpath "$dir")\"#" bench/regional.toml > "$dir/pipeline.toml"
}

reps=${BENCH_REPS:-5}  # klaster and data.table run this many times each, in turn; the median is shown

timed() {  # log-file command... -> prints "seconds GiB" (wall clock to the millisecond)
  local log=$1 start end
  shift
  sync
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$log.time" "$@" > "$log" 2>&1 || { cat "$log" >&2; return 1; }
  end=$(date +%s.%N)
  printf '%.3f %.2f\n' "$(echo "$end - $start" | bc -l)" "$(echo "$(cat "$log.time") / 1048576" | bc -l)"
}

median() {  # numbers... -> their median (the middle one of an odd count)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

work_of() {  # a baseline's log -> the seconds of its work alone (it prints "work_seconds S")
  awk '/^work_seconds/ { printf "%.3f\n", $2 }' "$1"
}

floor_of() {  # klaster's debug log -> seconds reading the input plus writing the lq table
  awk '/loaded table .activity./ { r = $(NF - 1) } /step .lq.*outputs saved in/ { w = $(NF - 1) }
       END { printf "%.3f\n", r + w }' "$1"
}

# One run of NAME: removes its output folder $res/NAME, runs the command with its log in
# $res/NAME.K.log, and appends "seconds GiB VALUE" to $res/NAME.runs, where VALUE is what the
# function $value_of gives for the log.
one_run() {
  local name=$1 k=$2 value_of=$3 t m
  shift 3
  rm -rf "${res:?}/$name"
  read -r t m <<< "$(timed "$res/$name.$k.log" "$@")"
  echo "$t $m $("$value_of" "$res/$name.$k.log")" >> "$res/$name.runs"
}

# NAME -> "median-seconds max-GiB median-of-VALUE" over its runs.
summary() {
  local times mems values
  times=$(awk '{ print $1 }' "$res/$1.runs")
  mems=$(awk '{ print $2 }' "$res/$1.runs" | sort -g | tail -1)
  values=$(awk '{ print $3 }' "$res/$1.runs")
  # shellcheck disable=SC2086  # one number per word
  echo "$(median $times) $mems $(median $values)"
}

run_shape() {
  local s=$1 dir="$build/bench-data/$1" res="$out/$1"
  make_data "$s"
  rm -rf "$res"
  mkdir -p "$res"
  cat "$dir/regional.csv" > /dev/null  # page cache warm for everyone
  local kt km floor dt dm dw pt pm pw k
  # klaster and data.table take turns, so that both meet the machine in the same states (this VM's
  # speed drifts over minutes; see bench/README.md).
  for ((k = 1; k <= reps; k++)); do
    one_run klaster "$k" floor_of "$build/bin/klaster" run "$dir/pipeline.toml" \
      --out "$res/klaster" --log-level debug
    one_run datatable "$k" work_of Rscript bench/regional_datatable.R "$dir/regional.csv" \
      "$res/datatable"
  done
  read -r kt km floor <<< "$(summary klaster)"
  read -r dt dm dw <<< "$(summary datatable)"
  # pandas is shown for reference only: one run.
  read -r pt pm <<< "$(timed "$res/pandas.log" /usr/bin/python3 bench/regional_pandas.py \
    "$dir/regional.csv" "$res/pandas")"
  pw=$(work_of "$res/pandas.log")
  local agree=no rows
  /usr/bin/python3 bench/check_results.py "$res/klaster" "$res/datatable" > "$res/check.log" && agree=yes
  rows=$(($(wc -l < "$dir/regional.csv") - 1))
  printf '| %s | %s | %.3f s, %s GiB | %.3f s | %.3f s (%.3f s), %s GiB | %.2f s (%.2f s), %s GiB | **%.2f** | %.2f | %.2f | %s |\n' \
    "$s" "$rows" "$kt" "$km" "$floor" "$dw" "$dt" "$dm" "$pw" "$pt" "$pm" \
    "$(echo "$kt / $dw" | bc -l)" "$(echo "$kt / $dt" | bc -l)" "$(echo "$floor / $dw" | bc -l)" "$agree"
}

{
  echo "| shape | rows | klaster (whole process) | klaster floor (read + write lq) | data.table work (whole process) | pandas work (whole process) | klaster / data.table work | klaster / data.table process | floor / data.table work | agree to 1e-12 |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for s in "${shapes[@]}"; do run_shape "$s"; done
} | tee "$out/data_sizes.md"
