#!/usr/bin/python3
"""numpy.linalg.solve on the same sizes as io_bench (synthetic, seeded, column sums 0.6).

Run with Debian's python: /usr/bin/python3 bench/io_numpy.py
Prints the best wall time of a few repetitions of solve(I - A, f) per size, in milliseconds.
"""
import sys
import time

import numpy as np


def synthetic_a(n, seed=42):
    rng = np.random.default_rng(seed)
    a = rng.random((n, n))
    return a * (0.6 / a.sum(axis=0))


def best_ms(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main():
    try:
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            print(f"# {lib.get('internal_api')} {lib.get('version')} {lib.get('architecture')} "
                  f"threads={lib.get('num_threads')}")
    except ImportError:
        print("# threadpoolctl not installed: BLAS kernel unknown")
    sizes = [int(s) for s in sys.argv[1:]] or [65, 500, 2000, 5000]
    for n in sizes:
        a = synthetic_a(n)
        m = np.eye(n) - a
        f = np.ones(n)
        repeats = 2 if n >= 5000 else 5 if n >= 2000 else 20
        solve = best_ms(lambda: np.linalg.solve(m, f), repeats)
        # The `leontief` equivalent: form I - A, solve, and the transposed solve for multipliers.
        lu_pair = best_ms(lambda: (np.linalg.solve(np.eye(n) - a, f),
                                   np.linalg.solve((np.eye(n) - a).T, np.ones(n))), repeats)
        print(f"n={n:5d}  solve {solve:10.3f} ms   solve+transposed solve {lu_pair:10.3f} ms")


if __name__ == "__main__":
    main()
