#!/usr/bin/env python3
"""Writes kz_product_section_concordance.csv: every product p of the BNS input-output table 2024
(data/kz/io_2024) -> its NACE/OKED section s (io_products: nace_section) with

    share_p = P1_p / sum of P1_q over the products q of section s

(P1 = output at basic prices, column P1 of io_supply, thousand KZT 2024). The share is the part of
the section's regional output that regional_clusters takes as product p's: an approximation that
assumes the national product mix of each section in every region. Run from this folder:
    /usr/bin/python3 make_concordance.py
"""
import csv
from collections import defaultdict
from pathlib import Path

IO = Path(__file__).resolve().parents[3] / "data" / "kz" / "io_2024"


def main():
    with open(IO / "kz_io_2024_products.csv", newline="") as f:
        section = {r["code"]: r["nace_section"] for r in csv.DictReader(f)}
    with open(IO / "kz_io_2024_supply.csv", newline="") as f:
        p1 = {r["row_code"]: float(r["P1"]) for r in csv.DictReader(f) if r["row_code"] in section}
    missing = sorted(set(section) - set(p1))
    if missing:
        raise SystemExit(f"products without P1 in io_supply: {missing}")
    total = defaultdict(float)
    for code, s in section.items():
        total[s] += p1[code]
    out = Path(__file__).with_name("kz_product_section_concordance.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from", "to", "share", "p1", "section_p1"])
        for code, s in section.items():  # io_products order
            share = p1[code] / total[s] if total[s] > 0 else 0.0
            w.writerow([code, s, repr(share), f"{p1[code]:.0f}", f"{total[s]:.0f}"])
    print(f"wrote {out} ({len(section)} products, {len(total)} sections)")


if __name__ == "__main__":
    main()
