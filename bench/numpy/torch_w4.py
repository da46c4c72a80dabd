"""W4 in PyTorch (CPU, float64): the single-entry SGD with weight decay of w4_sgd.py, op for op.

Per step, on preallocated tensors: the forward matrix-vector products from e_j, the residual at entry i, the
rank-one layer gradients (torch.outer) and the backward products, then W_l <- W_l - eta (grad_l + mu W_l) in the
same order of operations. The sample stream is dlnv's (read from the instance, drawn outside the timed loop as for
NumPy); the indices are Python ints. Each step is a dozen tiny tensor operations, so PyTorch's per-operation cost
is most of what this measures.
"""
import math

import numpy as np
import torch

from common import load_instance
from torch_common import tensor


def empty(shape):
    return torch.empty(shape, dtype=torch.float64)


@torch.no_grad()
def run(args):
    inst = load_instance(args["instance"])
    weights = [tensor(w) for w in inst["weights"]]
    rows, cols, values = inst["row"], inst["col"], inst["values"]
    samples = np.fromfile(inst["samplesFile"], dtype=np.int32).tolist()
    eta, mu, steps = inst["learningRate"], inst["mu"], inst["steps"]
    n = len(weights)
    widths = [weights[0].shape[1]] + [w.shape[0] for w in weights]
    b = [empty(d) for d in widths]
    a = [empty(d) for d in widths]
    grads = [torch.empty_like(w) for w in weights]
    tmp = [torch.empty_like(w) for w in weights]
    total = 0.0
    for k in range(steps):
        s = samples[k]
        i, j = rows[s], cols[s]
        b[0].zero_()
        b[0][j] = 1.0
        for l in range(1, n + 1):
            torch.mv(weights[l - 1], b[l - 1], out=b[l])
        r = float(b[n][i]) - values[s]
        total += r * r
        a[n].zero_()
        a[n][i] = 2.0 * r
        for l in range(n, 0, -1):
            torch.outer(a[l], b[l - 1], out=grads[l - 1])
            if l > 1:
                torch.mv(weights[l - 1].T, a[l], out=a[l - 1])
        for l in range(n):
            torch.mul(weights[l], mu, out=tmp[l])
            tmp[l].add_(grads[l])
            tmp[l].mul_(eta)
            weights[l].sub_(tmp[l])
    product = weights[0]
    for w in weights[1:]:
        product = w @ product
    rows_t, cols_t = torch.tensor(rows), torch.tensor(cols)
    resid = product[rows_t, cols_t] - torch.tensor(values, dtype=torch.float64)
    return {
        "finalCost": float(torch.mean(resid * resid)),
        "meanSampleCost": total / steps,
        "finalNorm": math.sqrt(sum(float(torch.sum(w * w)) for w in weights)),
    }
