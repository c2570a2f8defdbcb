"""Baseline for the data-path benchmark (bench/README.md): the same work as bench/regional.toml
with pandas. Usage: /usr/bin/python3 regional_pandas.py INPUT.csv OUT_DIR"""
import os
import sys
import time

import numpy as np
import pandas as pd

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
print("pandas", pd.__version__)
started = time.monotonic()  # the work alone, without Python's start-up and imports
d = pd.read_csv(src)
d["region_total"] = d.groupby(["year", "region"])["value"].transform("sum")
d["industry_total"] = d.groupby(["year", "industry"])["value"].transform("sum")
d["total"] = d.groupby("year")["value"].transform("sum")
d["lq"] = (d["value"] / d["region_total"]) / (d["industry_total"] / d["total"])
d[["year", "region", "industry", "lq"]].to_csv(os.path.join(out, "lq.csv"), index=False)
share = d["value"] / d.groupby(["year", "industry"])["value"].transform("sum")
d["share2"] = share * share
d.groupby(["year", "industry"])["share2"].sum().rename("hhi").to_csv(os.path.join(out, "hhi.csv"))


def gini(x):
    x = np.sort(x.to_numpy())
    n = len(x)
    return np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * np.sum(x))


d["absdiff"] = (d["value"] / d["region_total"] - d["industry_total"] / d["total"]).abs()
spec = d.groupby(["year", "region"]).agg(krugman=("absdiff", "sum"))
spec["gini"] = d.groupby(["year", "region"])["lq"].apply(gini)
spec.to_csv(os.path.join(out, "specialization.csv"))
d.groupby(["year", "industry"])["lq"].apply(gini).rename("gini").to_csv(os.path.join(out, "concentration.csv"))
print(f"work_seconds {time.monotonic() - started:.3f}")
