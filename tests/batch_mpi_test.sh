#!/bin/bash
# `mpirun -np 2 klaster batch BATCH --mpi` end to end (issue 11 point 5, docs/batch.md "MPI"), on
# the Kazakhstan dataset with the faulty fixture plugin as a last step:
#  1. a grid under 2 ranks gives the same store as `--jobs 2` on one machine (every output row and
#     every scenario's id, status and parameters, read with the sqlite3 CLI, not klaster's code);
#  2. a plugin that segfaults loses only its scenario, recorded as failed with its cause;
#  3. rank 0, then (another batch) rank 1, killed with SIGKILL mid-batch: the job ends, and
#     `--resume` under MPI stores every scenario once, each with all its rows;
#  4. a rank that reads a different batch file is refused, naming the rank, before any store;
# and first, with or without MPI: a klaster with no klaster-mpi beside it refuses --mpi (exit 2).
# Exits 77 (skipped) after that when klaster was built without MPI.
# Usage: batch_mpi_test.sh SOURCE_DIR KLASTER_BIN FIXTURE_DIR WITH_MPI(0|1)
set -euo pipefail
src=$1 klaster=$2 fixtures=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klaster_mpi_test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "0. --mpi without klaster-mpi"
mkdir alone && cp "$klaster" alone/klaster && ln -s "$(dirname "$klaster")/../lib" lib
code=0
alone/klaster batch nothing.toml --mpi 2> alone.err || code=$?
[ "$code" = 2 ] && grep -qx "error: batch: --mpi: this klaster was built without MPI .*" alone.err ||
  fail "--mpi without klaster-mpi: exit $code, $(cat alone.err)"
[ "$4" = 1 ] || { echo "klaster built without MPI: skipped"; exit 77; }

# Under make test-sanitize: Open MPI keeps memory past MPI_Finalize, in libmpi and in the MCA
# components it unloads (so LeakSanitizer cannot even name them), about 120 KB in 3,000 blocks;
# leak checking is off for this test only. ASan's memory errors and UBSan still stop it.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
# Two ranks on this machine, whatever its cores and network: shared memory only, no CMA (often
# refused in containers), no binding to cores.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_hwloc_base_binding_policy=none OMPI_MCA_rmaps_base_oversubscribe=1
mpirun=(mpirun -np 2 --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
plugins=(--plugin-dir "$fixtures/faulty")

q() { sqlite3 -batch "$1" "$2"; }

# The pipeline: +15 % incentive, its location quotients, and the fixture copying the incentive's
# table (or crashing, by its `mode`).
cat > p.toml <<EOF
name = "mpi test"
dataset = "$src/data/kz"
output = "out/p"
[[step]]
id = "incentive"
plugin = "sector_incentive"
params = { input = "output", regions = ["KST"], industries = ["C"], years = [2025], factor = 1.15 }
[[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "incentive", value = "value" }
[[step]]
id = "f"
plugin = "faulty_fixture"
params = { input = "incentive" }
EOF
# Rows of one scenario's tables: as many as the dataset's `output` table has (its CSV lines but
# the header): the incentive scales values, the LQ and the copy keep every row.
rows=$(($(wc -l < "$src/data/kz/output.csv") - 1))

grid() {  # batch file $1 with store $2 and a grid of $3 factors 1.001, 1.002, ...
  local values
  values=$(seq -f "%.3f" 1.001 0.001 "$(printf '1.%03d' "$3")" | paste -sd, -)
  printf 'pipelines = ["p.toml"]\nstore = "%s"\ncollect = ["lq", "f"]\n[grid]\n"incentive.factor" = [%s]\n' \
    "$2" "$values" > "$1"
}

echo "1. the same store as --jobs 2"
grid same.toml out/same.sqlite 40
cp same.toml one.toml && sed -i 's|out/same.sqlite|out/one.sqlite|' one.toml
"$klaster" batch one.toml "${plugins[@]}" --jobs 2 --quiet
"${mpirun[@]}" "$klaster" batch same.toml "${plugins[@]}" --mpi --quiet
for sql in "SELECT id, status, parameters FROM scenarios ORDER BY id" \
  "SELECT * FROM p__lq ORDER BY scenario, year, region, industry" \
  "SELECT * FROM p__f ORDER BY scenario, year, region, industry"; do
  [ "$(q out/one.sqlite "$sql" | md5sum)" = "$(q out/same.sqlite "$sql" | md5sum)" ] ||
    fail "stores differ in: $sql"
done
[ "$(q out/same.sqlite "SELECT count(*), sum(status = 'ok') FROM scenarios")" = "40|40" ] ||
  fail "not 40 ok scenarios"
[ "$(q out/same.sqlite "SELECT count(*) FROM p__lq")" = $((40 * rows)) ] || fail "rows of p__lq"

echo "2. a segfaulting plugin loses only its scenario"
cat > crash.toml <<'EOF'
pipelines = ["p.toml"]
store = "out/crash.sqlite"
collect = ["f"]
[[scenario]]
id = "before"
[[scenario]]
id = "segv"
set = { "f.mode" = "segfault" }
[[scenario]]
id = "throw"
set = { "f.mode" = "throw" }
[[scenario]]
id = "after"
EOF
code=0
"${mpirun[@]}" "$klaster" batch crash.toml "${plugins[@]}" --mpi --quiet 2> crash.err || code=$?
[ "$code" = 1 ] || fail "crash batch exit $code, not 1: $(cat crash.err)"
got=$(q out/crash.sqlite "SELECT id, status, error LIKE '%fixture failure: mode throw%' OR error
  = 'the worker process was killed by signal 11 (Segmentation fault)' FROM scenarios ORDER BY id")
# The causes: strsignal(11) and the fixture's own message (tests/fixtures/faulty.cpp); an ok
# scenario has no error (NULL, so the test prints nothing).
expected="after|ok|
before|ok|
segv|failed|1
throw|failed|1"
[ "$got" = "$expected" ] || fail "crash store: $got"
[ "$(q out/crash.sqlite "SELECT scenario, count(*) FROM p__f GROUP BY 1 ORDER BY 1")" = \
  "after|$rows
before|$rows" ] || fail "crash rows"

# Starts a 600-scenario batch on 2 ranks, kills rank $1 with SIGKILL once 50 scenarios are stored,
# checks that the whole job ended (Open MPI 4.1 cannot go on without a rank, docs/batch.md "MPI"),
# then runs it again with --resume: every scenario once, each with all its rows.
kill_and_resume() {
  local n=600 job code=0 at_kill store="out/kill$1.sqlite"
  grid "kill$1.toml" "$store" $n
  # Each rank runs through sh, which writes its pid (exec keeps it) for the kill below.
  timeout 120 "${mpirun[@]}" sh -c 'echo $$ > "rank$OMPI_COMM_WORLD_RANK.pid"; exec "$@"' \
    sh "$klaster" batch "kill$1.toml" "${plugins[@]}" --mpi --quiet > "kill$1.log" 2>&1 &
  job=$!
  stored() { [ -f "$store" ] && q "$store" "SELECT count(*) FROM scenarios" 2>/dev/null || echo 0; }
  for _ in $(seq 600); do [ "$(stored)" -ge 50 ] && break; sleep 0.1; done
  kill -9 "$(cat "rank$1.pid")"
  wait "$job" || code=$?
  [ "$code" != 0 ] && [ "$code" != 124 ] || fail "rank $1 killed: mpirun exit $code (124: it hung)"
  at_kill=$(stored)
  [ "$at_kill" -ge 50 ] && [ "$at_kill" -lt $n ] || fail "killed at $at_kill of $n scenarios"
  "${mpirun[@]}" "$klaster" batch "kill$1.toml" "${plugins[@]}" --mpi --resume --quiet
  [ "$(q "$store" "SELECT count(*), count(DISTINCT id), sum(status = 'ok') FROM scenarios")" = \
    "$n|$n|$n" ] || fail "after resume: $(q "$store" "SELECT count(*), count(DISTINCT id) FROM scenarios")"
  [ "$(q "$store" "SELECT count(*), count(DISTINCT scenario) FROM p__f")" = "$((n * rows))|$n" ] ||
    fail "rows after resume"
  [ -z "$(q "$store" "SELECT scenario FROM p__lq GROUP BY 1 HAVING count(*) != $rows")" ] ||
    fail "a scenario with a part of its rows"
}
echo "3. rank 0 killed, then --resume"
kill_and_resume 0
echo "3b. rank 1 killed: the job ends; --resume runs the rest"
kill_and_resume 1

echo "4. a rank with a different batch file"
mkdir -p r0 r1
grid r0/b.toml out/b.sqlite 3
grid r1/b.toml out/b.sqlite 4
cp p.toml r0/ && cp p.toml r1/
code=0
"${mpirun[@]}" sh -c 'cd "r$OMPI_COMM_WORLD_RANK" && exec "$@"' sh "$klaster" batch b.toml \
  "${plugins[@]}" --mpi 2> differ.err || code=$?
[ "$code" = 2 ] || fail "different batch file: exit $code, not 2"
grep -q "^error: batch --mpi: rank 1 on .*: its batch file .*b.toml differs from rank 0's" differ.err ||
  fail "different batch file: $(cat differ.err)"
[ ! -e r0/out/b.sqlite ] || fail "a store was created"
echo "ok"
