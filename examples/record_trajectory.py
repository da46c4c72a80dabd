"""Records examples/trajectory.npz: a gradient-descent run that `dlnv gate --trajectory` checks.

A depth-3 linear network (widths 3-4-4-2) trained by plain gradient descent on L = ½‖W_3W_2W_1X − Y‖² (loss
scale "half", no weight decay), 30 steps at η = 0.02, seed 0. The arrays follow docs/PROTOCOL.md §8: W1, W2, W3
of shape (steps + 1, d_j, d_{j−1}), the data X, Y, the recorded losses and the run's settings.
Run: python3 examples/record_trajectory.py (needs NumPy).
"""
from pathlib import Path

import numpy as np

rng = np.random.default_rng(0)
widths = [3, 4, 4, 2]
m, steps, lr = 6, 30, 0.02
X = rng.standard_normal((widths[0], m))
Y = rng.standard_normal((widths[-1], m))
W = [0.5 * rng.standard_normal((widths[j + 1], widths[j])) for j in range(3)]


def product(ws, dim):
    """W_b⋯W_a for the layers ws = [W_a, …, W_b]; the identity of size dim when ws is empty."""
    out = np.eye(dim)
    for w in ws:
        out = w @ out
    return out


def loss(ws):
    return 0.5 * np.sum((product(ws, widths[0]) @ X - Y) ** 2)


def gradients(ws):
    g = (product(ws, widths[0]) @ X - Y) @ X.T  # ∇L¹ at the end-to-end matrix
    return [product(ws[j + 1:], widths[j + 1]).T @ g @ product(ws[:j], widths[0]).T for j in range(len(ws))]


points, losses = [[w.copy() for w in W]], [loss(W)]
for _ in range(steps):
    W = [w - lr * gj for w, gj in zip(W, gradients(W))]
    points.append([w.copy() for w in W])
    losses.append(loss(W))

np.savez(
    Path(__file__).with_name("trajectory.npz"),
    **{f"W{j + 1}": np.stack([p[j] for p in points]) for j in range(3)},
    X=X, Y=Y, losses=np.array(losses), lr=lr, weight_decay=0.0,
    loss_scale="half", optimizer="gd", layout="columns", dtype="float64",
)
