#!/usr/bin/env bash
# klaster report on the command line: bad input gives one-line errors with exit 2 and touches
# nothing; a report in a run folder does not stop a later run there.
#   report_cli_test.sh KLASTER SOURCE_DIR WORK_DIR
set -euo pipefail
klaster=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
expect() {  # expect CODE MESSAGE COMMAND...: exit code CODE and stderr exactly MESSAGE
  local code=$1 message=$2; shift 2
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [[ $got == "$code" ]] || fail "$* exited $got, not $code: $(cat err.txt)"
  [[ "$(head -1 err.txt)" == "$message" ]] || fail "$*: stderr '$(head -1 err.txt)', not '$message'"
}
mkdir notarun && echo "my notes" >notarun/notes.txt
expect 2 "error: notarun: not a klaster run folder (no run.json written by klaster; \`klaster run PIPELINE --out DIR\` writes one)" \
  "$klaster" report notarun
[[ ! -e notarun/report.html ]] || fail "wrote into a folder that is not a run folder"
expect 2 "error: missing RUN_DIR" "$klaster" report
"$klaster" run "$src/configs/kz_auto_cluster_formation.toml" --out run --quiet --set hubs_3.p=5
expect 2 "error: --lang de: use en or ru" "$klaster" report run --lang de
echo "<p>my thesis</p>" >thesis.html
expect 2 "error: thesis.html: refusing to overwrite a file klaster did not write (only a report klaster wrote is replaced); choose another -o" \
  "$klaster" report run -o thesis.html
[[ "$(cat thesis.html)" == "<p>my thesis</p>" ]] || fail "thesis.html changed"
"$klaster" report run --quiet
"$klaster" report run -o run/report_ru.html --lang ru --quiet
# The summaries' {STEP.PARAM} placeholders hold the values the run used (--set hubs_3.p=5), as the
# pipeline's `title` and `title_ru` read with 5 in place of {hubs_3.p}; none is left unreplaced.
grep -q '<h3>Best 5 hubs</h3>' run/report.html || fail "report.html: no summary 'Best 5 hubs'"
grep -q '<h3>Лучшие центры: 5</h3>' run/report_ru.html || fail "report_ru.html: no 'Лучшие центры: 5'"
grep -q '<h3>1. Шаблоны Фезера–Бергмана' run/report_ru.html || fail "report_ru.html: no title_ru"
if grep -q '{hubs_3.p}\|{incentive\.' run/report.html run/report_ru.html; then
  fail "a report shows a placeholder unreplaced"
fi
# A run.json without the parameter (an older klaster's) gives a note instead of the summaries.
sed -i 's/"p": 5,/"p_gone": 5,/' run/run.json
"$klaster" report run -o old.html --quiet
grep -q 'run.json records no value for the placeholder {hubs_3.p}' old.html ||
  fail "old.html: no note on the unrecorded placeholder"
# Every plugin of the demo gives its summary, description and chart titles in Russian: none is
# marked untranslated; the multipliers step's chart title as plugins/multipliers gives it.
if grep -q 'class="untranslated"' run/report_ru.html; then
  fail "report_ru.html marks plugin texts untranslated: $(grep -o '<span lang="en">[^<]*' run/report_ru.html | head -3)"
fi
grep -q '<div class="chart-title">Мультипликаторы выпуска: начальный, косвенный, индуцированный эффекты</div>' \
  run/report_ru.html || fail "report_ru.html lacks the Russian title of the multipliers chart"
# Both reports are klaster's: a later run replaces the folder instead of refusing it.
"$klaster" run "$src/configs/kz_auto_cluster_formation.toml" --out run --quiet
[[ ! -e run/report.html ]] || fail "the replaced run folder still holds the old report"
# A file of the user's beside them still stops the run (nothing deleted).
"$klaster" report run --quiet && cp thesis.html run/
expect 2 "error: run: refusing to replace this folder: it holds thesis.html, which klaster did not write (only an empty folder or a previous klaster output is replaced); choose a new folder (e.g. out/kz_auto_cluster_formation)" \
  "$klaster" run "$src/configs/kz_auto_cluster_formation.toml" --out run --quiet
# klaster describe --lang: the plugin's Russian texts (as plugins/location_quotient gives them), a
# bad language exit 2.
expect 2 "error: --lang de: use en or ru" "$klaster" describe location_quotient --lang de
"$klaster" describe location_quotient --lang ru >describe_ru.txt
grep -q "^  Вычисляет коэффициенты локализации каждой отрасли в каждом регионе (и году)$" describe_ru.txt ||
  fail "describe --lang ru: no Russian summary: $(head -3 describe_ru.txt)"
grep -q "специализирован" describe_ru.txt || fail "describe --lang ru: no Russian description"
if grep -q "\[EN\]" describe_ru.txt; then fail "describe --lang ru marks a text untranslated"; fi
"$klaster" describe location_quotient >describe_en.txt
grep -q "^  Computes location quotients of every industry in every region (and year)$" describe_en.txt ||
  fail "describe: no English summary"
# The report of a batch store (docs/report.md, "Batch stores"): its numbers are checked against the
# store by report_batch_check.py, which recomputes them with Python's sqlite3 (never klaster's).
cat >tiny.toml <<TOML
pipelines = ["$src/configs/kz_auto_cluster.toml"]
collect = [{ table = "lq_compare", where = { industry = "C", year = 2025 } }]
store = "tiny.sqlite"
[baseline]
"incentive.years" = [2025]
[grid]
"incentive.factor" = [1.05, 1.20]
"incentive.regions" = [["KST"], ["ALA"]]
[[scenario]]
id = "unknown_region"
set = { "incentive.regions" = ["XXX"] }
TOML
set +e; "$klaster" batch "$PWD/tiny.toml" --quiet; rc=$?; set -e
[[ $rc == 1 ]] || fail "klaster batch exited $rc, not 1 (scenario unknown_region fails)"
"$klaster" report tiny.sqlite --quiet
/usr/bin/python3 "$src/tests/report_batch_check.py" tiny.html tiny.sqlite \
  kz_auto_cluster__lq_compare region scenario_ incentive.factor
grep -q "Kostanay Region" tiny.html || fail "no region names in the batch report"
# Units (issue 12): the store records those of the collected columns; lq_compare's change is in
# the unit of compare's value (plugins/compare/README.md), lq, "dimensionless" by
# plugins/location_quotient/README.md; relative_change is a "ratio" (compare's README). The summary
# headings and the chart's value drop-down show them.
[[ $(sqlite3 tiny.sqlite "SELECT unit FROM units WHERE table_name = 'kz_auto_cluster__lq_compare' AND column_name = 'change'") == dimensionless ]] ||
  fail "the store records no unit of lq_compare's change"
# compare's column `scenario` is `scenario_` in the store (docs/batch.md), and so is its unit's row:
# in the unit of the baseline's value (plugins/compare/README.md), lq's "dimensionless".
[[ $(sqlite3 tiny.sqlite "SELECT group_concat(column_name || '=' || unit) FROM units WHERE table_name = 'kz_auto_cluster__lq_compare' AND column_name LIKE 'scenario%'") == scenario_=dimensionless ]] ||
  fail "the store records the unit of lq_compare's scenario column under another name than scenario_"
grep -q 'change mean<br><span class="unit">dimensionless</span>' tiny.html ||
  fail "the batch report's summary shows no unit under 'change mean'"
grep -q '"relative_change (ratio)"' tiny.html || fail "the batch report's value drop-down shows no unit"
# A store written before units were recorded (no table units) still reports, without units.
cp tiny.sqlite nounits.sqlite && sqlite3 nounits.sqlite "DROP TABLE units"
"$klaster" report nounits.sqlite --quiet
if grep -q 'class="unit"' nounits.html; then fail "units shown for a store without units"; fi
grep -q "change mean" nounits.html || fail "the report of a store without units lacks its summary"
# The map (docs/report.md, "Batch stores"): lq_compare is keyed by region, so its section has a
# choropleth (data-kind map, drop-downs for the scenario) and the page holds the boundaries. A store
# whose dataset is gone (its dataset.toml, as the batch table names it, moved away) reports
# without a map: a note instead, exit 0, no boundaries in the page.
grep -q 'data-kind="map"' tiny.html || fail "the batch report has no map of lq_compare"
grep -q '"name":"pick_s"' tiny.html || fail "the batch map has no scenario drop-down"
if grep -q '<script type="application/json" id="klaster-regions">\[\]' tiny.html; then
  fail "the batch report with a map holds no boundaries"
fi
cp tiny.sqlite gone.sqlite
sqlite3 gone.sqlite "UPDATE batch SET key = replace(key, 'dataset.toml', 'gone/dataset.toml') WHERE key LIKE 'sha256:%dataset.toml'"
"$klaster" report gone.sqlite --quiet
grep -q "Map omitted: the dataset manifest .*/gone/dataset.toml cannot be read." gone.html ||
  fail "the report of a store whose dataset is gone has no note about the map"
if grep -q 'data-kind="map"' gone.html; then fail "a map drawn without the dataset"; fi
grep -q '<script type="application/json" id="klaster-regions">\[\]' gone.html ||
  fail "boundaries in a report without a map"
# A map offers the first K ok scenarios by id, K = max(1, 20000 / rows of the first ok scenario)
# (docs/report.md, "Sizes" under "Batch stores"): with every scenario's rows copied 9 times over (x 512), K is
# computed here from that formula and the note says "first K of 4" (the 2 x 2 grid's ok runs).
cp tiny.sqlite big.sqlite
for _ in 1 2 3 4 5 6 7 8 9; do
  sqlite3 big.sqlite "INSERT INTO kz_auto_cluster__lq_compare SELECT * FROM kz_auto_cluster__lq_compare"
done
n=$(sqlite3 big.sqlite "SELECT count(*) FROM kz_auto_cluster__lq_compare WHERE scenario = 'g0001'")
k=$((20000 / n)); ((k >= 1)) || k=1
"$klaster" report big.sqlite --quiet
grep -q "The map offers the first $k of 4 ok scenarios (by id); every row is in the store." big.html ||
  fail "the map of a store with $n rows per scenario does not say it offers the first $k of 4 scenarios"
# Copied twice more (x 2048: over 20,000 rows per scenario), the map draws the first scenario's
# first 20,000 rows, and says so.
for _ in 1 2; do
  sqlite3 big.sqlite "INSERT INTO kz_auto_cluster__lq_compare SELECT * FROM kz_auto_cluster__lq_compare"
done
n=$(sqlite3 big.sqlite "SELECT count(*) FROM kz_auto_cluster__lq_compare WHERE scenario = 'g0001'")
((n > 20000)) || fail "$n rows per scenario, not over 20000"
"$klaster" report big.sqlite --quiet
grep -q "The map offers the first 1 of 4 ok scenarios (by id); every row is in the store. The chart is drawn from the first 20000 of $n rows." big.html ||
  fail "the map of a store with $n rows per scenario does not say it draws the first 20000"
"$klaster" report tiny.sqlite --lang ru -o tiny_ru.html --quiet
grep -q "Костанайская" tiny_ru.html && grep -q "Сценарии" tiny_ru.html || fail "the Russian batch report lacks Russian text"
expect 2 "error: tiny.sqlite: refusing to overwrite a file klaster did not write (only a report klaster wrote is replaced); choose another -o" \
  "$klaster" report tiny.sqlite -o tiny.sqlite
# An unfinished store (one run missing), an empty one, one whose batch file changed: notes, exit 0.
cp tiny.sqlite part.sqlite && sqlite3 part.sqlite "DELETE FROM scenarios WHERE id = 'g0004'"
expect 0 "note: part.sqlite: Unfinished: 4 of the 5 runs of the batch file are stored; continue with klaster batch $PWD/tiny.toml --resume." \
  "$klaster" report part.sqlite --quiet
grep -q "Unfinished: 4 of the 5 runs" part.html || fail "part.html does not say it is unfinished"
cp tiny.sqlite empty.sqlite && sqlite3 empty.sqlite "DELETE FROM scenarios; DELETE FROM kz_auto_cluster__lq_compare"
expect 0 "note: empty.sqlite: The store holds no scenario yet." "$klaster" report empty.sqlite --quiet
echo "# edited" >>tiny.toml
expect 0 "note: tiny.sqlite: The batch file $PWD/tiny.toml changed since the batch ran: whether every run is stored is unknown." \
  "$klaster" report tiny.sqlite --quiet
# Files that are no store: exit 2, one line, nothing written.
sqlite3 other.sqlite "CREATE TABLE t (a)"
expect 2 "error: other.sqlite: not a klaster batch store (it has no table 'batch')" "$klaster" report other.sqlite
expect 2 "error: notarun/notes.txt: neither a run folder nor a batch store (the SQLite file \`klaster batch\` writes)" \
  "$klaster" report notarun/notes.txt
[[ ! -e other.html && ! -e notarun/notes.html ]] || fail "a report was written for a file that is no store"
echo "report cli: ok"
