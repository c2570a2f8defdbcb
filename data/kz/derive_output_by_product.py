#!/usr/bin/python3
"""Estimate 2024 gross output by region and IO product (68 products) for klaster's cluster study.

Usage (from any folder): /usr/bin/python3 data/kz/derive_output_by_product.py
Writes output_by_product_2024.csv beside this script (deterministic; stdlib only).

BNS publishes regional output by OKED section only (output.csv); the cluster templates are on the 68
products of the input-output table. This ESTIMATE carries each region's section output to products:

* every product j except 29 of section s:  X_rj = X_rs * share_j            (method "section_share")
  where share_j = P1_j / sum(P1_k, k in s) is the product's share of its section's national output
  (io_2024/kz_io_2024_section_shares.csv): every region is assumed to have the national mix.
* motor vehicles (29), whose plants are known:                               (method "plant_units")
  X_r,29 = key_r * share_29 * sum_r X_rC, with key_r = the region's share of the vehicles made by the
  plants listed for Jan-Feb 2024 (regional_detail/kz_vehicle_production_by_region_facts.csv, Kazakhstan
  Automobile Union: Allur in Kostanay 12,738 units, Hyundai in Almaty city 7,656, ...), i.e. units are
  assumed to be worth the same everywhere; the rest of the region's manufacturing,
  X_rC - X_r,29, is split over the other products of C by their national shares.

Checks (the script stops on failure): the products of each region's section add up to its published
section output (to a relative 1e-9: the shares carry 12 digits); no region's vehicle output exceeds its manufacturing output;
product 29 adds up to share_29 x the regions' manufacturing total.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = "2024"
KEY_PERIOD = ("2024-01", "2024-02")
VEHICLES = "29"


def fail(msg):
    sys.exit("derive_output_by_product.py: check failed: " + msg)


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def vehicle_key():
    """Each region's share of the units made by the plants listed for the key period."""
    units = {}
    for r in read("regional_detail/kz_vehicle_production_by_region_facts.csv"):
        if (r["period_start"], r["period_end"]) == KEY_PERIOD and r["region"] != "KAZ":
            units[r["region"]] = units.get(r["region"], 0.0) + float(r["units"])
    total = sum(units.values())
    return {r: u / total for r, u in units.items()}


def main():
    shares = read("io_2024/kz_io_2024_section_shares.csv")
    output = {(r["region"], r["industry"]): float(r["value"]) for r in read("output.csv")
              if r["year"] == YEAR}
    regions = sorted({r for r, _ in output})
    share29 = next(float(s["share"]) for s in shares if s["code"] == VEHICLES)
    national_c = sum(v for (r, s), v in output.items() if s == "C")
    key = vehicle_key()
    rows = []
    for region in regions:
        x29 = key.get(region, 0.0) * share29 * national_c
        if x29 > output[(region, "C")]:
            fail("%s: vehicles %.1f exceed manufacturing %.1f" % (region, x29, output[(region, "C")]))
        for s in shares:
            sec = s["nace_section"]
            if (region, sec) not in output:
                continue  # section not published for this region and year (T before 2025)
            if s["code"] == VEHICLES:
                rows.append([YEAR, region, s["code"], x29, "plant_units"])
            elif sec == "C":
                rest = (output[(region, "C")] - x29) / (1.0 - share29)
                rows.append([YEAR, region, s["code"], rest * float(s["share"]), "section_share"])
            else:
                rows.append([YEAR, region, s["code"], output[(region, sec)] * float(s["share"]),
                             "section_share"])
    check(rows, shares, output, share29 * national_c)
    with open(os.path.join(HERE, "output_by_product_2024.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "region", "industry", "value", "method"])
        w.writerows([r[:3] + ["%.6f" % r[3], r[4]] for r in rows])
    print("wrote output_by_product_2024.csv: %d rows (%d regions); vehicle key %s" %
          (len(rows), len(regions), ", ".join("%s %.4f" % kv for kv in sorted(key.items()))))


def check(rows, shares, output, national29):
    section = {s["code"]: s["nace_section"] for s in shares}
    sums = {}
    for _, region, code, value, _ in rows:
        k = (region, section[code])
        sums[k] = sums.get(k, 0.0) + value
    for k, v in sums.items():
        if abs(v - output[k]) > 1e-9 * max(1.0, output[k]):
            fail("%s %s: products add up to %.6f, published %.6f" % (k[0], k[1], v, output[k]))
    got29 = sum(r[3] for r in rows if r[2] == VEHICLES)
    if abs(got29 - national29) > 1e-9 * national29:
        fail("product 29 adds up to %.6f, expected %.6f" % (got29, national29))


if __name__ == "__main__":
    main()
