"""NumPy reference for bench/run.ts: GFLOP/s of C = A @ B (square d x d, out= preallocated), median [min - max]."""
import sys
import time

import numpy as np

REPEATS = 15
TARGET_SECONDS = 0.03


def gflops(d: int) -> tuple[float, float, float]:
    rng = np.random.default_rng(2024)
    a, b = rng.standard_normal((d, d)), rng.standard_normal((d, d))
    c = np.empty((d, d))
    calls, end = 0, time.perf_counter() + 0.1
    while time.perf_counter() < end:
        np.matmul(a, b, out=c)
        calls += 1
    per_repeat = max(1, round(calls / 0.1 * TARGET_SECONDS))
    rates = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(per_repeat):
            np.matmul(a, b, out=c)
        rates.append(2 * d**3 * per_repeat / (time.perf_counter() - start) / 1e9)
    rates.sort()
    return rates[REPEATS // 2], rates[0], rates[-1]


for d in map(int, sys.argv[1:] or ["4", "16", "64", "128"]):
    median, lo, hi = gflops(d)
    spread = f"[{lo:.2f} – {hi:.2f}]"
    print(f"{'  d = ' + str(d) + ', numpy':44} {median:7.2f} GFLOP/s  {spread}")
