#!/usr/bin/env python3
"""Gate YOUR PyTorch deep linear network with `dlnv gate`, without writing protocol code (protocol 1, docs/PROTOCOL.md).

    dlnv gate --impl "python3 examples/torch_module_adapter.py --model mypkg.models:make_dln"
    dlnv gate --impl "python3 examples/torch_module_adapter.py --model mypkg.models:make_dln --loss torch.nn:MSELoss --float32"

--model package.module:factory   factory(widths) builds your network for widths [d_0, ..., d_N] (the gate asks for many
                                 shapes). It may return a list or nn.Sequential of bias-free nn.Linear layers, or any
                                 object with a `weights` list (tensors or nn.Parameters, one per layer, first layer
                                 first) and a forward: model(x) or model.forward(x), x of shape (m, d_0). A layer may be
                                 stored out x in (nn.Linear, used as x @ W.T) or in x out (used as x @ W): the adapter
                                 finds out by building the model once with distinct widths.
--loss package.module:name       a PyTorch loss: a class (instantiated with no arguments, e.g. torch.nn:MSELoss, the
                                 default) or a function loss(pred, y). Its loss_scale (and loss_factor) are measured at
                                 start-up on known residuals and declared in the handshake: nn.MSELoss() is
                                 'mean_entries', reduction='sum' is 'sum', and so on.
--weight-decay canonical|none    'canonical' (default): torch.optim.SGD(weight_decay=lam), penalty (lam/2) sum ||W_j||^2;
                                 'none': your training has no decay, the gate then sends lam = 0 everywhere.
--float32                        run the model in float32 (the default is float64).

Steps are torch.optim.SGD steps on your model's own parameters through your forward and your loss. The end-to-end
operator and balanced initialization are not a model's business: they are not served (those checks are skipped).
Only protocol answers go to stdout; anything printed by your code is sent to stderr.
"""
import contextlib
import importlib
import os
import sys

import torch
from gate_protocol import read_matrix, serve


def option(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def load(spec, what):
    """package.module:name, imported from the current directory first (where you run dlnv gate)."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit("torch_module_adapter.py: %s must be package.module:name, got %r" % (what, spec))
    return getattr(importlib.import_module(module), name)


DTYPE = torch.float32 if "--float32" in sys.argv else torch.float64
DECAY = option("--weight-decay", "canonical")
if DECAY not in ("canonical", "none"):
    raise SystemExit("torch_module_adapter.py: --weight-decay must be canonical or none, got %r" % DECAY)
if option("--model") is None:
    raise SystemExit(__doc__)
FACTORY = load(option("--model"), "--model")
LOSS = load(option("--loss", "torch.nn:MSELoss"), "--loss")
LOSS = LOSS() if isinstance(LOSS, type) else LOSS
torch.set_num_threads(1)

# ---- the user's model: its weights as the gate's W_j (d_j x d_{j-1}), its forward, its loss ----------------------


def layers(model):
    """The weight tensors of the model, first layer first."""
    if isinstance(model, (list, tuple, torch.nn.Sequential)):
        linears = list(model)
        for layer in linears:
            if not isinstance(layer, torch.nn.Linear) or layer.bias is not None:
                raise TypeError("a list or nn.Sequential must hold bias-free nn.Linear layers only, found %r" % layer)
        return [layer.weight for layer in linears]
    if hasattr(model, "weights"):
        return list(model.weights)
    raise TypeError("the model must be a list or nn.Sequential of nn.Linear, or have a `weights` list")


def forward(model, x):
    if isinstance(model, (list, tuple)):
        for layer in model:
            x = layer(x)
        return x
    return model(x) if callable(model) else model.forward(x)


def build(widths):
    with contextlib.redirect_stdout(sys.stderr):
        model = FACTORY(list(widths))
    if isinstance(model, torch.nn.Module):
        model.to(DTYPE)
    elif isinstance(model, (list, tuple)):
        for layer in model:
            layer.to(DTYPE)
    for w in layers(model):
        if w.dtype != DTYPE:
            raise TypeError("the model's weights are %s after .to(%s): build them as parameters of the model" % (w.dtype, DTYPE))
    return model


def orientation():
    """'out_in' (nn.Linear) or 'in_out' (x @ W), from a model built with distinct widths."""
    probe = [2, 3, 5]
    shapes = [tuple(w.shape) for w in layers(build(probe))]
    if shapes == [(3, 2), (5, 3)]:
        return "out_in"
    if shapes == [(2, 3), (3, 5)]:
        return "in_out"
    raise TypeError("factory([2, 3, 5]) gave weights of shapes %s: expected [(3, 2), (5, 3)] or [(2, 3), (3, 5)]" % shapes)


ORIENTATION = orientation()
MODELS = {}


def model_with(ws):
    """The user's model for these widths, its weights set to the gate's W_j."""
    widths = (ws[0].shape[1],) + tuple(W.shape[0] for W in ws)
    model = MODELS.get(widths) or MODELS.setdefault(widths, build(widths))
    with torch.no_grad():
        for p, W in zip(layers(model), ws):
            p.copy_(W if ORIENTATION == "out_in" else W.T)
    return model


def as_gate(t):
    return t if ORIENTATION == "out_in" else t.T


def measured_scale():
    """loss_scale and loss_factor of LOSS, measured on residuals R = pred - y of two shapes (m x d)."""
    bases = {"half": lambda m, d: 0.5, "sum": lambda m, d: 1.0, "mean": lambda m, d: 0.5 / m,
             "mean_samples": lambda m, d: 1.0 / m, "mean_entries": lambda m, d: 1.0 / (m * d)}
    gen = torch.Generator().manual_seed(0)
    ratios = []
    for m, d in [(3, 2), (7, 5)]:
        pred, y = torch.randn(m, d, generator=gen, dtype=torch.float64), torch.randn(m, d, generator=gen, dtype=torch.float64)
        ratios.append((m, d, float(LOSS(pred, y)) / float(((pred - y) ** 2).sum())))
    fits = []
    for scale, base in bases.items():
        factors = [r / base(m, d) for m, d, r in ratios]
        if abs(factors[0] - factors[1]) <= 1e-9 * abs(factors[0]):
            fits.append((abs(factors[0] - 1) > 1e-12, scale, factors[0]))
    if not fits:
        raise SystemExit("torch_module_adapter.py: the loss is not a multiple of a squared error (measured %s)" % ratios)
    _, scale, factor = min(fits)
    return scale, float("%.12g" % factor)  # 1 - 1e-16 from the division is 1


SCALE, FACTOR = measured_scale()


def loss(ws, X, Y, lam):
    model = model_with(ws)
    value = LOSS(forward(model, X), Y)
    return value + 0.5 * lam * sum((p ** 2).sum() for p in layers(model)) if DECAY == "canonical" else value


def gradients(ws, X, Y, lam):
    model = model_with(ws)
    params = layers(model)
    for p in params:
        p.grad = None
    (LOSS(forward(model, X), Y) + (0.5 * lam * sum((p ** 2).sum() for p in params) if DECAY == "canonical" else 0)).backward()
    return [as_gate(p.grad) for p in params]


def steps(ws, X, Y, lr, lam, count):
    """count torch.optim.SGD steps on the user's model; the points visited (start first)."""
    model = model_with(ws)
    params = layers(model)
    opt = torch.optim.SGD(params, lr=lr, weight_decay=lam if DECAY == "canonical" else 0.0)
    points = [[as_gate(p.detach().clone()) for p in params]]
    for _ in range(count):
        opt.zero_grad()
        LOSS(forward(model, X), Y).backward()
        opt.step()
        points.append([as_gate(p.detach().clone()) for p in params])
    return points


# ---- the protocol (JSON Lines on stdin/stdout) ----------------------------------------------------------------------

conventions = {"loss_scale": SCALE, "weight_decay": DECAY, "layout": "rows"}
if FACTOR != 1:
    conventions["loss_factor"] = FACTOR
HELLO = {
    "protocol": 1,
    "implementation": "%s via torch_module_adapter.py (%s, torch %s)" % (option("--model"), str(DTYPE).replace("torch.", ""), torch.__version__),
    "dtype": str(DTYPE).replace("torch.", ""),
    "conventions": conventions,
    "capabilities": ["loss", "gradients", "gd_step", "sgd_step", "trajectory"],
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
    X, Y, lam = decode(req["X"]), decode(req["Y"]), req["weight_decay"]
    if op == "loss":
        with torch.no_grad():
            return {"values": [float(loss([decode(W) for W in p], X, Y, lam)) for p in req["points"]]}
    ws, lr = [decode(W) for W in req["weights"]], req.get("lr", 0.0)
    if op == "gradients":
        return {"gradients": [encode(G) for G in gradients(ws, X, Y, lam)]}
    if op == "gd_step":
        return {"weights": [encode(W) for W in steps(ws, X, Y, lr, lam, 1)[-1]]}
    if op == "sgd_step":
        return {"weights": [encode(W) for W in steps(ws, X[req["samples"]], Y[req["samples"]], lr, lam, 1)[-1]]}
    if op == "trajectory":
        points = steps(ws, X, Y, lr, lam, req["steps"])
        with torch.no_grad():
            losses = [float(loss(p, X, Y, lam)) for p in points]
        return {"weights": [[encode(W) for W in p] for p in points], "losses": losses}
    raise ValueError("unknown op %r" % op)


if __name__ == "__main__":
    serve(handle)
