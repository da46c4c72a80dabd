#!/usr/bin/env python3
"""A deep linear network in NumPy that `dlnv gate` can check (gate protocol 1, see docs/PROTOCOL.md).

    dlnv gate --impl "python3 examples/numpy_dln.py"              # float64
    dlnv gate --impl "python3 examples/numpy_dln.py --float32"    # float32: tolerances follow the dtype

Copy this file and gate_protocol.py, and make the functions of part 1 call your own code; part 2 can stay.
Conventions declared below (HELLO): W_j has shape (d_j, d_{j-1}) and W_1 acts first; samples are the
columns of X (d_0 x m) and Y (d_N x m); L = 1/2 ||W_N...W_1 X - Y||^2 + (lam/2) sum_j ||W_j||^2.
Only protocol answers go to stdout; print anything else to stderr.
"""
import sys

import numpy as np
from gate_protocol import read_matrix, serve

DTYPE = np.float32 if "--float32" in sys.argv else np.float64
# Singular values below RTOL * sigma_1 count as exactly 0 before fractional powers (THEORY.md section 0).
RTOL = 1e-10 if DTYPE == np.float64 else 1e-4

# ---- part 1: the model ---------------------------------------------------------------------------


def loss(ws, X, Y, lam):
    h = X
    for W in ws:
        h = W @ h
    R = h - Y
    return 0.5 * np.sum(R * R) + 0.5 * lam * sum(np.sum(W * W) for W in ws)


def gradients(ws, X, Y, lam):
    hs = [X]  # forward: h_j = W_j h_{j-1}
    for W in ws:
        hs.append(W @ hs[-1])
    delta = hs[-1] - Y  # dL/dh_N
    grads = [None] * len(ws)
    for j in reversed(range(len(ws))):  # backward: dL/dW_j = delta_j h_{j-1}^T, delta_{j-1} = W_j^T delta_j
        grads[j] = delta @ hs[j].T + lam * ws[j]
        delta = ws[j].T @ delta
    return grads


def gd_step(ws, X, Y, lr, lam):
    return [W - lr * G for W, G in zip(ws, gradients(ws, X, Y, lam))]


def sgd_step(ws, X, Y, lr, lam, samples):
    return gd_step(ws, X[:, samples], Y[:, samples], lr, lam)


def end_to_end_operator(W, Z, N):
    """A_W(Z) = sum_j (W W^T)^((N-j)/N) Z (W^T W)^((j-1)/N), from the full SVD W = U diag(s) V^T."""
    U, s, Vt = np.linalg.svd(W)
    s = np.where(s > RTOL * s.max(initial=0), s, 0)
    sa, sb = np.zeros(W.shape[0], DTYPE), np.zeros(W.shape[1], DTYPE)
    sa[: s.size], sb[: s.size] = s, s
    power = lambda x, p: np.power(x, p) if p > 0 else np.ones_like(x)  # 0^0 = 1
    C = sum(np.outer(power(sa, 2 * (N - j) / N), power(sb, 2 * (j - 1) / N)) for j in range(1, N + 1))
    return U @ (C * (U.T @ Z @ Vt.T)) @ Vt


def balanced_init(A, widths, seed):
    """ACGH Procedure 1: W_1 = O_1 S^(1/N) V^T, W_j = O_j S^(1/N) O_(j-1)^T, W_N = U S^(1/N) O_(N-1)^T."""
    N = len(widths) - 1
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    k = int(np.sum(s > RTOL * s.max(initial=0)))
    rng = np.random.default_rng(seed)
    frames = [Vt[:k].T] + [np.linalg.qr(rng.standard_normal((d, k)))[0].astype(DTYPE) for d in widths[1:-1]] + [U[:, :k]]
    root = np.diag(s[:k] ** (1.0 / N))
    return [frames[j + 1] @ root @ frames[j].T for j in range(N)]


def trajectory(ws, X, Y, lr, lam, steps):
    points = [ws]
    for _ in range(steps):
        points.append(gd_step(points[-1], X, Y, lr, lam))
    return points, [loss(p, X, Y, lam) for p in points]


# ---- part 2: the protocol (JSON Lines on stdin/stdout) -----------------------------------------------

HELLO = {
    "protocol": 1,
    "implementation": "numpy_dln.py (%s)" % np.dtype(DTYPE).name,
    "dtype": np.dtype(DTYPE).name,
    "conventions": {"loss_scale": "half", "weight_decay": "canonical", "layout": "columns"},
    "capabilities": ["loss", "gradients", "gd_step", "sgd_step", "end_to_end_operator", "balanced_init", "trajectory"],
    "encodings": ["json", "base64"],
}


def decode(m):
    return read_matrix(m).astype(DTYPE)


def encode(a):
    return {"shape": list(np.shape(a)), "data": np.asarray(a).tolist()}


def handle(req):
    op = req["op"]
    if op == "hello":
        return HELLO
    if op == "end_to_end_operator":
        return {"result": encode(end_to_end_operator(decode(req["W"]), decode(req["Z"]), req["depth"]))}
    if op == "balanced_init":
        return {"weights": [encode(W) for W in balanced_init(decode(req["target"]), req["widths"], req["seed"])]}
    X, Y, lam = decode(req["X"]), decode(req["Y"]), DTYPE(req["weight_decay"])
    if op == "loss":
        return {"values": [float(loss([decode(W) for W in p], X, Y, lam)) for p in req["points"]]}
    ws, lr = [decode(W) for W in req["weights"]], DTYPE(req.get("lr", 0))
    if op == "gradients":
        return {"gradients": [encode(G) for G in gradients(ws, X, Y, lam)]}
    if op == "gd_step":
        return {"weights": [encode(W) for W in gd_step(ws, X, Y, lr, lam)]}
    if op == "sgd_step":
        return {"weights": [encode(W) for W in sgd_step(ws, X, Y, lr, lam, req["samples"])]}
    if op == "trajectory":
        points, losses = trajectory(ws, X, Y, lr, lam, req["steps"])
        return {"weights": [[encode(W) for W in p] for p in points], "losses": [float(v) for v in losses]}
    raise ValueError("unknown op %r" % op)


def main():
    serve(lambda req: handle(req))  # looked up at each request: test/fixtures replace handle after importing this file


if __name__ == "__main__":
    main()
