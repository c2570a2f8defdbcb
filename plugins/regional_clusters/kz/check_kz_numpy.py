#!/usr/bin/env python3
"""Recomputes regional_clusters' Kazakh example independently with numpy, from the CSV files, and
compares it with a run's output folder:

    klaster run plugins/regional_clusters/kz/kz_motor_vehicles.toml --out OUT
    /usr/bin/python3 plugins/regional_clusters/kz/check_kz_numpy.py OUT

size_rc = sum_p share_p x_r,section(p); LQ = (size_rc / total_r) / (size_Nc / total_N) (Isard);
groups = connected components (scipy-free breadth-first search) of the neighbour graph on the
regions with LQ >= 1. Exit 0 when everything agrees to 1e-9 (relative), 1 otherwise, 77 without
numpy (a skipped test).
"""
import csv
import sys
from collections import defaultdict
from pathlib import Path

try:
    import numpy as np
except ImportError:
    sys.exit(77)

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "data" / "kz"
SHARES = DATA / "io_2024" / "kz_io_2024_section_shares.csv"


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def expected():
    out = [r for r in rows(DATA / "output.csv") if r["year"] == "2024"]
    regions = sorted({r["region"] for r in out})
    sections = sorted({r["industry"] for r in out})
    x = np.zeros((len(regions), len(sections)))
    for r in out:
        x[regions.index(r["region"]), sections.index(r["industry"])] = float(r["value"])
    share = {r["code"]: (r["nace_section"], float(r["share"])) for r in rows(SHARES)}
    clusters = defaultdict(list)
    for r in rows(HERE / "motor_vehicles_template.csv"):
        clusters[r["cluster"]].append(r["industry"])
    result = {}
    for c, products in clusters.items():
        w = np.zeros(len(sections))
        for p in products:
            s, v = share[p]
            w[sections.index(s)] += v
        size = x @ w
        total = x.sum(axis=1)
        lq = (size / total) / (size.sum() / total.sum())
        result[c] = (regions, size, size / size.sum(), lq, total)
    return result


def groups(regions, qualifies, size):
    adj = defaultdict(set)
    for r in rows(HERE / "neighbours_hand.csv"):
        adj[r["from"]].add(r["to"])
        adj[r["to"]].add(r["from"])
    seen, out = set(), []
    for r in regions:
        if r not in qualifies or r in seen:
            continue
        comp, todo = [], [r]
        seen.add(r)
        while todo:
            q = todo.pop()
            comp.append(q)
            for n in adj[q]:
                if n in qualifies and n not in seen:
                    seen.add(n)
                    todo.append(n)
        comp.sort()
        out.append((-sum(size[regions.index(q)] for q in comp), comp[0], "+".join(comp)))
    return [g[2] for g in sorted(out)]


def check_concordance():
    """The share of motor vehicles (29) in manufacturing (C) in data/kz's io_section_shares, by hand
    from io_supply's P1 column:
    P1(29) = 1,990,638,600 and the P1 of the 28 products of section C sum to 31,481,802,879
    (thousand KZT 2024), so share = 1,990,638,600 / 31,481,802,879 = 0.0632314; trade and repair of
    motor vehicles (45): 3,576,488,336 / 35,674,085,398 (section G) = 0.1002545."""
    share = {r["code"]: float(r["share"]) for r in rows(SHARES)}
    # the file carries 12 significant digits
    ok = abs(share["29"] - 1990638600 / 31481802879) < 1e-13 and abs(share["29"] - 0.0632314) < 5e-8
    ok = ok and abs(share["45"] - 0.1002545) < 5e-8
    if not ok:
        print(f"concordance shares: 29 {share['29']!r}, 45 {share['45']!r}")
    return ok


def main(outdir):
    ok = check_concordance()
    got = rows(Path(outdir) / "auto.csv")
    spatial = rows(Path(outdir) / "auto_spatial.csv")
    for c, (regions, size, share, lq, total) in expected().items():
        for r in [g for g in got if g["cluster"] == c]:
            i = regions.index(r["region"])
            for name, want in (("size", size[i]), ("share", share[i]), ("lq", lq[i])):
                if not np.isclose(float(r[name]), want, rtol=1e-9, atol=0):
                    print(f"{c} {r['region']} {name}: klaster {r[name]}, numpy {want!r}")
                    ok = False
        want = groups(regions, {regions[i] for i in range(len(regions)) if lq[i] >= 1}, size)
        have = [g["regions"] for g in spatial if g["cluster"] == c]
        if want != have:
            print(f"{c} groups: klaster {have}, numpy {want}")
            ok = False
        print(f"{c}: {len(regions)} regions, groups {want}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
