#!/usr/bin/python3
"""Checks that klaster's data-path outputs agree with data.table's (bench/README.md): joins each
table on its keys and prints the largest relative difference of every compared column; exits 1
when one exceeds the tolerance (default 1e-12) or a key is missing on either side.
Usage: /usr/bin/python3 bench/check_results.py KLASTER_DIR DATATABLE_DIR [TOLERANCE]"""
import os
import sys

import numpy as np
import pandas as pd

# table, keys, [(klaster column, data.table column)]
TABLES = [
    ("lq.csv", ["year", "region", "industry"], [("lq", "lq")]),
    ("hhi.csv", ["year", "industry"], [("hhi", "hhi")]),
    ("specialization.csv", ["year", "region"], [("krugman", "krugman"), ("gini", "gini")]),
    ("concentration.csv", ["year", "industry"], [("gini", "gini")]),
]


def read(folder, name):
    return pd.read_csv(os.path.join(folder, name), float_precision="round_trip")


def worst(ours, theirs, keys, cols):
    both = ours.merge(theirs, on=keys, how="outer", suffixes=("_k", "_dt"), indicator=True)
    missing = int((both["_merge"] != "both").sum())
    out = {}
    for k, d in cols:
        a, b = both[k + "_k" if k == d else k], both[d + "_dt" if k == d else d]
        rel = np.abs(a - b) / np.maximum(np.abs(b), np.finfo(float).tiny)
        out[k] = float(np.nanmax(rel.to_numpy()))
    return missing, out


def main():
    ours, theirs = sys.argv[1], sys.argv[2]
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-12
    ok = True
    for name, keys, cols in TABLES:
        missing, rel = worst(read(ours, name), read(theirs, name), keys, cols)
        ok = ok and missing == 0 and all(v <= tol for v in rel.values())
        shown = ", ".join(f"{k} {v:.1e}" for k, v in rel.items())
        print(f"{name}: {missing} keys on one side only; largest relative difference: {shown}")
    print("results agree" if ok else f"results DIFFER (tolerance {tol:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
