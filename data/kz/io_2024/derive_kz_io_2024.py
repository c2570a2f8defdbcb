#!/usr/bin/python3
"""Derive the two tables klaster's pipelines read from the published BNS 2024 input-output CSVs.

Usage (from any folder): /usr/bin/python3 data/kz/io_2024/derive_kz_io_2024.py
Reads, beside this script: kz_io_2024_use_bp_domestic.csv, kz_io_2024_use_bp_total.csv,
kz_io_2024_use_bp_imports.csv, kz_io_2024_products.csv, and ../employment_by_section.csv
(BNS element 5831). Writes beside this script (deterministic; stdlib only):

1. kz_io_2024_use_bp_domestic_va.csv: the published domestic-use table (sheet 8), every line
   unchanged, followed by the rows D1, D29X39, P51C, B2N_B3N, B1G and P1 of the total table
   (sheet 6), copied cell for cell. BNS prints value added and output only under the total table;
   they belong to the producing branch (the column), so they are the same for the domestic table.
   With them the multipliers, linkages, io_impact, local_content and regionalize_io plugins read one
   matrix: domestic coefficients a_ij = domestic_ij / P1_j, income D1_j / P1_j, GVA B1G_j / P1_j.
   No other number is changed or added.

2. kz_io_2024_employment_estimate.csv: employed persons by IO product, 2024, an ESTIMATE:
   E_j = E_s(j) * D1_j / sum(D1_k, k in section s(j)), where E_s is BNS employment of section s in
   2024 (labour force survey, thousand persons x 1000) and D1 the compensation of employees of the
   IO table. Assumption: within a NACE section, every product pays the same average compensation
   per employed person. BNS publishes no employment by IO product. Section T (product 97-98) has no
   employment in element 5831: it gets 0 (unknown, not an estimate); its domestic row and column
   are empty, so no other product's effects depend on it.

3. kz_io_2024_section_shares.csv: each product's share of its NACE section's output,
   share_j = P1_j / sum(P1_k, k in section s(j)), from the total table's P1 row. This is the
   concordance regional_clusters uses to carry templates on 68 products to the regional output by
   section: a region's output of product j is APPROXIMATED as share_j x its output of section s(j),
   i.e. every region is assumed to have the national product mix within each section.

Checks (the script stops on any failure): the domestic, total and imports tables have the same
header and product rows; for every product column, domestic TOTAL + imports TOTAL + D21X31 + B1G
= P1 exactly (thousand KZT); the domestic TU of every product equals its P1; the estimated
employment of each section A-S adds up to the published section total (within the rounding to 0.1 person per product).
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VA_ROWS = ["D1", "D29X39", "P51C", "B2N_B3N", "B1G", "P1"]


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def fail(msg):
    sys.exit("derive_kz_io_2024.py: check failed: " + msg)


def main():
    dom = read_lines("kz_io_2024_use_bp_domestic.csv")
    tot = read_lines("kz_io_2024_use_bp_total.csv")
    imp = read_lines("kz_io_2024_use_bp_imports.csv")
    with open(os.path.join(HERE, "kz_io_2024_products.csv"), encoding="utf-8", newline="") as f:
        products = list(csv.DictReader(f))
    codes = [p["code"] for p in products]
    section = {p["code"]: p["nace_section"] for p in products}

    if not (dom[0] == tot[0] == imp[0]):
        fail("the three use tables have different headers")
    header = dom[0]
    col = {c: k for k, c in enumerate(header)}
    dom_rows = {r[0]: r for r in dom[1:]}
    tot_rows = {r[0]: r for r in tot[1:]}
    imp_rows = {r[0]: r for r in imp[1:]}
    for c in codes:
        if c not in col or c not in dom_rows or c not in tot_rows or c not in imp_rows:
            fail("product " + c + " is not a row and a column of every use table")
    for r in VA_ROWS + ["D21X31"]:
        if r not in tot_rows:
            fail("row " + r + " missing from the total table")
        if r in dom_rows:
            fail("row " + r + " already in the domestic table")

    def num(rows, r, c):
        return int(rows[r][col[c]])

    for c in codes:
        lhs = num(dom_rows, "TOTAL", c) + num(imp_rows, "TOTAL", c) + num(tot_rows, "D21X31", c) + \
            num(tot_rows, "B1G", c)
        if lhs != num(tot_rows, "P1", c):
            fail("column %s: domestic + imports + D21X31 + B1G = %d != P1 %d" %
                 (c, lhs, num(tot_rows, "P1", c)))
        if num(dom_rows, c, "TU") != num(tot_rows, "P1", c):
            fail("product %s: domestic TU != P1" % c)

    with open(os.path.join(HERE, "kz_io_2024_use_bp_domestic_va.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerows(dom)
        for r in VA_ROWS:
            w.writerow(tot_rows[r])

    # Employment estimate.
    employed = {}
    with open(os.path.join(HERE, "..", "employment_by_section.csv"), encoding="utf-8",
              newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] == "2024":
                employed[r["industry"]] = float(r["employed"]) * 1000.0
    d1 = {c: num(tot_rows, "D1", c) for c in codes}
    d1_section = {}
    for c in codes:
        d1_section[section[c]] = d1_section.get(section[c], 0) + d1[c]
    rows = []
    for c in codes:
        s = section[c]
        if s in employed:
            if d1_section[s] <= 0:
                fail("section %s has no compensation of employees" % s)
            share = d1[c] / d1_section[s]
            e = employed[s] * share
            note = "estimate: section employment x D1 share"
        else:
            share, e = d1[c] / d1_section[s], 0.0
            note = "no employment published for section %s: 0 = unknown" % s
        rows.append([c, s, "%.0f" % employed.get(s, 0.0), "%.12g" % share, "%.1f" % e, note])
    for s, e in employed.items():
        got = sum(float(r[4]) for r in rows if r[1] == s)
        if abs(got - e) > 0.05 * sum(1 for r in rows if r[1] == s) + 1e-6:
            fail("section %s: estimated employment %.1f != published %.1f" % (s, got, e))
    with open(os.path.join(HERE, "kz_io_2024_employment_estimate.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "nace_section", "section_employed", "d1_share", "employed", "note"])
        w.writerows(rows)
    write_section_shares(codes, section, {c: num(tot_rows, "P1", c) for c in codes})
    print("wrote kz_io_2024_use_bp_domestic_va.csv (%d rows + %d value-added rows) and "
          "kz_io_2024_employment_estimate.csv (%d products), kz_io_2024_section_shares.csv; "
          "all checks passed" %
          (len(dom) - 1, len(VA_ROWS), len(rows)))


def write_section_shares(codes, section, p1):
    """Writes each product's share of its section's output P1 (see the module doc, item 3)."""
    total = {}
    for c in codes:
        total[section[c]] = total.get(section[c], 0) + p1[c]
    rows = []
    for c in codes:
        s = section[c]
        if total[s] <= 0:
            fail("section %s has no output P1" % s)
        rows.append([c, s, str(p1[c]), str(total[s]), "%.12g" % (p1[c] / total[s])])
    for s in total:
        got = sum(float(r[4]) for r in rows if r[1] == s)
        if abs(got - 1.0) > 1e-9:
            fail("section %s: product shares add up to %.12g, not 1" % (s, got))
    with open(os.path.join(HERE, "kz_io_2024_section_shares.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "nace_section", "output", "section_output", "share"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
