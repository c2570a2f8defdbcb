#!/usr/bin/env python3
"""Checks a klaster report's DOM as headless Chromium left it after running its scripts.

report_dom_check.py LANG REPORT_FILE DOM_FILE CONSOLE_LOG [RUN_DIR | batch STORE]
(batch: the report of the measures batch's store STORE, configs/kz_measures_batch.toml, which has
a scenarios section and maps of its tables keyed by region)
Fails (exit 1, one line per problem) when: the console log holds any message (a script error, a
refused resource, a failed chart, a Vega warning); a chart div has no data-marks or has data-error; a map has no
more marks than its grey base layer; the number of charts drawn differs from the specs in the
file; a src or href attribute names an http(s) URL; the CSP meta is missing; the language's
strings or Russian names are missing; in Russian, a chart title is not in Russian or a plugin's
text is marked untranslated (every plugin of the demo gives its texts in Russian). With RUN_DIR
(the demo's run folder): the dendrogram of step `tree` and the templates matrix of step
`templates` do not draw the marks their tables call for, counted here from the CSV files (3 lines
per merge and a name per item; a cell per loading), and a unit that run.json gives a column of a
table shown is not in the report's headings.
"""
import csv
import os
import html.parser
import re
import sys

lang, report, dom_file, console_log = sys.argv[1:5]
batch = sys.argv[5:6] == ["batch"]
store = sys.argv[6] if batch else None
run_dir = sys.argv[5] if len(sys.argv) > 5 and not batch else None
dom = open(dom_file, encoding="utf-8").read()
source = open(report, encoding="utf-8").read()
console = open(console_log, encoding="utf-8", errors="replace").read()
problems = []


class Charts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts, self.urls, self.csp = [], [], False
        self.titles, self.in_title, self.untranslated = [], False, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "div" and "chart" in classes:
            a["_title"] = len(self.titles) - 1  # the chart-title div before it
            self.charts.append(a)
        if tag == "div" and "chart-title" in classes:
            self.titles.append("")
            self.in_title = True
        if "untranslated" in classes:
            self.untranslated += 1
        for name in ("src", "href"):
            if re.match(r"\s*(https?:)?//", a.get(name) or ""):
                self.urls.append(f"<{tag} {name}={a[name]}>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = "default-src 'none'" in (a.get("content") or "")

    def handle_endtag(self, tag):
        if tag == "div":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.titles[-1] += data


parser = Charts()
parser.feed(dom)
specs = len(re.findall(r'<script type="application/json" id="spec-', source))
if specs == 0:
    problems.append("the report holds no chart")
if len(parser.charts) != specs:
    problems.append(f"{len(parser.charts)} chart divs in the DOM, {specs} specs in the file")
BASE_FEATURES = 17  # features of data/kz/geo/kz_admin1_klaster.geojson, the map's grey layer
maps = 0
for c in parser.charts:
    marks = int(c.get("data-marks") or 0)
    if c.get("data-error") is not None:
        problems.append(f"{c.get('id')}: error: {c['data-error']}")
    elif marks == 0:
        problems.append(f"{c.get('id')} ({c.get('data-kind')}): not drawn (no data-marks)")
    if c.get("data-kind") in ("map", "points"):
        maps += 1
        if marks <= BASE_FEATURES:
            problems.append(f"{c.get('id')} ({c.get('data-kind')}): only {marks} marks, no data on the map")
if maps == 0:
    problems.append("no map drawn")


def csv_rows(table):
    with open(os.path.join(run_dir, table + ".csv"), encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1  # less the header


if run_dir:
    merges = csv_rows("tree")  # n - 1 merges of n items
    expected_marks = {"dendrogram": 3 * merges + merges + 1, "matrix": csv_rows("templates_loadings")}
    for kind, want in expected_marks.items():
        drawn = [int(c.get("data-marks") or 0) for c in parser.charts if c.get("data-kind") == kind]
        if drawn != [want]:
            problems.append(f"{kind}: marks {drawn}, expected [{want}] from the run's CSV")
    # Units: every unit run.json gives a column of a table the report shows stands in a heading.
    import html as html_lib
    import json
    record = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    for step in record["steps"]:
        for table in step["tables_written"]:
            if table["rows"] > 1_000_000:
                continue  # not read into the report
            for column, unit in table.get("units", {}).items():
                if f'<span class="unit">{html_lib.escape(unit)}</span>' not in source:
                    problems.append(f"{table['table']}.{column}: unit '{unit}' not in the report")
if store:
    # The map of incentive_effect (docs/report.md, "Batch stores"): its drop-downs start at the
    # first ok scenario by id and the first cluster of that scenario's rows; every region of
    # data/kz is on the map (a polygon, or a circle at its centre from data/kz/regions.csv), so
    # it draws the grey base layer and one mark per row of that scenario and cluster, counted here
    # with Python's sqlite3.
    import sqlite3
    db = sqlite3.connect(store)
    table = "kz_auto_cluster_formation__incentive_effect"
    first = db.execute("SELECT id FROM scenarios WHERE status = 'ok' ORDER BY id").fetchone()[0]
    cluster = db.execute(f"SELECT cluster FROM {table} WHERE scenario = ? ORDER BY rowid",
                         (first,)).fetchone()[0]
    rows = db.execute(f"SELECT count(*) FROM {table} WHERE scenario = ? AND cluster = ?",
                      (first, cluster)).fetchone()[0]
    drawn = [int(c.get("data-marks") or 0) for c in parser.charts
             if c.get("data-kind") == "map" and table in parser.titles[c["_title"]]]
    if drawn != [BASE_FEATURES + rows]:
        problems.append(f"{table}'s map: marks {drawn}, expected [{BASE_FEATURES} + {rows}] "
                        f"(scenario {first}, cluster {cluster})")
problems += [f"network resource: {u}" for u in parser.urls]
if not parser.csp:
    problems.append("no Content-Security-Policy meta with default-src 'none'")
# Chromium logs every console message (log, warn, error, a CSP violation, an uncaught exception) as
# INFO:CONSOLE; the report writes none when all goes well, so any is a problem.
for line in console.splitlines():
    if ":CONSOLE" in line:
        problems.append(f"console: {line.strip()}")
expected = {"en": ["Contents", "Kostanay Region"], "ru": ["Содержание", "Костанайская"]}[lang]
if batch:
    expected.append({"en": "Scenarios", "ru": "Сценарии"}[lang])
for text in expected:
    if text not in dom:
        problems.append(f"'{text}' not in the {lang} report")
cyrillic = re.compile("[А-Яа-яЁё]")
if len(parser.titles) < len(parser.charts):
    problems.append(f"{len(parser.titles)} chart titles for {len(parser.charts)} charts")
for title in parser.titles:
    if (lang == "ru") != bool(cyrillic.search(title)):
        problems.append(f"chart title '{title}' is not in the {lang} report's language")
if lang == "ru" and parser.untranslated:
    problems.append(f"{parser.untranslated} plugin texts marked untranslated")
# Titles as plugins/accessibility/accessibility.cpp and plugins/multipliers/multipliers.cpp give
# them in Russian (both are steps of the demo, not of the batch); a map's title in the Maps section starts with its
# step's id ("market_access: Доступность по регионам").
if lang == "ru" and not batch:
    for title in ("Доступность по регионам", "Мультипликаторы выпуска: начальный, косвенный"):
        if not any(t.startswith(title) or ": " + title in t for t in parser.titles):
            problems.append(f"chart title '{title}...' not drawn in the ru report")
if f'<html lang="{lang}"' not in dom:
    problems.append(f"<html lang=\"{lang}\"> missing")
for p in problems:
    print(f"{report}: {p}")
print(f"{report}: {len(parser.charts)} charts ({maps} maps), {len(parser.titles)} titles, "
      f"{len(problems)} problems")
sys.exit(1 if problems else 0)
