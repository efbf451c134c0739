#!/usr/bin/env python3
"""Reference parameters for descent's optimizer tests, computed by PyTorch's own torch.optim.SGD and LR
schedulers (Debian 12: apt-get install python3-torch; run with /usr/bin/python3 make_reference.py in this
directory), and by Keras' legacy SGD update rule written out from its documentation:
    lr_t = lr / (1 + decay * iterations);  v = momentum * v - lr_t * g
    p = p + v                               (nesterov=False)
    p = p + momentum * v - lr_t * g         (nesterov=True)

data.npz    X (470 x 5), Y (470 x 3), W0 (5 x 3), B0 (3,), float64, from numpy's RandomState(2026)
<case>.npz  W, B after the case's epochs: batches in order, the last one uneven (470 is no multiple of
            any batch size used), MSE loss (mean over batch x outputs), float64
cases.json  each case: descent's optimizer name and hyperparameters, schedule, batch size, epochs
"""
import json

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rs = np.random.RandomState(2026)
N, NX, NY = 470, 5, 3
X = rs.standard_normal((N, NX))
W_TRUE = rs.standard_normal((NX, NY))
Y = X @ W_TRUE + rs.standard_normal(NY) + 0.1 * rs.standard_normal((N, NY))
W0 = 0.1 * rs.standard_normal((NX, NY))
B0 = 0.1 * rs.standard_normal(NY)
np.savez("data.npz", X=X, Y=Y, W0=W0, B0=B0)

CASES = {
    "torch_sgd": dict(optimizer="sgd", lr=0.05, momentum=0.0, dampening=0.0, schedule="constant", batch=32, epochs=3),
    "torch_momentum": dict(optimizer="momentum-torch", lr=0.02, momentum=0.9, dampening=0.0, schedule="constant", batch=50, epochs=4),
    "torch_momentum_dampened_steplr": dict(optimizer="momentum-torch", lr=0.05, momentum=0.9, dampening=0.3, schedule="step",
                                           gamma=0.5, step_every=1, batch=64, epochs=4),
    "torch_nesterov_exponentiallr": dict(optimizer="nesterov-torch", lr=0.03, momentum=0.8, dampening=0.0, schedule="exponential",
                                         gamma=0.7, batch=100, epochs=4),
    "torch_momentum_lambdalr": dict(optimizer="momentum-torch", lr=0.05, momentum=0.5, dampening=0.0, schedule="inverse-time",
                                    decay=0.01, batch=32, epochs=3),
    "keras_momentum_decay": dict(optimizer="momentum-keras", lr=0.02, momentum=0.9, dampening=0.0, schedule="inverse-time",
                                 decay=1e-3, batch=50, epochs=4),
    "keras_nesterov_decay": dict(optimizer="nesterov-keras", lr=0.02, momentum=0.9, dampening=0.0, schedule="inverse-time",
                                 decay=1e-3, batch=64, epochs=4),
}


def batches(b):
    for s in range(0, N, b):
        yield X[s:s + b], Y[s:s + b]


def torch_run(c):
    model = torch.nn.Linear(NX, NY)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(W0.T))
        model.bias.copy_(torch.tensor(B0))
    opt = torch.optim.SGD(model.parameters(), lr=c["lr"], momentum=c["momentum"], dampening=c["dampening"],
                          nesterov=c["optimizer"] == "nesterov-torch")
    per_iteration = None
    per_epoch = None
    if c["schedule"] == "step":
        per_epoch = torch.optim.lr_scheduler.StepLR(opt, step_size=c["step_every"], gamma=c["gamma"])
    elif c["schedule"] == "exponential":
        per_epoch = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=c["gamma"])
    elif c["schedule"] == "inverse-time":
        per_iteration = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1.0 / (1.0 + c["decay"] * t))
    loss_fn = torch.nn.MSELoss()
    for _ in range(c["epochs"]):
        for xb, yb in batches(c["batch"]):
            opt.zero_grad()
            loss = loss_fn(model(torch.tensor(xb)), torch.tensor(yb))
            loss.backward()
            opt.step()
            if per_iteration is not None:
                per_iteration.step()
        if per_epoch is not None:
            per_epoch.step()
    return model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()


def keras_run(c):
    W, B = W0.copy(), B0.copy()
    vW, vB = np.zeros_like(W), np.zeros_like(B)
    it = 0
    for _ in range(c["epochs"]):
        for xb, yb in batches(c["batch"]):
            r = xb @ W + B - yb
            gW = (2.0 / r.size) * xb.T @ r
            gB = (2.0 / r.size) * r.sum(axis=0)
            lr_t = c["lr"] / (1.0 + c["decay"] * it)
            vW = c["momentum"] * vW - lr_t * gW
            vB = c["momentum"] * vB - lr_t * gB
            if c["optimizer"] == "nesterov-keras":
                W = W + c["momentum"] * vW - lr_t * gW
                B = B + c["momentum"] * vB - lr_t * gB
            else:
                W = W + vW
                B = B + vB
            it += 1
    return W, B


for name, c in CASES.items():
    W, B = keras_run(c) if name.startswith("keras") else torch_run(c)
    np.savez(f"{name}.npz", W=W, B=B)
with open("cases.json", "w") as f:
    json.dump(CASES, f, indent=1, sort_keys=True)
print("torch", torch.__version__, "wrote", len(CASES), "cases")
