#!/usr/bin/python3
"""Leontief work against numpy in one run (bench/README.md, issue 14): times io_bench's BM_Solve
(LU and one solve, what numpy.linalg.solve does) and BM_LeontiefMultipliers (`leontief`'s work:
checked LU, condition estimate, Hawkins-Simon solve, output multipliers), then numpy's
solve(I - A, f) on the same matrices, and prints one markdown row per size with the ratios.
Each time is the best of several repetitions on both sides.
Usage: /usr/bin/python3 bench/io_compare.py BUILD_DIR [SIZES...]   (default 65 500 2000 5000)"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
from io_numpy import best_ms, synthetic_a  # noqa: E402


def klaster_ms(build, sizes):
    """Best real time in ms of each (benchmark, n) from io_bench's JSON output."""
    sizes_re = "|".join(str(n) for n in sizes)
    cmd = [os.path.join(build, "bin", "io_bench"), "--benchmark_format=json",
           f"--benchmark_filter=BM_(Solve|LeontiefMultipliers)/({sizes_re})(/|$)",
           "--benchmark_repetitions=3"]
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
    out = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
    best = {}
    for b in out["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name, n = b["run_name"].split("/")[0], int(b["run_name"].split("/")[1])
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        best[(name, n)] = min(best.get((name, n), float("inf")), b["real_time"] * scale)
    return best


def numpy_ms(n):
    m, f = np.eye(n) - synthetic_a(n), np.ones(n)
    return best_ms(lambda: np.linalg.solve(m, f), 3 if n >= 5000 else 10 if n >= 2000 else 50)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    sizes = [int(s) for s in sys.argv[2:]] or [65, 500, 2000, 5000]
    k = klaster_ms(build, sizes)
    print("| n | numpy solve | klaster solve | klaster leontief work | solve / numpy | "
          "leontief work / numpy |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        np_ms, solve, work = numpy_ms(n), k[("BM_Solve", n)], k[("BM_LeontiefMultipliers", n)]
        print(f"| {n} | {np_ms:.3f} ms | {solve:.3f} ms | {work:.3f} ms | {solve / np_ms:.2f} | "
              f"{work / np_ms:.2f} |")


if __name__ == "__main__":
    main()
