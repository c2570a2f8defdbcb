#!/usr/bin/env python3
"""Rebuilds the embedded Kazakhstan dataset (data/kz/*.csv) from the BNS transcriptions.

Provenance of the inputs: see SOURCE.md. Usage (from the repository root):
    python3 data/kz/build_from_bns.py ../shared/data/kz_bns
Only the standard library is used. The script drops aggregate rows (region `national`, items
`TOTAL` and `IND`) and cells the BNS left blank (section T before 2025), and reshapes the wide
employment table to long form. Numbers are copied unchanged.
"""
import csv
import pathlib
import sys

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/kz_bns")
dst = pathlib.Path(__file__).resolve().parent


def rows(name):
    with open(src / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name, header, data):
    with open(dst / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(data)


out, industries = [], {}
for r in rows("kz_output_by_region_section_2022_2025_long.csv"):
    if r["region"] == "national" or r["item_code"] in ("TOTAL", "IND"):
        continue
    industries[r["item_code"]] = r["item_name_en"]
    if r["output_mln_kzt"].strip() == "":
        continue  # not published (section T before 2025)
    out.append((int(r["year"]), r["region"], r["item_code"], r["output_mln_kzt"]))
out.sort()
write("output.csv", ["year", "region", "industry", "value"], out)
write("industries.csv", ["code", "name"], sorted(industries.items()))

regions = rows("kz_region_centres_coords.csv")
write("regions.csv", ["code", "name_en", "name_ru", "centre", "lat", "lon"],
      [(r["region"], r["region_name_en"], r["region_name_ru"], r["centre_city"], r["lat"], r["lon"])
       for r in regions])

emp = []
for r in rows("kz_employed_by_region_2022_2025.csv"):
    if r["region"] == "national":
        continue
    for y in (2022, 2023, 2024, 2025):
        emp.append((y, r["region"], r[f"y{y}"]))
emp.sort()
write("employment.csv", ["year", "region", "employed"], emp)

sec = []
for r in rows("kz_employed_by_section_national_2018_2025.csv"):
    if r["item_code"] in ("TOTAL", "IND"):
        continue
    for y in range(2018, 2026):
        if r[f"y{y}"].strip():
            sec.append((y, r["item_code"], r[f"y{y}"]))
sec.sort()
write("employment_by_section.csv", ["year", "industry", "employed"], sec)

gva = []
for r in rows("kz_gva_industry_divisions_national_2018_2025.csv"):
    for y in range(2018, 2026):
        if r[f"y{y}"].strip():
            gva.append((y, r["item_code"], r["item_name_en"], r[f"y{y}"]))
gva.sort()
write("gva_divisions.csv", ["year", "code", "name", "value"], gva)

plants = rows("kz_auto_plants_facts.csv")
write("auto_plants.csv", list(plants[0].keys()), [list(p.values()) for p in plants])
print(f"output: {len(out)} rows; employment: {len(emp)}; industries: {len(industries)}")
