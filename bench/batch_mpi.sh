#!/usr/bin/env bash
# Batch runs: scenarios per second of a 2,000-cell grid over configs/kz_auto_cluster.toml
# (incentive.factor = 1.0001 ... 1.2000, collecting lq_compare and hhi) with `--jobs 2` on one
# machine against `mpirun -np 2 ... --mpi --jobs 1`; efficiency = rate(MPI) / rate(--jobs 2).
# Each round runs both, one after the other, into a fresh store; the machine may be shared, so
# every round is printed, then the range; so is the CPU time (user + system, every process of the
# run: mpirun, ranks, workers) per scenario, which another load on the machine disturbs less.
# Usage: bench/batch_mpi.sh [BUILD_DIR] [ROUNDS]
# Needs klaster built with MPI (scripts/install-deps.sh installs Open MPI) and GNU time
# (scripts/install-deps.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
rounds=${2:-5}
n=2000
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klaster_bench_mpi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
{
  echo "pipelines = [\"$PWD/configs/kz_auto_cluster.toml\"]"
  echo 'collect = ["lq_compare", "hhi"]'
  echo 'store = "out/grid.sqlite"'
  echo '[grid]'
  echo "\"incentive.factor\" = [$(seq -f '%.4f' 1.0001 0.0001 1.2000 | paste -sd, -)]"
} > "$tmp/grid.toml"
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
mpirun=(mpirun -np 2 --oversubscribe --bind-to none)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)

rate() {  # command...: "scenarios/s CPU-ms/scenario" of the whole command (start, validation, runs)
  rm -rf "$tmp/out"
  (cd "$tmp" && /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" > /dev/null)
  [ "$(sqlite3 "$tmp/out/grid.sqlite" "SELECT count(*) FROM scenarios WHERE status = 'ok'")" = $n ]
  awk -v n=$n '{ printf "%.1f %.3f", n / $1, ($2 + $3) * 1000 / n }' "$tmp/time"
}
echo "$n scenarios of kz_auto_cluster, $(nproc) cores"
echo "round: scenarios/s (--jobs 2, MPI 2 x 1), efficiency; CPU ms per scenario (--jobs 2, MPI)"
for r in $(seq "$rounds"); do
  read -r j jc <<< "$(rate "$build/bin/klaster" batch grid.toml --jobs 2 --quiet)"
  read -r m mc <<< "$(rate "${mpirun[@]}" "$build/bin/klaster" batch grid.toml --mpi --jobs 1 --quiet)"
  printf '%d: %7.0f %7.0f %5.2f; %6.2f %6.2f\n' "$r" "$j" "$m" "$(echo "$m / $j" | bc -l)" "$jc" "$mc"
done | tee "$tmp/rounds"
col() { awk -v k="$1" '{ print $k }' "$tmp/rounds" | tr -d ';' | sort -g; }
range() { echo "$(col "$1" | head -1)-$(col "$1" | tail -1)"; }
echo "range: --jobs 2 $(range 2), MPI $(range 3) scenarios/s, efficiency $(range 4);" \
  "CPU ms per scenario --jobs 2 $(range 5), MPI $(range 6)"
