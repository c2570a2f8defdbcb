#!/usr/bin/python3
"""Independent numpy computation of the numbers configs/kz_auto_value_chain.toml reports for motor
vehicles (product 29), from the published BNS CSVs only (no klaster code, no derived file).

Usage (from any folder): /usr/bin/python3 data/kz/io_2024/check_value_chain_numpy.py
Needs numpy (Debian package python3-numpy). tests/kz_pipelines_test.cpp holds the numbers it
prints (17 significant digits) and checks klaster's output against them to 1e-9 relative.

Formulas (Miller & Blair 2009): A = Z_dom diag(P1)^-1 with Z_dom the 68 x 68 block of
kz_io_2024_use_bp_domestic.csv and P1 the output row of kz_io_2024_use_bp_total.csv;
L = (I - A)^-1; output multiplier m_j = sum_i L_ij; backward linkage n m_j / sum(L); forward
(Ghosh) n sum_j G_ij / sum(G), G = (I - diag(P1)^-1 Z_dom)^-1; income, GVA, employment multipliers
k' L with k = D1 / P1, B1G / P1, employed / P1 (persons per thousand KZT; x 1e6 = per billion KZT);
local content: z_29,29 += 0.3 m_29,29 (imports table); the KIA shock df_29 = 70,000 x 12,000,000
KZT / 1000 = 840,000,000 thousand KZT, x = L df. Kostanay: FLQ with delta 0.3 on BNS output 2024
by section (data/kz/output.csv), each product taking its section (nace_section of the products
table): SLQ_s = (E_KST,s / E_KST) / (E_KZ,s / E_KZ), lambda = log2(1 + E_KST / E_KZ)^0.3,
q_ij = lambda SLQ_i / SLQ_j (i != j), lambda SLQ_i (i = j), r_ij = a_ij min(1, q_ij), L_r =
(I - R)^-1. The employment per product is computed here again from data/kz/employment_by_section.csv
and the D1 row (the assumption of derive_kz_io_2024.py), not read from its output.
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
KZ = os.path.join(HERE, "..")


def read_matrix(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0][1:]
    return {r[0]: dict(zip(header, r[1:])) for r in rows[1:]}


def main():
    dom = read_matrix("kz_io_2024_use_bp_domestic.csv")
    tot = read_matrix("kz_io_2024_use_bp_total.csv")
    imp = read_matrix("kz_io_2024_use_bp_imports.csv")
    with open(os.path.join(HERE, "kz_io_2024_products.csv"), encoding="utf-8", newline="") as f:
        products = list(csv.DictReader(f))
    codes = [p["code"] for p in products]
    section = [p["nace_section"] for p in products]
    n = len(codes)
    j29 = codes.index("29")

    Z = np.array([[float(dom[i][j]) for j in codes] for i in codes])
    M = np.array([[float(imp[i][j]) for j in codes] for i in codes])
    x = np.array([float(tot["P1"][j]) for j in codes])
    d1 = np.array([float(tot["D1"][j]) for j in codes])
    b1g = np.array([float(tot["B1G"][j]) for j in codes])
    assert (x > 0).all(), "a product with zero output"
    assert (Z >= 0).all(), "a negative domestic flow"

    A = Z / x
    eye = np.eye(n)
    L = np.linalg.inv(eye - A)
    assert np.isfinite(L).all() and (L >= -1e-12).all()
    G = np.linalg.inv(eye - Z / x[:, None])
    m = L.sum(axis=0)
    out = {}
    out["max column sum of A"] = A.sum(axis=0).max()
    out["cond(I - A)"] = np.linalg.cond(eye - A)
    out["output_multiplier"] = m[j29]
    out["backward"] = n * m[j29] / L.sum()
    out["forward"] = n * G[j29].sum() / G.sum()
    out["direct_backward"] = A[:, j29].sum()
    out["income_multiplier"] = (d1 / x) @ L[:, j29]
    out["gva_multiplier"] = (b1g / x) @ L[:, j29]

    # Employment estimate: section employment 2024 x D1 share within the section (T: 0).
    employed_s = {}
    with open(os.path.join(KZ, "employment_by_section.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] == "2024":
                employed_s[r["industry"]] = float(r["employed"]) * 1000
    d1_s = {}
    for s, v in zip(section, d1):
        d1_s[s] = d1_s.get(s, 0) + v
    emp = np.array([employed_s.get(s, 0.0) * v / d1_s[s] for s, v in zip(section, d1)])
    out["employed_29 (persons)"] = emp[j29]
    # klaster reads the estimate as written (0.1 person): use the same rounding for the multiplier.
    emp_file = np.round(emp, 1)
    out["employment_multiplier (persons per bn KZT)"] = (emp_file / x * 1e6) @ L[:, j29]

    # Local content: 30 % of imported 29 bought by 29 moved to domestic purchases.
    Z_lc = Z.copy()
    Z_lc[j29, j29] += 0.3 * M[j29, j29]
    L_lc = np.linalg.inv(eye - Z_lc / x)
    out["output_multiplier_lc"] = L_lc[:, j29].sum()

    # The KIA shock.
    shock = 70000 * 12000000 / 1000
    dx = L[:, j29] * shock
    dx_lc = L_lc[:, j29] * shock
    out["shock (thousand KZT)"] = shock
    out["shock output total"] = dx.sum()
    out["shock income total"] = (d1 / x) @ dx
    out["shock gva total"] = (b1g / x) @ dx
    out["shock employment total (persons)"] = (emp_file / x) @ dx
    out["shock output total, rule"] = dx_lc.sum()

    # Kostanay, FLQ delta 0.3, output 2024.
    reg, nat = {}, {}
    with open(os.path.join(KZ, "output.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] != "2024":
                continue
            v = float(r["value"])
            nat[r["industry"]] = nat.get(r["industry"], 0) + v
            if r["region"] == "KST":
                reg[r["industry"]] = reg.get(r["industry"], 0) + v
    tre, tne = sum(reg.values()), sum(nat.values())
    lam = np.log2(1 + tre / tne) ** 0.3
    slq = np.array([(reg.get(s, 0) / tre) / (nat[s] / tne) if s in nat else 0.0 for s in section])
    share = np.array([reg.get(s, 0) / nat[s] if s in nat else 0.0 for s in section])
    q = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                q[i, j] = slq[i]
            else:
                q[i, j] = slq[i] / slq[j] if slq[j] > 0 else 1.0
    R = A * np.minimum(1.0, lam * q)
    L_r = np.linalg.inv(eye - R)
    out["KST lambda"] = lam
    out["KST share of C"] = share[j29]
    out["KST regional output 29"] = x[j29] * share[j29]
    out["KST output_multiplier"] = L_r[:, j29].sum()
    out["KST shock output total"] = L_r[:, j29].sum() * shock

    for k, v in out.items():
        print("%-45s %.17g" % (k, v))


if __name__ == "__main__":
    main()
