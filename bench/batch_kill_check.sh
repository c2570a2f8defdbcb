#!/usr/bin/env bash
# Kill -9 check of `klaster batch` at scale (issue 11, "Done when"): a grid of N scenarios on
# configs/kz_auto_cluster.toml is started, killed with SIGKILL K times at random points (when the
# store holds a random number of scenarios beyond the last kill's, then resumed with --resume),
# then resumed to the end; the store must hold every scenario exactly once,
# each with all its rows, and the same rows as an uninterrupted batch.
#   bench/batch_kill_check.sh [BUILD_DIR] [SCENARIOS] [KILLS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
n="${2:-10000}"
kills="${3:-5}"
klaster="$build/bin/klaster"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

values="$(awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%.5f", (i > 1 ? ", " : ""), 1 + i / 100000 }')"
for name in killed whole; do
  cat > "$work/$name.toml" <<TOML
pipelines = ["$root/configs/kz_auto_cluster.toml"]
collect = ["hhi"]
store = "$work/$name.sqlite"
[baseline]
"incentive.years" = [2025]
[grid]
"incentive.factor" = [$values]
TOML
done

stored() {  # without creating the file, as the sqlite3 shell would
  [ -f "$work/killed.sqlite" ] && sqlite3 "$work/killed.sqlite" "SELECT count(*) FROM scenarios" || echo 0
}
resume=""
for k in $(seq 1 "$kills"); do
  "$klaster" batch "$work/killed.toml" $resume --quiet &
  pid=$!
  target=$(( $(stored) + 1 + RANDOM % (n / (kills + 1)) ))
  while [ "$(stored)" -lt "$target" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "kill $k: $(stored) of $n scenarios stored"
  resume="--resume"
  [ -f "$work/killed.sqlite" ] || resume=""
done
"$klaster" batch "$work/killed.toml" $resume --quiet
"$klaster" batch "$work/whole.toml" --quiet
echo "after resume: $(sqlite3 "$work/killed.sqlite" "SELECT count(*) || ' rows, ' || count(DISTINCT id) || ' ids, ' || sum(status = 'ok') || ' ok' FROM scenarios")"
bad=$(sqlite3 "$work/killed.sqlite" "SELECT count(*) FROM (SELECT scenario FROM kz_auto_cluster__hhi GROUP BY 1 HAVING count(*) != 77)")
[ "$bad" = 0 ] || { echo "FAIL: $bad scenarios without exactly 77 hhi rows"; exit 1; }
q="SELECT scenario, industry, year, hhi FROM kz_auto_cluster__hhi ORDER BY 1, 2, 3"
a=$(sqlite3 "$work/killed.sqlite" "$q" | md5sum)
b=$(sqlite3 "$work/whole.sqlite" "$q" | md5sum)
[ "$a" = "$b" ] || { echo "FAIL: the resumed store differs from an uninterrupted one"; exit 1; }
[ "$(sqlite3 "$work/killed.sqlite" "SELECT count(DISTINCT id) FROM scenarios")" = "$n" ] || { echo "FAIL: not every scenario stored"; exit 1; }
echo "ok: $n scenarios, each stored once with its 77 rows, equal to an uninterrupted batch"
pgrep -f "$work/killed.toml" > /dev/null && { echo "FAIL: workers left behind"; exit 1; }
exit 0
