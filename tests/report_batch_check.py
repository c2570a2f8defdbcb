#!/usr/bin/env python3
"""Checks the report of a batch store against the store itself, read with Python's sqlite3.

report_batch_check.py REPORT STORE TABLE KEY VALUE GRID
Every expected number is recomputed here from the store's rows (never taken from klaster): the
counts of runs, each scenario's status and error, and for output table TABLE (one row per KEY in
each scenario) the count, min, mean and max of column VALUE per KEY across the ok scenarios, and
the rows the grid chart draws (GRID: its first grid key). Exit 1 with one line per problem.
"""
import html
import html.parser
import json
import re
import sqlite3
import sys

report, store, table, key, value, grid = sys.argv[1:7]
page = open(report, encoding="utf-8").read()
text = html.unescape(page)
db = sqlite3.connect(store)
problems = []


class Tables(html.parser.HTMLParser):
    """Every <tr> of the page as a list of (text, data-v) cells."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ["", dict(attrs).get("data-v")]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.cell[0].strip(), self.cell[1]))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


parser = Tables()
parser.feed(page)

runs, ok, failed = db.execute(
    "SELECT count(*), sum(status = 'ok'), sum(status = 'failed') FROM scenarios").fetchone()
if f"{runs} stored: {ok} ok, {failed} failed" not in text:
    problems.append(f"the counts '{runs} stored: {ok} ok, {failed} failed' are not in the report")
for sid, status, error in db.execute("SELECT id, status, error FROM scenarios"):
    row = next((r for r in parser.rows if r and r[0][0] == sid), None)
    if row is None or status not in [c[0] for c in row]:
        problems.append(f"scenario {sid}: no row with status {status}")
    elif error and error not in [c[0] for c in row]:
        problems.append(f"scenario {sid}: its error is not in its row")

name = f'"{table}"'
expected = {}
for k, n, lo, mean, hi in db.execute(
        f'SELECT t."{key}", count(*), min(t."{value}"), avg(t."{value}"), max(t."{value}") '
        f"FROM {name} t JOIN scenarios s ON s.id = t.scenario WHERE s.status = 'ok' "
        f'GROUP BY t."{key}"'):
    expected[str(k)] = (n, lo, mean, hi)
for k, (n, lo, mean, hi) in expected.items():
    # The summary's row of this key: key, count, then min/mean/max of each value column.
    rows = [r for r in parser.rows if r and r[0][0].split(" ")[0] == k and len(r) > 4]
    got = [float(c[1]) for r in rows for c in r if c[1] is not None]
    for what, want in (("min", lo), ("max", hi)):
        if want not in got:
            problems.append(f"{table} {key}={k}: {what} {value} {want!r} not in its summary row")
    if not any(abs(g - mean) <= 1e-12 * abs(mean) for g in got):
        problems.append(f"{table} {key}={k}: mean {value} {mean!r} not in its summary row")
    if not any(str(n) == c[0] for r in rows for c in r):
        problems.append(f"{table} {key}={k}: count {n} not in its summary row")

# The grid chart draws every ok grid scenario's rows: (scenario, grid value, key, value).
specs = [json.loads(s) for s in re.findall(
    r'<script type="application/json" id="spec-\d+">(.*?)</script>', page, re.S)]
drawn = set()
for spec in specs:
    encoding = spec.get("encoding", {})  # a map's encodings are in its layers
    axes = [e for e in encoding.values() if isinstance(e, dict) and e.get("title") == grid]
    if not axes:  # not the grid chart, or one over other keys
        continue
    for row in spec["data"]["values"]:
        values = [v for f, v in row.items() if f.startswith("_v")]
        drawn.add((row["_s"], row[axes[0]["field"]], str(row["_k0"]), tuple(values)))
want = set()
for sid, g, k, v in db.execute(
        f'SELECT s.id, s."{grid}", t."{key}", t."{value}" FROM {name} t JOIN scenarios s '
        f"ON s.id = t.scenario WHERE s.status = 'ok' AND s.id GLOB 'g[0-9]*'"):
    want.add((sid, g, str(k), v))
got = {(s, g, k, v) for s, g, k, values in drawn for v in values if (s, g, k, v) in want}
if got != want:
    problems.append(f"the grid chart draws {len(got)} of the {len(want)} rows (scenario, {grid}, "
                    f"{key}, {value}) of the ok grid scenarios")
for p in problems:
    print(f"{report}: {p}")
print(f"{report}: checked against {store}: {runs} runs, {len(expected)} keys, "
      f"{len(want)} chart rows; {len(problems)} problems")
sys.exit(1 if problems else 0)
