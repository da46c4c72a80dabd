"""W1: gradient descent on a deep linear network, N square layers, recording the loss and max_j ||C_j||_F.

The algorithm of dlnv's DlnGradientField + runGradientDescent + the bench observer, step for step:
  S_xx = k X X^T, S_yx = k Y X^T (once);
  per step: P_1 = W_1, P_j = W_j P_{j-1}; G = P_N S_xx - S_yx;
            T_N = G; for j = N..2: grad_j = T_j P_{j-1}^T, T_{j-1} = W_j^T T_j; grad_1 = T_1;
            W_j <- W_j - eta * grad_j;
  every `every` steps (and at step 0): loss = 1/2 ||W_N...W_1 X - Y||_F^2 and max_j ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F.
Preallocated buffers and out= everywhere, as a careful NumPy user would write it.
"""
import numpy as np

from common import load_instance, matrix


def loss(weights, x, y):
    p = weights[0].copy()
    for w in weights[1:]:
        p = w @ p
    r = p @ x - y
    return 0.5 * float(np.sum(r * r))


def max_defect(weights):
    worst = 0.0
    for j in range(len(weights) - 1):
        c = weights[j + 1].T @ weights[j + 1] - weights[j] @ weights[j].T
        worst = max(worst, float(np.sqrt(np.sum(c * c))))
    return worst


def run(args):
    inst = load_instance(args["instance"])
    x, y = matrix(inst["X"]), matrix(inst["Y"])
    weights = [matrix(w) for w in inst["weights"]]
    eta, steps, every = inst["learningRate"], inst["steps"], inst["every"]
    n = len(weights)
    sxx = x @ x.T
    syx = y @ x.T
    prefix = [None] + [np.empty((w.shape[0], weights[0].shape[1])) for w in weights]
    back = [None] + [np.empty((weights[j].shape[1], weights[0].shape[1])) for j in range(1, n)]
    grads = [np.empty_like(w) for w in weights]
    tmp = [np.empty_like(w) for w in weights]
    g = np.empty((weights[-1].shape[0], weights[0].shape[1]))
    losses, defects = [], []

    def observe():
        losses.append(loss(weights, x, y))
        defects.append(max_defect(weights))

    observe()
    for s in range(1, steps + 1):
        p = weights[0]
        for j in range(2, n + 1):
            np.matmul(weights[j - 1], p, out=prefix[j])
            p = prefix[j]
        np.matmul(p, sxx, out=g)
        g -= syx
        t = g
        for j in range(n, 1, -1):
            np.matmul(t, (weights[0] if j == 2 else prefix[j - 1]).T, out=grads[j - 1])
            np.matmul(weights[j - 1].T, t, out=back[j - 1])
            t = back[j - 1]
        grads[0][...] = t
        for j in range(n):
            np.multiply(grads[j], eta, out=tmp[j])
            weights[j] -= tmp[j]
        if s % every == 0 or s == steps:
            observe()
    return {"finalLoss": losses[-1], "finalMaxDefect": defects[-1], "observations": len(losses)}
