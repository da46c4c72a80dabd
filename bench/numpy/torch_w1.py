"""W1 in PyTorch (CPU, float64): the algorithm of w1_gd.py, op for op, on torch tensors with out= buffers.

PyTorch is the second peer of the benchmark (issue 20): a user who writes the same gradient descent by hand in
PyTorch instead of NumPy. No autograd (the gradients are the closed-form products, as in dlnv and w1_gd.py), so
the comparison is of the same arithmetic. Threads: torch.set_num_threads by the server (server.py).
"""
import torch

from common import load_instance
from torch_common import tensor


def loss(weights, x, y):
    p = weights[0].clone()
    for w in weights[1:]:
        p = w @ p
    r = p @ x - y
    return 0.5 * float(torch.sum(r * r))


def max_defect(weights):
    worst = 0.0
    for j in range(len(weights) - 1):
        c = weights[j + 1].T @ weights[j + 1] - weights[j] @ weights[j].T
        worst = max(worst, float(torch.sqrt(torch.sum(c * c))))
    return worst


@torch.no_grad()
def run(args):
    inst = load_instance(args["instance"])
    x, y = tensor(inst["X"]), tensor(inst["Y"])
    weights = [tensor(w) for w in inst["weights"]]
    eta, steps, every = inst["learningRate"], inst["steps"], inst["every"]
    n = len(weights)
    sxx = x @ x.T
    syx = y @ x.T
    d0 = weights[0].shape[1]
    prefix = [None] + [torch.empty((w.shape[0], d0), dtype=torch.float64) for w in weights]
    back = [None] + [torch.empty((weights[j].shape[1], d0), dtype=torch.float64) for j in range(1, n)]
    grads = [torch.empty_like(w) for w in weights]
    g = torch.empty((weights[-1].shape[0], d0), dtype=torch.float64)
    losses, defects = [], []

    def observe():
        losses.append(loss(weights, x, y))
        defects.append(max_defect(weights))

    observe()
    for s in range(1, steps + 1):
        p = weights[0]
        for j in range(2, n + 1):
            torch.matmul(weights[j - 1], p, out=prefix[j])
            p = prefix[j]
        torch.matmul(p, sxx, out=g)
        g.sub_(syx)
        t = g
        for j in range(n, 1, -1):
            torch.matmul(t, (weights[0] if j == 2 else prefix[j - 1]).T, out=grads[j - 1])
            torch.matmul(weights[j - 1].T, t, out=back[j - 1])
            t = back[j - 1]
        grads[0].copy_(t)
        for j in range(n):
            weights[j].sub_(grads[j], alpha=eta)
        if s % every == 0 or s == steps:
            observe()
    return {"finalLoss": losses[-1], "finalMaxDefect": defects[-1], "observations": len(losses)}
