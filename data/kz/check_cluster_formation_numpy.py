#!/usr/bin/env python3
"""Independent numpy check of configs/kz_auto_cluster_formation.toml.

    klaster run configs/kz_auto_cluster_formation.toml --out OUT
    /usr/bin/python3 data/kz/check_cluster_formation_numpy.py OUT

Every number is recomputed from the CSV files of data/kz (numpy only, no pandas or scipy) with the
formulas the pipeline's comments (A1-A9) and the plugin READMEs state; klaster's output folder is
read only to compare with, except two declared inputs: the Feser-Bergman templates (templates.csv,
checked by feser_bergman's own R test) and the rook contiguity pairs (contiguity.csv, from the
Natural Earth polygons) that check 7 needs. One line per check, "ok <name> max rel diff ..." or
"FAIL <name> ..."; exit 0 when all agree, 1 on any mismatch, 77 without numpy (a skipped test).
"""
import csv
import itertools
import math
import sys
from collections import defaultdict
from pathlib import Path

try:
    import numpy as np
except ImportError:
    sys.exit(77)

DATA = Path(__file__).resolve().parent
IO = DATA / "io_2024"
RTOL = 1e-9          # relative tolerance of every comparison unless a check states another
ATOL = 1e-9          # absolute floor for values that should be 0 (self rows, zero flows)
R_EARTH = 6371.0088  # km, IUGG mean radius (A4; spatial_weights and distance_matrix default)
BAND_KM, CIRCUITY, SPEED = 800.0, 1.3, 70.0  # A4
DECAY = 0.1          # A5: exp(-0.1 per hour)
KST_SPEEDUP = 1.25   # A9
FAILED = []


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def matrix(path):
    """A layout = "matrix" CSV: {row: {column: float}}; empty cells are 0."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        head = next(reader)[1:]
        return {r[0]: {c: float(v or 0) for c, v in zip(head, r[1:])} for r in reader}


def by_year(path, year, key, value):
    """{key: sum of value} over the rows of `year` (duplicates summed)."""
    out = defaultdict(float)
    for r in rows(path):
        if int(r["year"]) == year:
            out[r[key]] += float(r[value])
    return dict(out)


# ---------------------------------------------------------------------------------------------
# comparing
# ---------------------------------------------------------------------------------------------

def compare(name, pairs, rtol=RTOL, note=""):
    """pairs: (label, klaster value, numpy value); prints one line and records a failure."""
    worst, bad = 0.0, []
    for label, got, want in pairs:
        got, want = float(got), float(want)
        diff = abs(got - want)
        rel = diff / abs(want) if want != 0 else diff
        worst = max(worst, rel)
        if not diff <= max(rtol * abs(want), ATOL):
            bad.append(f"{label}: klaster {got!r}, numpy {want!r}")
    if not pairs:
        bad.append("nothing compared")
    report(name, bad, f"max rel diff {worst:.2e} over {len(pairs)} values{note}")


def report(name, bad, detail):
    if bad:
        FAILED.append(name)
        print(f"FAIL {name}: {len(bad)} mismatches ({detail})")
        for b in bad[:10]:
            print(f"    {b}")
    else:
        print(f"ok {name} {detail}")


def same(name, got, want, detail):
    """Exact agreement of sets/lists (pairs, hubs, groups)."""
    report(name, [] if got == want else [f"klaster {got}, numpy {want}"], detail)


# ---------------------------------------------------------------------------------------------
# 1-2. road network proxy (A4): haversine, band, circuity, speed; Dijkstra on hours
# ---------------------------------------------------------------------------------------------

def haversine(a, b):
    """Great-circle km, haversine (Sinnott 1984), R = 6371.0088."""
    p1, l1, p2, l2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * R_EARTH * math.asin(math.sqrt(h))


def band(centres):
    """{(a, b): great-circle km} for every ordered pair a != b within BAND_KM (distance_band)."""
    pairs = itertools.permutations(sorted(centres), 2)
    dist = {(a, b): haversine(centres[a], centres[b]) for a, b in pairs}
    return {k: d for k, d in dist.items() if d <= BAND_KM}


def road_links(near):
    """{(a, b): (km, hours)}: km = great circle x 1.3, hours = km / 70 (A4)."""
    return {k: (d * CIRCUITY, d * CIRCUITY / SPEED) for k, d in near.items()}


def dijkstra(nodes, links, source):
    """Quickest routes from source over undirected links {(a, b): (km, hours)}; keys (hours, km)
    compared lexicographically (distance_matrix's tie rule); O(n^2) Dijkstra, no heap needed."""
    adj = defaultdict(list)
    for (a, b), (km, h) in links.items():
        adj[a].append((b, h, km))
        adj[b].append((a, h, km))
    best = {n: (math.inf, math.inf) for n in nodes}
    best[source] = (0.0, 0.0)
    done = set()
    while len(done) < len(nodes):
        u = min((n for n in nodes if n not in done), key=lambda n: best[n])
        if best[u][0] == math.inf:
            break
        done.add(u)
        for v, h, km in adj[u]:
            cand = (best[u][0] + h, best[u][1] + km)
            if v not in done and cand < best[v]:
                best[v] = cand
    return best


def all_pairs(nodes, links):
    """{(i, j): (hours, km)} for all i, j (i == j: 0)."""
    return {(i, j): v for i in nodes for j, v in dijkstra(nodes, links, i).items()}


def check_roads(out, centres):
    near = band(centres)
    links = road_links(near)
    got = {(r["from"], r["to"]): r["distance_km"] for r in rows(out / "nearby.csv") if r["to"]}
    same("nearby pairs", set(got), set(near), f"{len(near)} ordered pairs <= {BAND_KM:.0f} km")
    compare("nearby", [(k, got[k], d) for k, d in near.items() if k in got])
    got = {(r["origin"], r["destination"]): r for r in rows(out / "road_links.csv")}
    same("road_links pairs", set(got), set(links), f"{len(got)} links")
    compare("road_links", [(f"{k} {c}", got[k][c], v[i]) for k, v in links.items() if k in got
                           for i, c in enumerate(("distance_km", "hours"))])
    nodes = sorted(centres)
    routes = all_pairs(nodes, links)
    compare_routes(out, "roads", routes)
    return nodes, links, routes


def compare_routes(out, name, routes):
    got = {(r["origin"], r["destination"]): r for r in rows(out / f"{name}.csv")}
    same(f"{name} pairs", set(got), set(routes), f"{len(got)} rows incl. self")
    compare(name, [(f"{k} {c}", got[k][c], v[i]) for k, v in routes.items() if k in got
                   for i, c in enumerate(("hours", "distance_km"))])


def faster_kostanay(links):
    """A9: every link with KST at one end, hours / 1.25 (logistics_investment, speed_factor)."""
    return {k: (km, h / KST_SPEEDUP if "KST" in k else h) for k, (km, h) in links.items()}


def hours_matrix(nodes, routes):
    return np.array([[routes[(i, j)][0] for j in nodes] for i in nodes])


# ---------------------------------------------------------------------------------------------
# 3. Hansen market access (A5, A6)
# ---------------------------------------------------------------------------------------------

def check_market_access(out, nodes, t, name="market_access"):
    """A_i = sum_j O_j exp(-0.1 t_ij), O_j = sum of output.csv 2024 of region j, t_ii = 0."""
    o = by_year(DATA / "output.csv", 2024, "region", "value")
    acc = np.exp(-DECAY * t) @ np.array([o[j] for j in nodes])
    got = {r["origin"]: r["accessibility"] for r in rows(out / f"{name}.csv")}
    compare(name, [(i, got[i], acc[k]) for k, i in enumerate(nodes)])
    return acc


# ---------------------------------------------------------------------------------------------
# 4. Huff market areas of the vehicle-making regions (A5, A6)
# ---------------------------------------------------------------------------------------------

def check_huff(out, nodes, t, name="plant_markets"):
    """P_ij = S_j exp(-0.1 t_ij) / sum_k S_k exp(-0.1 t_ik), S_j = output_by_product of 29,
    flow_ij = C_i P_ij with C_i = employed 2024; expected_flow_j = sum_i flow_ij,
    market_share_j = expected_flow_j / sum_i C_i."""
    s = defaultdict(float)
    for r in rows(DATA / "output_by_product_2024.csv"):
        if r["industry"] == "29" and int(r["year"]) == 2024:
            s[r["region"]] += float(r["value"])
    c = by_year(DATA / "employment.csv", 2024, "region", "employed")
    dest = sorted(s)
    col = [nodes.index(j) for j in dest]
    w = np.array([s[j] for j in dest]) * np.exp(-DECAY * t[:, col])
    p = w / w.sum(axis=1, keepdims=True)
    mass = np.array([c[i] for i in nodes])
    flow = mass[:, None] * p
    got = {(r["origin"], r["destination"]): r for r in rows(out / f"{name}.csv")}
    pairs = [(f"{i}->{j} {q}", got[(i, j)][q], m[a, b]) for a, i in enumerate(nodes)
             for b, j in enumerate(dest) if (i, j) in got
             for q, m in (("probability", p), ("flow", flow))]
    missing = len(nodes) * len(dest) * 2 - len(pairs)
    compare(name, pairs + [("missing pairs", missing, 0)] if missing else pairs)
    got = {r["destination"]: r for r in rows(out / f"{name}_destinations.csv")}
    ef = flow.sum(axis=0)
    compare(f"{name}_destinations",
            [(f"{j} {q}", got[j][q], v) for b, j in enumerate(dest)
             for q, v in (("expected_flow", ef[b]), ("market_share", ef[b] / mass.sum()))])


# ---------------------------------------------------------------------------------------------
# 5. p-median hubs, exhaustive
# ---------------------------------------------------------------------------------------------

def check_hubs(out, nodes, t, p, name):
    """min over all C(20, p) hub sets H of sum_i w_i min_{h in H} t_ih, w = employed 2024.
    The hubs are compared only when the optimum is unique (relative gap to the second > 1e-9)."""
    c = by_year(DATA / "employment.csv", 2024, "region", "employed")
    w = np.array([c[i] for i in nodes])
    sets = list(itertools.combinations(range(len(nodes)), p))
    cost = np.array([w @ t[:, list(h)].min(axis=1) for h in sets])
    order = np.argsort(cost, kind="stable")
    best = cost[order[0]]
    tied = len(sets) > 1 and cost[order[1]] - best <= 1e-9 * best
    obj = rows(out / f"{name}_objective.csv")[0]
    compare(name, [("objective", obj["value"], best)],
            note=f", {len(sets)} sets, optimum {best:.6f}")
    hubs = sorted(r["hub"] for r in rows(out / f"{name}.csv"))
    want = sorted(nodes[k] for k in sets[order[0]])
    if tied:
        print(f"    {name}: optimum tied, hubs not compared (klaster {hubs})")
        return
    same(f"{name} hubs", hubs, want, "+".join(want))
    # demand_served / nodes_served: each node to its nearest hub (first in label order on ties)
    h = list(sets[order[0]])
    near = [h[k] for k in t[:, h].argmin(axis=1)]
    got = {r["hub"]: r for r in rows(out / f"{name}.csv")}
    compare(f"{name} served", [(f"{nodes[j]} {q}", got[nodes[j]][q], v) for j in h if nodes[j] in got
                               for q, v in (("demand_served", sum(w[i] for i, n in enumerate(near)
                                                                   if n == j)),
                                            ("nodes_served", near.count(j)))])


# ---------------------------------------------------------------------------------------------
# 6. recycling fee: Armington switch (A8), then Type I effects
# ---------------------------------------------------------------------------------------------

def io_tables():
    """68 products (labels that are both a row and a column of the domestic table), Z, x = P1,
    and the domestic and import matrices."""
    dom = matrix(IO / "kz_io_2024_use_bp_domestic_va.csv")
    imp = matrix(IO / "kz_io_2024_use_bp_imports.csv")
    cols = next(iter(dom.values())).keys()
    prod = [k for k in dom if k in cols]
    z = np.array([[dom[i][j] for j in prod] for i in prod])
    x = np.array([dom["P1"][j] for j in prod])
    return prod, z, x, dom, imp


def leontief_solve(z, x, rhs):
    """(I - A) y = rhs with A = Z / x (column j divided by x_j; a product without output: 0)."""
    a = np.divide(z, x, out=np.zeros_like(z), where=x != 0)
    return np.linalg.solve(np.eye(len(x)) - a, rhs)


def armington(d, m, g, sigma):
    """import_duty README: (M/D)' = (M/D) g^-sigma, D + M fixed: D' = (D+M)/(1+(M/D)'), M' = D+M-D'.
    The textbook quantity-ratio rule M/D = (a/(1-a))^sigma (P_D/P_M)^sigma of Armington (1969)."""
    if d == 0 or m == 0:
        return d, m
    r = (m / d) * g ** (-sigma)
    d_new = (d + m) / (1 + r)
    return d_new, d + m - d_new


def check_recycling_fee(out):
    prod, z, x, dom, imp = io_tables()
    g = 1 + 1200000.0 / 12000000.0  # A8: fee / import price, pass-through 1
    d_new, m_new = zip(*(armington(dom["29"][c], imp["29"][c], g, 2.8) for c in ("P3_S14", "P51G")))
    d = sum(dom["29"][c] for c in ("P3_S14", "P51G"))
    m = sum(imp["29"][c] for c in ("P3_S14", "P51G"))
    want = {"delta": sum(d_new) - d, "import_change": sum(m_new) - m, "domestic": d,
            "imports": m, "domestic_new": sum(d_new), "imports_new": sum(m_new)}
    got = next(r for r in rows(out / "recycling_fee.csv") if r["sector"] == "29")
    compare("recycling_fee", [(k, got[k], v) for k, v in want.items()],
            note=f", switched {want['delta']:,.0f} thousand KZT")
    df = np.zeros(len(prod))
    df[prod.index("29")] = want["delta"]
    dx = leontief_solve(z, x, df)
    emp = {r["code"]: float(r["employed"]) for r in rows(IO / "kz_io_2024_employment_estimate.csv")}
    coef = {"output": np.ones(len(prod)),
            "income": np.array([dom["D1"][j] for j in prod]),
            "employment": np.array([emp[j] for j in prod]),
            "gva": np.array([dom["B1G"][j] for j in prod])}
    got = {r["quantity"]: r for r in rows(out / "recycling_fee_impact_totals.csv")}
    pairs = []
    for q, v in coef.items():
        k = v if q == "output" else np.divide(v, x, out=np.zeros(len(x)), where=x != 0)
        parts = {"direct": k @ df, "indirect": k @ (dx - df), "total": k @ dx}
        pairs += [(f"{q} {p}", got[q][p], val) for p, val in parts.items()]
    compare("recycling_fee_impact_totals", pairs,
            note=f", output total {pairs[2][2]:,.1f}")


# ---------------------------------------------------------------------------------------------
# 7. templates in the regions (A2, A3)
# ---------------------------------------------------------------------------------------------

def components(qualify, adj, size):
    """Connected components of adj restricted to qualify, ordered as regional_clusters numbers
    them: size (regions) descending, then first region."""
    seen, groups = set(), []
    for r in sorted(qualify):
        if r in seen:
            continue
        comp, todo = [], [r]
        seen.add(r)
        while todo:
            q = todo.pop()
            comp.append(q)
            for n in adj[q] & qualify - seen:
                seen.add(n)
                todo.append(n)
        groups.append(sorted(comp))
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def check_cluster_regions(out):
    """size_rc = sum of output_by_product over the template's industries (all roles), share =
    size / national size, LQ = (size_r/total_r)/(size_N/total_N) (Isard); groups = components of
    the contiguity graph among regions with LQ >= 1, lq_g = (size_g/total_g)/(size_N/total_N)."""
    x = defaultdict(dict)
    for r in rows(DATA / "output_by_product_2024.csv"):
        x[r["region"]][r["industry"]] = x[r["region"]].get(r["industry"], 0.0) + float(r["value"])
    regions = sorted(x)
    total = np.array([sum(x[r].values()) for r in regions])
    members = defaultdict(set)
    for r in rows(out / "templates.csv"):  # declared input (A1; feser_bergman's own check)
        members[r["cluster"]].add(r["industry"])
    got = {(r["region"], r["cluster"]): r for r in rows(out / "cluster_regions.csv")}
    pairs, lqs = [], {}
    for c, inds in members.items():
        size = np.array([sum(x[r].get(i, 0.0) for i in inds) for r in regions])
        lq = (size / total) / (size.sum() / total.sum())
        lqs[c] = (size, lq)
        for k, r in enumerate(regions):
            g = got.get((r, c))
            if g is None:
                pairs.append((f"{r} {c} missing row", 1, 0))
                continue
            pairs += [(f"{r} {c} {q}", g[q], v)
                      for q, v in (("size", size[k]), ("share", size[k] / size.sum()),
                                   ("lq", lq[k]))]
    compare("cluster_regions", pairs, note=f", {len(members)} templates x {len(regions)} regions")
    adj = defaultdict(set)
    for r in rows(out / "contiguity.csv"):  # declared input (A3; rook contiguity of the polygons)
        if r["to"]:
            adj[r["from"]].add(r["to"])
            adj[r["to"]].add(r["from"])
    spatial = rows(out / "cluster_regions_spatial.csv")
    for c in ("1", "15"):
        size, lq = lqs[c]
        qualify = {r for k, r in enumerate(regions) if lq[k] >= 1}
        want = components(qualify, adj, size)
        have = [g for g in spatial if g["cluster"] == c]
        same(f"cluster_regions_spatial {c} groups", [g["regions"] for g in have],
             ["+".join(w) for w in want], " | ".join("+".join(w) for w in want))
        n_size = size.sum() / total.sum()
        pairs = []
        for g, w in zip(have, want):
            idx = [regions.index(r) for r in w]
            pairs += [(f"{g['regions']} size", g["size"], size[idx].sum()),
                      (f"{g['regions']} lq", g["lq"], size[idx].sum() / total[idx].sum() / n_size)]
        compare(f"cluster_regions_spatial {c}", pairs)


# ---------------------------------------------------------------------------------------------
# 8. local content 30 % (A7)
# ---------------------------------------------------------------------------------------------

def check_local_content(out):
    """Output multiplier of 29 = column sum of (I - A)^-1 (Type I, domestic table), before and after
    z'_29,29 = z_29,29 + 0.3 m_29,29 with x unchanged (local_content README)."""
    prod, z, x, dom, imp = io_tables()
    k = prod.index("29")
    e = np.zeros(len(prod))
    e[k] = 1.0
    base = leontief_solve(z, x, e).sum()
    z2 = z.copy()
    z2[k, k] += 0.3 * imp["29"]["29"]
    scen = leontief_solve(z2, x, e).sum()
    got = next(r for r in rows(out / "local_content_effect.csv") if r["sector"] == "29")
    compare("local_content_effect", [("baseline", got["baseline"], base),
                                     ("scenario", got["scenario"], scen),
                                     ("change", got["change"], scen - base),
                                     ("relative_change", got["relative_change"], scen / base - 1)],
            note=f", {base:.6f} -> {scen:.6f}")


def main(out):
    out = Path(out)
    centres = {r["code"]: (float(r["lat"]), float(r["lon"])) for r in rows(DATA / "regions.csv")}
    nodes, links, routes = check_roads(out, centres)
    t = hours_matrix(nodes, routes)
    routes_kst = all_pairs(nodes, faster_kostanay(links))
    t_kst = hours_matrix(nodes, routes_kst)
    check_market_access(out, nodes, t)
    check_huff(out, nodes, t)
    # beyond the brief, free with the same code: the A9 network and its Hansen and Huff results
    compare_routes(out, "roads_kst", routes_kst)
    check_market_access(out, nodes, t_kst, "market_access_kst")
    check_huff(out, nodes, t_kst, "plant_markets_kst")
    for p in (1, 2, 3):
        check_hubs(out, nodes, t, p, f"hubs_{p}")
    check_hubs(out, nodes, t_kst, 2, "hubs_2_kst")
    check_recycling_fee(out)
    check_cluster_regions(out)
    check_local_content(out)
    if FAILED:
        print("MISMATCH: " + ", ".join(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_cluster_formation_numpy.py OUT_DIR")
    sys.exit(main(sys.argv[1]))
