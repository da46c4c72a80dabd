"""W2 in PyTorch (CPU, float64): the RK4 and implicit-midpoint integrations of w2_flow.py, op for op.

The same field F(W) = -grad L(W) from closed-form products (no autograd) into preallocated out= buffers, the same
stage sums in the same order, the same fixed-point rule (rtol 1e-13, stagnation stop, iteration cap). Every step
is a few 8x8 products, so PyTorch's per-operation cost is most of what this measures.
"""
import math

import torch

from common import load_instance
from torch_common import tensor


def empty(shape):
    return torch.empty(shape, dtype=torch.float64)


class Field:
    """-grad L of L = k/2 ||W_N..W_1 X - Y||^2 + (lam/2) sum ||W_j||^2, with preallocated buffers."""

    def __init__(self, shapes, x, y, kappa, lam):
        self.n = len(shapes)
        d0 = shapes[0][1]
        self.sxx = kappa * (x @ x.T)
        self.syx = kappa * (y @ x.T)
        self.lam = lam
        self.prefix = [None, None] + [empty((shapes[j - 1][0], d0)) for j in range(2, self.n + 1)]
        self.back = [None] + [empty((shapes[j][1], d0)) for j in range(1, self.n)]
        self.g = empty((shapes[-1][0], d0))
        self.scratch = [empty(s) for s in shapes]

    def evaluate(self, w, out):
        n = self.n
        p = w[0]
        for j in range(2, n + 1):
            torch.matmul(w[j - 1], p, out=self.prefix[j])
            p = self.prefix[j]
        torch.matmul(p, self.sxx, out=self.g)
        self.g.sub_(self.syx)
        t = self.g
        for j in range(n, 1, -1):
            torch.matmul(t, (w[0] if j == 2 else self.prefix[j - 1]).T, out=out[j - 1])
            torch.matmul(w[j - 1].T, t, out=self.back[j - 1])
            t = self.back[j - 1]
        out[0].copy_(t)
        for j in range(n):
            if self.lam > 0:
                torch.mul(w[j], self.lam, out=self.scratch[j])
                out[j].add_(self.scratch[j])
            torch.neg(out[j], out=out[j])


def combine(out, base, alpha, direction, tmp):
    for o, b, d, s in zip(out, base, direction, tmp):
        torch.mul(d, alpha, out=s)
        torch.add(b, s, out=o)


def rk4(field, y, t1, steps):
    h = t1 / steps
    shapes = [w.shape for w in y]
    k1, k2, k3, k4, mid, tmp = ([empty(s) for s in shapes] for _ in range(6))
    c = h / 6
    for _ in range(steps):
        field.evaluate(y, k1)
        combine(mid, y, h / 2, k1, tmp)
        field.evaluate(mid, k2)
        combine(mid, y, h / 2, k2, tmp)
        field.evaluate(mid, k3)
        combine(mid, y, h, k3, tmp)
        field.evaluate(mid, k4)
        for j in range(len(y)):
            # y += c (k1 + 2 k2 + 2 k3 + k4), summed in that order as dlnv does.
            torch.mul(k2[j], 2, out=tmp[j])
            torch.add(k1[j], tmp[j], out=mid[j])
            torch.mul(k3[j], 2, out=tmp[j])
            mid[j].add_(tmp[j])
            mid[j].add_(k4[j])
            mid[j].mul_(c)
            y[j].add_(mid[j])
    return {"evaluations": 4 * steps}


def implicit_midpoint(field, y, t1, steps, rtol=1e-13, atol=0.0, max_iterations=100):
    h = t1 / steps
    shapes = [w.shape for w in y]
    slope, image, mid, tmp = ([empty(s) for s in shapes] for _ in range(4))
    field.evaluate(y, slope)
    evaluations, max_residual = 1, 0.0
    for _ in range(steps):
        k, f = slope, image
        previous, iterations = math.inf, 0
        while True:
            combine(mid, y, 0.5 * h, k, tmp)
            field.evaluate(mid, f)
            iterations += 1
            residual = max(float(torch.max(torch.abs(a - b))) for a, b in zip(k, f))
            norm = max(float(torch.max(torch.abs(a))) for a in k)
            if not math.isfinite(residual):
                raise FloatingPointError("implicit midpoint diverged")
            if residual <= atol + rtol * norm:
                break
            if iterations >= 3 and residual >= previous:
                break
            if iterations >= max_iterations:
                break
            previous = residual
            k, f = f, k
        for j in range(len(y)):
            torch.mul(k[j], h, out=tmp[j])
            y[j].add_(tmp[j])
        if k is not slope:
            for j in range(len(y)):
                slope[j].copy_(k[j])
        evaluations += iterations
        max_residual = max(max_residual, residual)
    return {"evaluations": evaluations, "maxResidual": max_residual}


@torch.no_grad()
def run(args):
    inst = load_instance(args["instance"])
    x, y = tensor(inst["X"]), tensor(inst["Y"])
    weights = [tensor(w) for w in inst["weights"]]
    field = Field([tuple(w.shape) for w in weights], x, y, inst["kappa"], inst["weightDecay"])
    if args["method"] == "rk4":
        stats = rk4(field, weights, inst["t1"], inst["steps"])
    else:
        stats = implicit_midpoint(field, weights, inst["t1"], inst["steps"])
    stats["finalNorm"] = math.sqrt(sum(float(torch.sum(w * w)) for w in weights))
    stats["finalW1"] = float(weights[0][0, 0])
    return stats
