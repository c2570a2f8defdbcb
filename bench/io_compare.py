#!/usr/bin/python3
"""Leontief work against numpy in one run (bench/README.md, issue 14): times io_bench's BM_Solve
(LU and one solve, what numpy.linalg.solve does, on the SDK's generic path) and
BM_LeontiefMultipliers (`leontief`'s work: checked LU on the kernel the SDK chooses, condition
number, Hawkins-Simon solve, output multipliers), then numpy's solve(I - A, f) on the same
matrices, and prints one markdown row per size with the ratios, then numpy's BLAS kernels and
klaster's LU kernel at each size, and then the per-call overhead: both sides on a 2 x 2 system,
where the flops are negligible (issue 14: at most a quarter of numpy's).
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
    """Best real time in ms of each (benchmark, n) from io_bench's JSON output, and the LU kernel
    of the Leontief work at each n (its label)."""
    sizes_re = "|".join(str(n) for n in sizes)
    cmd = [os.path.join(build, "bin", "io_bench"), "--benchmark_format=json",
           f"--benchmark_filter=BM_(Solve|LeontiefMultipliers)/({sizes_re})(/|$)",
           "--benchmark_repetitions=3"]
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
    out = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
    best, kernels = {}, {}
    for b in out["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name, n = b["run_name"].split("/")[0], int(b["run_name"].split("/")[1])
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        best[(name, n)] = min(best.get((name, n), float("inf")), b["real_time"] * scale)
        if b.get("label"):
            kernels[n] = b["label"]
    return best, kernels


def blas_core():
    """The kernel set numpy's OpenBLAS runs (it picks it by CPU; unknown CPUs get old ones)."""
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}"
                         for i in threadpool_info()) or "unknown"
    except ImportError:
        return "unknown (python3-threadpoolctl not installed)"


def numpy_ms(n):
    m, f = np.eye(n) - synthetic_a(n), np.ones(n)
    return best_ms(lambda: np.linalg.solve(m, f), 3 if n >= 5000 else 10 if n >= 2000 else 50)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    sizes = [int(s) for s in sys.argv[2:]] or [65, 500, 2000, 5000]
    k, kernels = klaster_ms(build, sizes + [2])
    print("| n | numpy solve | klaster solve | klaster leontief work | solve / numpy | "
          "leontief work / numpy |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        np_ms, solve, work = numpy_ms(n), k[("BM_Solve", n)], k[("BM_LeontiefMultipliers", n)]
        print(f"| {n} | {np_ms:.3f} ms | {solve:.3f} ms | {work:.3f} ms | {solve / np_ms:.2f} | "
              f"{work / np_ms:.2f} |")
    print(f"\nnumpy's BLAS: {blas_core()}; OPENBLAS_CORETYPE "
          f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')}; klaster's LU kernel (leontief work): "
          + ", ".join(f"{kernels.get(n, '?')} at {n}" for n in sizes)
          + "; klaster solve is the generic path (Eigen over LAPACKE/OpenBLAS)")
    np_call, work_call = numpy_ms(2), k[("BM_LeontiefMultipliers", 2)]
    print(f"\nPer-call overhead (a 2 x 2 system, whose flops are negligible): klaster's Leontief "
          f"work {work_call * 1e3:.2f} us, numpy's solve {np_call * 1e3:.2f} us: "
          f"{work_call / np_call:.2f}")


if __name__ == "__main__":
    main()
