"""W3: Taylor-remainder derivative checks on random deep linear networks (N = 4, d = 8).

Per instance, the evaluations dlnv's checkTaylor makes (src/check/taylor.ts with the default options), with the
loss and layer gradients of src/model computed by the same algorithm:
  - the claimed derivative Df[xi] = sum_j <grad_j L(x), xi_j> (grads from prefix/suffix products, G = (WX - Y)X^T);
  - unit = max(||x||, 1) / ||xi||; f(x);
  - the noise probe: f(x + k h xi), k = -4..4, k != 0, h = 1e-6 unit, and sigma from its 4th differences;
  - the grid: 33 log-spaced t in [1e-8, 1] * unit, f(x + t xi) and f(x - t xi), and the remainders r(+-t).
That is 75 loss evaluations and one gradient per check. The verdict analysis that dlnv adds on top (power-law
windows, Richardson steps, defect search) is not reproduced: the NumPy side does strictly less work.
"""
import numpy as np

from common import load_instance, matrix


def end_to_end(weights):
    acc = weights[0].copy()
    for w in weights[1:]:
        acc = w @ acc
    return acc


def loss(weights, x, y):
    r = end_to_end(weights) @ x - y
    return 0.5 * float(np.sum(r * r))


def layer_gradients(weights, x, y):
    n = len(weights)
    below = [np.eye(weights[0].shape[1])]
    for j in range(n):
        below.append(weights[j] @ below[j])
    above = [None] * (n + 1)
    above[n] = np.eye(weights[-1].shape[0])
    for j in range(n - 1, -1, -1):
        above[j] = above[j + 1] @ weights[j]
    g = (below[n] @ x - y) @ x.T
    return [(above[j].T @ g) @ below[j - 1].T for j in range(1, n + 1)]


def point_norm(p):
    return float(np.sqrt(sum(np.sum(m * m) for m in p)))


def displaced(x, t, xi):
    return [a + t * d for a, d in zip(x, xi)]


def check(x, xi, data_x, data_y, points=33):
    grads = layer_gradients(x, data_x, data_y)
    derivative = sum(float(np.sum(g * d)) for g, d in zip(grads, xi))
    unit = max(point_norm(x), 1.0) / point_norm(xi)
    f0 = loss([m.copy() for m in x], data_x, data_y)
    h = 1e-6 * unit
    probe = [f0 if k == 0 else loss(displaced(x, k * h, xi), data_x, data_y) for k in range(-4, 5)]
    d4 = [probe[j] - 4 * probe[j + 1] + 6 * probe[j + 2] - 4 * probe[j + 3] + probe[j + 4] for j in range(5)]
    sigma = float(np.sqrt(np.mean(np.square(d4)) / 70))
    t = unit * 10.0 ** np.linspace(-8.0, 0.0, points)
    plus = np.array([loss(displaced(x, ti, xi), data_x, data_y) for ti in t])
    minus = np.array([loss(displaced(x, -ti, xi), data_x, data_y) for ti in t])
    r_plus = plus - f0 - t * derivative
    r_minus = minus - f0 + t * derivative
    return derivative, sigma, r_plus, r_minus


def run(args):
    inst = load_instance(args["instance"])
    instances = inst["instances"]
    if "_parsed" not in inst:
        inst["_parsed"] = [
            ([matrix(w) for w in i["weights"]], [matrix(d) for d in i["direction"]], matrix(i["X"]), matrix(i["Y"]))
            for i in instances
        ]
    total = 0.0
    for x, xi, dx, dy in inst["_parsed"]:
        derivative, _, _, _ = check(x, xi, dx, dy)
        total += derivative
    return {"checks": len(instances), "sumDerivative": total}
