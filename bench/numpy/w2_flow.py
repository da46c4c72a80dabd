"""W2: gradient-flow integration of a deep linear network with RK4 and with the implicit midpoint rule.

The algorithms of dlnv's Rk4 / integrateRk4 and ImplicitMidpoint / integrateImplicitMidpoint on the
DlnGradientField F(W) = -grad L(W) (see w1_gd.py for the gradient), step for step:
  RK4: k1 = F(y), k2 = F(y + h/2 k1), k3 = F(y + h/2 k2), k4 = F(y + h k3), y += h/6 (k1 + 2k2 + 2k3 + k4).
  Implicit midpoint: K warm-started from the previous step (F(y) at the first); iterate
    mid = y + (h/2) K, F = F(mid), r = max|K - F|; stop when r <= atol + rtol max|K| ('tolerance'), or after
    3+ iterations when r stops falling ('stagnated'), or at the iteration cap; otherwise K <- F.
    y += h K (the K whose residual was measured); K is the next step's warm start.
"""
import numpy as np

from common import load_instance, matrix


class Field:
    """-grad L of L = k/2 ||W_N..W_1 X - Y||^2 + (lam/2) sum ||W_j||^2, with preallocated buffers."""

    def __init__(self, shapes, x, y, kappa, lam):
        self.n = len(shapes)
        d0 = shapes[0][1]
        self.sxx = kappa * (x @ x.T)
        self.syx = kappa * (y @ x.T)
        self.lam = lam
        self.prefix = [None, None] + [np.empty((shapes[j - 1][0], d0)) for j in range(2, self.n + 1)]
        self.back = [None] + [np.empty((shapes[j][1], d0)) for j in range(1, self.n)]
        self.g = np.empty((shapes[-1][0], d0))
        self.scratch = [np.empty(s) for s in shapes]

    def evaluate(self, w, out):
        n = self.n
        p = w[0]
        for j in range(2, n + 1):
            np.matmul(w[j - 1], p, out=self.prefix[j])
            p = self.prefix[j]
        np.matmul(p, self.sxx, out=self.g)
        self.g -= self.syx
        t = self.g
        for j in range(n, 1, -1):
            np.matmul(t, (w[0] if j == 2 else self.prefix[j - 1]).T, out=out[j - 1])
            np.matmul(w[j - 1].T, t, out=self.back[j - 1])
            t = self.back[j - 1]
        out[0][...] = t
        for j in range(n):
            if self.lam > 0:
                np.multiply(w[j], self.lam, out=self.scratch[j])
                out[j] += self.scratch[j]
            np.negative(out[j], out=out[j])


def combine(out, base, alpha, direction, tmp):
    for o, b, d, s in zip(out, base, direction, tmp):
        np.multiply(d, alpha, out=s)
        np.add(b, s, out=o)


def rk4(field, y, t1, steps):
    h = t1 / steps
    shapes = [w.shape for w in y]
    k1, k2, k3, k4, mid, tmp = ([np.empty(s) for s in shapes] for _ in range(6))
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
            np.multiply(k2[j], 2, out=tmp[j])
            np.add(k1[j], tmp[j], out=mid[j])
            np.multiply(k3[j], 2, out=tmp[j])
            mid[j] += tmp[j]
            mid[j] += k4[j]
            mid[j] *= c
            y[j] += mid[j]
    return {"evaluations": 4 * steps}


def implicit_midpoint(field, y, t1, steps, rtol=1e-13, atol=0.0, max_iterations=100):
    h = t1 / steps
    shapes = [w.shape for w in y]
    slope, image, mid, tmp = ([np.empty(s) for s in shapes] for _ in range(4))
    field.evaluate(y, slope)
    evaluations, max_residual = 1, 0.0
    for _ in range(steps):
        k, f = slope, image
        previous, iterations = np.inf, 0
        while True:
            combine(mid, y, 0.5 * h, k, tmp)
            field.evaluate(mid, f)
            iterations += 1
            residual = max(float(np.max(np.abs(a - b))) for a, b in zip(k, f))
            norm = max(float(np.max(np.abs(a))) for a in k)
            if not np.isfinite(residual):
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
            np.multiply(k[j], h, out=tmp[j])
            y[j] += tmp[j]
        if k is not slope:
            for j in range(len(y)):
                slope[j][...] = k[j]
        evaluations += iterations
        max_residual = max(max_residual, residual)
    return {"evaluations": evaluations, "maxResidual": max_residual}


def run(args):
    inst = load_instance(args["instance"])
    x, y = matrix(inst["X"]), matrix(inst["Y"])
    weights = [matrix(w) for w in inst["weights"]]
    field = Field([w.shape for w in weights], x, y, inst["kappa"], inst["weightDecay"])
    if args["method"] == "rk4":
        stats = rk4(field, weights, inst["t1"], inst["steps"])
    else:
        stats = implicit_midpoint(field, weights, inst["t1"], inst["steps"])
    stats["finalNorm"] = float(np.sqrt(sum(np.sum(w * w) for w in weights)))
    stats["finalW1"] = float(weights[0][0, 0])
    return stats
