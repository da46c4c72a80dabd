"""W4: single-entry SGD with weight decay on matrix completion (d = 32, L = 3), 100 000 steps.

The algorithm of dlnv's src/completion (Trainer with batch 1, StochasticGradient, plain SGD), step for step:
  s = the step's sample (the same index stream as dlnv's seeded Rng, passed in); (i, j) = the s-th observed entry;
  forward  b_0 = e_j, b_l = W_l b_{l-1};  residual u = 2 (b_L[i] - A*_ij) e_i  (cost (A_ij - A*_ij)^2);
  backward a_L = u, grad_l = a_l b_{l-1}^T (rank one), a_{l-1} = W_l^T a_l;
  update   W_l <- W_l - eta (grad_l + mu W_l),  mu = 2 lambda (Wang-Jacot's lambda ||theta||^2).
The sample indices are drawn outside the timed loop here (dlnv draws them inside), so NumPy does not pay for
its generator.
"""
import numpy as np

from common import load_instance, matrix


def run(args):
    inst = load_instance(args["instance"])
    weights = [matrix(w) for w in inst["weights"]]
    rows = np.array(inst["row"], dtype=np.int64)
    cols = np.array(inst["col"], dtype=np.int64)
    values = np.array(inst["values"], dtype=np.float64)
    samples = np.fromfile(inst["samplesFile"], dtype=np.int32)
    eta, mu, steps = inst["learningRate"], inst["mu"], inst["steps"]
    n = len(weights)
    widths = [weights[0].shape[1]] + [w.shape[0] for w in weights]
    b = [np.empty(d) for d in widths]
    a = [np.empty(d) for d in widths]
    grads = [np.empty_like(w) for w in weights]
    tmp = [np.empty_like(w) for w in weights]
    total = 0.0
    for k in range(steps):
        s = samples[k]
        i, j = rows[s], cols[s]
        b[0].fill(0.0)
        b[0][j] = 1.0
        for l in range(1, n + 1):
            np.dot(weights[l - 1], b[l - 1], out=b[l])
        r = b[n][i] - values[s]
        total += r * r
        a[n].fill(0.0)
        a[n][i] = 2.0 * r
        for l in range(n, 0, -1):
            np.multiply.outer(a[l], b[l - 1], out=grads[l - 1])
            if l > 1:
                np.dot(weights[l - 1].T, a[l], out=a[l - 1])
        for l in range(n):
            np.multiply(weights[l], mu, out=tmp[l])
            tmp[l] += grads[l]
            tmp[l] *= eta
            weights[l] -= tmp[l]
    product = weights[0]
    for w in weights[1:]:
        product = w @ product
    resid = product[rows, cols] - values
    return {"finalCost": float(np.mean(resid * resid)), "meanSampleCost": total / steps, "finalNorm": float(np.sqrt(sum(np.sum(w * w) for w in weights)))}
