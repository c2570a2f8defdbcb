#!/usr/bin/python3
"""Put klaster's region codes (data/kz/regions.csv) on the Natural Earth admin-1 boundaries.

Usage (from any folder): /usr/bin/python3 data/kz/geo/normalise_kz_geo.py
Reads, beside this script: kz_regions_to_ne_admin1.csv and kz_admin1_ne10m_simplified.geojson (both
kept unchanged, as received; see SOURCE.txt), and ../regions.csv. Writes beside this script
(deterministic; stdlib only):

1. kz_regions_geo.csv: one row per klaster region (20), keyed by `region` = the code of
   data/kz/regions.csv and output.csv. The received mapping's `klaster_code` column spells three
   regions differently from this project (ATR, KZY, SHY); they are recoded to ATY, KZL, SHM (which
   its `kz_bns_code` column already holds, checked). The Baikonur lease row (not a region) is left
   out; `name_en` is taken from regions.csv; the three codes are recoded in the notes too. Added column `region_group`: the klaster regions that
   share the region's Natural Earth polygon, joined by "+" (VKO+ABY, ALM+ZHT, KRG+ULT, TRK+SHM; the
   region's own code otherwise): aggregate data to these 16 groups for a choropleth, or draw the
   parent polygon for both codes. Columns dropped: kz_bns_code (= region), ne_iso_3166_2 (Natural
   Earth gives the Almaty region the city's code KZ-ALA; join on ne_id instead), ne_name_ru.

2. kz_admin1_klaster.geojson: the received GeoJSON with the same geometry and properties, plus two
   properties per feature: `region` (the klaster code of the region the polygon is filed under by
   Natural Earth: VKO, ALM, KRG, TRK for the four pre-2022 polygons; null for the Baikonur lease)
   and `region_group` (as above; "KZL" for the Baikonur lease, whose territory belongs to the
   Kyzylorda region: dissolve it into KZL or leave it out).

Checks (the script stops on any failure): the 20 recoded codes are exactly those of regions.csv and
equal the mapping's kz_bns_code; every ne_id of the mapping is a feature of the GeoJSON and every
feature is used; each group holds one region with a polygon of its own or filed under it
(own_polygon / polygon_pre2018 / polygon_pre2022) plus the no_own_polygon regions inside it; the
written geometry equals the received one.
"""
import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RECODE = {"ATR": "ATY", "KZY": "KZL", "SHY": "SHM"}  # received klaster_code -> data/kz code
PARENT_STATUS = {"own_polygon", "polygon_pre2018", "polygon_pre2022"}


def recode_text(text):
    """The received codes ATR, KZY, SHY as words of a note (not inside ISO codes such as KZ-SHY)."""
    return re.sub(r"(?<![-\w])(ATR|KZY|SHY)(?!\w)", lambda m: RECODE[m.group(1)], text)


def fail(msg):
    sys.exit("normalise_kz_geo.py: check failed: " + msg)


def main():
    with open(os.path.join(HERE, "kz_regions_to_ne_admin1.csv"), encoding="utf-8",
              newline="") as f:
        mapping = list(csv.DictReader(f))
    with open(os.path.join(HERE, "..", "regions.csv"), encoding="utf-8", newline="") as f:
        regions = {r["code"]: r for r in csv.DictReader(f)}
    with open(os.path.join(HERE, "kz_admin1_ne10m_simplified.geojson"), encoding="utf-8") as f:
        geo = json.load(f)

    rows = [m for m in mapping if m["klaster_code"]]
    extra = [m for m in mapping if not m["klaster_code"]]
    if len(extra) != 1 or extra[0]["polygon_status"] != "extra_feature":
        fail("expected exactly one non-region row (the Baikonur lease)")
    for m in rows:
        m["region"] = RECODE.get(m["klaster_code"], m["klaster_code"])
        if m["region"] != m["kz_bns_code"]:
            fail("%s: recoded %s != kz_bns_code %s" % (m["klaster_code"], m["region"],
                                                      m["kz_bns_code"]))
    codes = [m["region"] for m in rows]
    if sorted(codes) != sorted(regions) or len(set(codes)) != len(codes):
        fail("the mapping's regions are not the 20 codes of regions.csv")

    # Groups: the regions sharing one Natural Earth feature, the polygon's own region first.
    by_feature = {}
    for m in rows:
        by_feature.setdefault(m["ne_id"], []).append(m)
    group_of, parent_of = {}, {}
    for ne_id, ms in by_feature.items():
        parents = [m for m in ms if m["polygon_status"] in PARENT_STATUS]
        others = [m for m in ms if m["polygon_status"] == "no_own_polygon"]
        if len(parents) != 1 or len(parents) + len(others) != len(ms):
            fail("feature %s: expected one region with the polygon and the rest no_own_polygon" %
                 ne_id)
        group = "+".join([parents[0]["region"]] + [m["region"] for m in others])
        parent_of[ne_id] = parents[0]["region"]
        for m in ms:
            group_of[m["region"]] = group

    features = {str(f["properties"]["ne_id"]): f for f in geo["features"]}
    used = set(by_feature) | {extra[0]["ne_id"]}
    if set(features) != used:
        fail("features %s vs mapping ne_ids %s" % (sorted(features), sorted(used)))

    columns = ["region", "name_en", "iso_3166_2", "iso_3166_2_alpha_old", "ne_id",
               "ne_feature_name", "polygon_status", "region_group", "note"]
    with open(os.path.join(HERE, "kz_regions_geo.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for m in sorted(rows, key=lambda m: m["region"]):
            w.writerow([m["region"], regions[m["region"]]["name_en"], m["iso_3166_2_current"],
                        m["iso_3166_2_alpha_old"], m["ne_id"], m["ne_feature_name"],
                        m["polygon_status"], group_of[m["region"]], recode_text(m["note"])])

    out = json.loads(json.dumps(geo))
    for f in out["features"]:
        ne_id = str(f["properties"]["ne_id"])
        if ne_id in parent_of:
            f["properties"]["region"] = parent_of[ne_id]
            f["properties"]["region_group"] = group_of[parent_of[ne_id]]
        else:  # the Baikonur lease
            f["properties"]["region"] = None
            f["properties"]["region_group"] = "KZL"
    out["name"] = geo.get("name", "") + "_klaster_codes"
    path = os.path.join(HERE, "kz_admin1_klaster.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    with open(path, encoding="utf-8") as f:
        back = json.load(f)
    for a, b in zip(geo["features"], back["features"]):
        if a["geometry"] != b["geometry"]:
            fail("geometry of feature %s changed" % a["properties"]["ne_id"])
    print("wrote kz_regions_geo.csv (%d regions, %d polygon groups) and kz_admin1_klaster.geojson "
          "(%d features); all checks passed" % (len(rows), len(by_feature), len(out["features"])))


if __name__ == "__main__":
    main()
