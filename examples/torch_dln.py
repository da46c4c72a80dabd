#!/usr/bin/env python3
"""A deep linear network in PyTorch, gradients by autograd, checked by `dlnv gate` (protocol 1, docs/PROTOCOL.md).

    dlnv gate --impl "python3 examples/torch_dln.py"              # float64
    dlnv gate --impl "python3 examples/torch_dln.py --float32"    # float32: tolerances follow the dtype

PyTorch's layout: a batch is the rows of X (m x d_0), a layer is y = x W^T with W of shape (d_j, d_{j-1}) as
torch.nn.Linear stores it (bias-free), so the handshake declares layout 'rows'. torch.optim.SGD's weight_decay adds
lam*W to the gradient: the 'canonical' form, L + (lam/2) sum ||W_j||^2. Copy this file and put your model in part 1.
"""
import sys

import torch
from gate_protocol import read_matrix, serve

DTYPE = torch.float32 if "--float32" in sys.argv else torch.float64
RTOL = 1e-10 if DTYPE == torch.float64 else 1e-4  # singular values <= RTOL*sigma_1 are 0 (THEORY.md section 0)
torch.set_num_threads(1)  # tiny matrices: threads cost more than they bring

# ---- part 1: the model ---------------------------------------------------------------------------


def loss(ws, X, Y, lam):
    h = X
    for W in ws:
        h = h @ W.T
    return 0.5 * ((h - Y) ** 2).sum() + 0.5 * lam * sum((W ** 2).sum() for W in ws)


def gradients(ws, X, Y, lam):
    params = [W.clone().requires_grad_(True) for W in ws]
    return torch.autograd.grad(loss(params, X, Y, lam), params)


def gd_step(ws, X, Y, lr, lam):
    params = [torch.nn.Parameter(W.clone()) for W in ws]
    opt = torch.optim.SGD(params, lr=lr, weight_decay=lam)
    opt.zero_grad()
    loss(params, X, Y, 0.0).backward()
    opt.step()
    return [p.detach() for p in params]


def sgd_step(ws, X, Y, lr, lam, samples):
    return gd_step(ws, X[samples], Y[samples], lr, lam)


def end_to_end_operator(W, Z, N):
    """A_W(Z) = sum_j (W W^T)^((N-j)/N) Z (W^T W)^((j-1)/N), from the full SVD W = U diag(s) V^T."""
    U, s, Vh = torch.linalg.svd(W)
    s = torch.where(s > RTOL * s.max(), s, torch.zeros_like(s)) if s.numel() else s
    sa, sb = torch.zeros(W.shape[0], dtype=DTYPE), torch.zeros(W.shape[1], dtype=DTYPE)
    sa[: s.numel()], sb[: s.numel()] = s, s
    power = lambda x, p: x ** p if p > 0 else torch.ones_like(x)  # 0^0 = 1
    C = sum(torch.outer(power(sa, 2 * (N - j) / N), power(sb, 2 * (j - 1) / N)) for j in range(1, N + 1))
    return U @ (C * (U.T @ Z @ Vh.T)) @ Vh


def balanced_init(A, widths, seed):
    """ACGH Procedure 1: W_1 = O_1 S^(1/N) V^T, W_j = O_j S^(1/N) O_(j-1)^T, W_N = U S^(1/N) O_(N-1)^T."""
    N = len(widths) - 1
    U, s, Vh = torch.linalg.svd(A, full_matrices=False)
    k = int((s > RTOL * s.max()).sum())
    gen = torch.Generator().manual_seed(seed)
    hidden = [torch.linalg.qr(torch.randn(d, k, generator=gen, dtype=DTYPE))[0] for d in widths[1:-1]]
    frames = [Vh[:k].T] + hidden + [U[:, :k]]
    root = torch.diag(s[:k] ** (1.0 / N))
    return [frames[j + 1] @ root @ frames[j].T for j in range(N)]


def trajectory(ws, X, Y, lr, lam, steps):
    points = [ws]
    for _ in range(steps):
        points.append(gd_step(points[-1], X, Y, lr, lam))
    return points, [loss(p, X, Y, lam).item() for p in points]


# ---- part 2: the protocol (JSON Lines on stdin/stdout) -----------------------------------------------

HELLO = {
    "protocol": 1,
    "implementation": "torch_dln.py (%s, torch %s)" % (str(DTYPE).replace("torch.", ""), torch.__version__),
    "dtype": str(DTYPE).replace("torch.", ""),
    "conventions": {"loss_scale": "half", "weight_decay": "canonical", "layout": "rows"},
    "capabilities": ["loss", "gradients", "gd_step", "sgd_step", "end_to_end_operator", "balanced_init", "trajectory"],
    "encodings": ["json", "base64"],
}


def decode(m):
    return torch.tensor(read_matrix(m), dtype=DTYPE)


def encode(t):
    return {"shape": list(t.shape), "data": t.detach().double().tolist()}


def handle(req):
    op = req["op"]
    if op == "hello":
        return HELLO
    if op == "end_to_end_operator":
        return {"result": encode(end_to_end_operator(decode(req["W"]), decode(req["Z"]), req["depth"]))}
    if op == "balanced_init":
        return {"weights": [encode(W) for W in balanced_init(decode(req["target"]), req["widths"], req["seed"])]}
    X, Y, lam = decode(req["X"]), decode(req["Y"]), req["weight_decay"]
    if op == "loss":
        with torch.no_grad():
            return {"values": [loss([decode(W) for W in p], X, Y, lam).item() for p in req["points"]]}
    ws, lr = [decode(W) for W in req["weights"]], req.get("lr", 0.0)
    if op == "gradients":
        return {"gradients": [encode(G) for G in gradients(ws, X, Y, lam)]}
    if op == "gd_step":
        return {"weights": [encode(W) for W in gd_step(ws, X, Y, lr, lam)]}
    if op == "sgd_step":
        return {"weights": [encode(W) for W in sgd_step(ws, X, Y, lr, lam, req["samples"])]}
    if op == "trajectory":
        points, losses = trajectory(ws, X, Y, lr, lam, req["steps"])
        return {"weights": [[encode(W) for W in p] for p in points], "losses": losses}
    raise ValueError("unknown op %r" % op)


if __name__ == "__main__":
    serve(handle)
