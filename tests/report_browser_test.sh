#!/usr/bin/env bash
# klaster report in a real browser: runs the demo pipeline, writes its report in English and in
# Russian, opens each in headless Chromium (no network: every host name resolves to nothing) and
# checks the DOM after the scripts ran (tests/report_dom_check.py): no console error, every chart
# and the map drawn with marks, no http(s) resource, the Content-Security-Policy in place, the
# language's strings and names, the marks of the dendrogram and the templates matrix (counted from
# the run's CSV files). The same for the report of a batch store (configs/kz_measures_batch.toml: a
# 3 x 3 grid as heatmaps, named scenarios as bars, maps of the tables keyed by region with the
# marks of incentive_effect's counted from the store). Screenshots and DOM dumps stay in WORK_DIR as
# test artefacts.
#   report_browser_test.sh KLASTER SOURCE_DIR WORK_DIR
# Exit 77 (skipped) without chromium or python3.
set -euo pipefail
klaster=$1 src=$2 work=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$chromium" && -x /usr/bin/python3 ]] || { echo "skipped: no chromium or python3"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$klaster" run "$src/configs/kz_auto_cluster_formation.toml" --out "$work/run" --quiet
"$klaster" report "$work/run"
"$klaster" report "$work/run" --lang ru -o "$work/report_ru.html"
(cd "$work" && "$klaster" batch "$src/configs/kz_measures_batch.toml" --quiet)
"$klaster" report "$work/out/kz_measures_batch.sqlite" -o "$work/batch_en.html"
"$klaster" report "$work/out/kz_measures_batch.sqlite" --lang ru -o "$work/batch_ru.html"

browse() {  # browse FILE ARGS...: headless Chromium on FILE, its console on stderr
  local file=$1; shift
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 \
    --virtual-time-budget=30000 "$@" "file://$file"
}
for lang in en ru; do
  file="$work/run/report.html"
  [[ $lang == ru ]] && file="$work/report_ru.html"
  browse "$file" --dump-dom >"$work/dom_$lang.html" 2>"$work/console_$lang.log"
  # The top of the page, and the charts alone (report.html#charts hides the tables).
  browse "$file" --window-size=1280,4000 --screenshot="$work/report_$lang.png" \
    >/dev/null 2>"$work/screenshot_$lang.log"
  browse "$file#charts" --window-size=1280,16000 --screenshot="$work/charts_$lang.png" \
    >/dev/null 2>>"$work/screenshot_$lang.log"
  for png in "$work/report_$lang.png" "$work/charts_$lang.png"; do
    [[ -s "$png" ]] || { echo "no screenshot $png"; exit 1; }
  done
  /usr/bin/python3 "$src/tests/report_dom_check.py" "$lang" "$file" "$work/dom_$lang.html" \
    "$work/console_$lang.log" "$work/run"
done
for lang in en ru; do  # the batch store's report
  browse "$work/batch_$lang.html" --dump-dom >"$work/dom_batch_$lang.html" 2>"$work/console_batch_$lang.log"
  browse "$work/batch_$lang.html" --window-size=1280,8000 --screenshot="$work/batch_$lang.png" \
    >/dev/null 2>"$work/screenshot_batch_$lang.log"
  [[ -s "$work/batch_$lang.png" ]] || { echo "no screenshot $work/batch_$lang.png"; exit 1; }
  /usr/bin/python3 "$src/tests/report_dom_check.py" "$lang" "$work/batch_$lang.html" \
    "$work/dom_batch_$lang.html" "$work/console_batch_$lang.log" batch \
    "$work/out/kz_measures_batch.sqlite"
done
echo "reports: $work/run/report.html ($(stat -c %s "$work/run/report.html") bytes), $work/report_ru.html; screenshots in $work"
