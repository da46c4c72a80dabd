"""GEMM in PyTorch (CPU, float64): C = A @ B with out=, timed as gemm.py times NumPy's (best-of-repeats rate)."""
import time

import torch


@torch.no_grad()
def run(args):
    d, calls, repeats = args["d"], args["calls"], args["repeats"]
    g = torch.Generator().manual_seed(2024)
    a = torch.randn((d, d), dtype=torch.float64, generator=g)
    b = torch.randn((d, d), dtype=torch.float64, generator=g)
    c = torch.empty((d, d), dtype=torch.float64)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            torch.matmul(a, b, out=c)
        rates.append(2 * d**3 * calls / (time.perf_counter() - start) / 1e9)
    rates.sort()
    return {"best": rates[-1], "median": rates[len(rates) // 2], "min": rates[0]}
