"""GEMM reference: C = A @ B (square d x d, out= preallocated), for the machine's measured peak.

run() times `calls` products itself and reports the best-of-`repeats` rate in GFLOP/s (a peak, not a typical
figure: this is the number the dlnv kernels are compared with to put the distance to the hardware on record).
"""
import time

import numpy as np


def run(args):
    d, calls, repeats = args["d"], args["calls"], args["repeats"]
    rng = np.random.default_rng(2024)
    a, b = rng.standard_normal((d, d)), rng.standard_normal((d, d))
    c = np.empty((d, d))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        rates.append(2 * d**3 * calls / (time.perf_counter() - start) / 1e9)
    rates.sort()
    return {"best": rates[-1], "median": rates[len(rates) // 2], "min": rates[0]}
