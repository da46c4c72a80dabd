"""W3 in PyTorch (CPU, float64): the Taylor-remainder evaluations of w3_taylor.py, op for op.

Per check: the claimed derivative from the closed-form layer gradients (prefix/suffix products; no autograd, as in
dlnv and w3_taylor.py), f(x), the 8 noise-probe losses and sigma, and the 66 losses of the 33-point grid on both
sides with their remainders: 75 loss evaluations and one gradient. No verdict analysis (as the NumPy side).
"""
import math

import torch

from common import load_instance
from torch_common import tensor


def end_to_end(weights):
    acc = weights[0].clone()
    for w in weights[1:]:
        acc = w @ acc
    return acc


def loss(weights, x, y):
    r = end_to_end(weights) @ x - y
    return 0.5 * float(torch.sum(r * r))


def layer_gradients(weights, x, y):
    n = len(weights)
    below = [torch.eye(weights[0].shape[1], dtype=torch.float64)]
    for j in range(n):
        below.append(weights[j] @ below[j])
    above = [None] * (n + 1)
    above[n] = torch.eye(weights[-1].shape[0], dtype=torch.float64)
    for j in range(n - 1, -1, -1):
        above[j] = above[j + 1] @ weights[j]
    g = (below[n] @ x - y) @ x.T
    return [(above[j].T @ g) @ below[j - 1].T for j in range(1, n + 1)]


def point_norm(p):
    return math.sqrt(sum(float(torch.sum(m * m)) for m in p))


def displaced(x, t, xi):
    return [a + t * d for a, d in zip(x, xi)]


def check(x, xi, data_x, data_y, points=33):
    grads = layer_gradients(x, data_x, data_y)
    derivative = sum(float(torch.sum(g * d)) for g, d in zip(grads, xi))
    unit = max(point_norm(x), 1.0) / point_norm(xi)
    f0 = loss([m.clone() for m in x], data_x, data_y)
    h = 1e-6 * unit
    probe = [f0 if k == 0 else loss(displaced(x, k * h, xi), data_x, data_y) for k in range(-4, 5)]
    d4 = [probe[j] - 4 * probe[j + 1] + 6 * probe[j + 2] - 4 * probe[j + 3] + probe[j + 4] for j in range(5)]
    sigma = math.sqrt(sum(v * v for v in d4) / len(d4) / 70)
    t = unit * 10.0 ** torch.linspace(-8.0, 0.0, points, dtype=torch.float64)
    plus = torch.tensor([loss(displaced(x, float(ti), xi), data_x, data_y) for ti in t], dtype=torch.float64)
    minus = torch.tensor([loss(displaced(x, -float(ti), xi), data_x, data_y) for ti in t], dtype=torch.float64)
    r_plus = plus - f0 - t * derivative
    r_minus = minus - f0 + t * derivative
    return derivative, sigma, r_plus, r_minus


@torch.no_grad()
def run(args):
    inst = load_instance(args["instance"])
    instances = inst["instances"]
    if "_torch" not in inst:
        inst["_torch"] = [
            ([tensor(w) for w in i["weights"]], [tensor(d) for d in i["direction"]], tensor(i["X"]), tensor(i["Y"]))
            for i in instances
        ]
    total = 0.0
    for x, xi, dx, dy in inst["_torch"]:
        derivative, _, _, _ = check(x, xi, dx, dy)
        total += derivative
    return {"checks": len(instances), "sumDerivative": total}
