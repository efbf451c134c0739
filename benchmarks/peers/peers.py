#!/usr/bin/env python3
"""The peers a user would pick instead of descent, on the shape of `descent bench`'s default cell: 1M rows,
nX 100, nY 1, float32, SGD lr 0.01, rows shuffled every epoch, batch 32 / 256 / 4096. For each peer and
batch: one warm-up epoch, then the median of the timed epochs' samples/s.

  numpy        the seed articles' loop: Xb = X[idx]; r = Xb @ W + B - Yb; g = (2/(b*m)) Xb^T r; W -= lr g
  torch-index  PyTorch autograd + torch.optim.SGD, batches gathered as X[perm[i:i+b]]
  torch-loader PyTorch DataLoader(TensorDataset, shuffle=True, batch_size=b)

Usage: peers.py OUT.csv [EPOCHS]   (Debian: python3-numpy, python3-torch; run by benchmarks/peers/run.sh)
"""
import csv
import statistics
import sys
import time

import numpy as np
import torch

N, NX, NY, LR = 1_000_000, 100, 1, 0.01
EPOCHS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
rng = np.random.default_rng(42)
X = rng.standard_normal((N, NX), dtype=np.float32)
Y = (X @ rng.standard_normal((NX, NY), dtype=np.float32) + rng.standard_normal(NY, dtype=np.float32)
     + 0.1 * rng.standard_normal((N, NY), dtype=np.float32))


def numpy_epoch(b, state):
    W, B = state
    idx = rng.permutation(N)
    for s in range(0, N, b):
        j = idx[s:s + b]
        xb, yb = X[j], Y[j]
        r = xb @ W + B - yb
        scale = np.float32(2.0 / r.size)
        W -= np.float32(LR) * scale * (xb.T @ r)
        B -= np.float32(LR) * scale * r.sum(axis=0)


def torch_state():
    model = torch.nn.Linear(NX, NY)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    return model, torch.optim.SGD(model.parameters(), lr=LR), torch.nn.MSELoss()


XT, YT = torch.from_numpy(X), torch.from_numpy(Y)


def torch_index_epoch(b, state):
    model, opt, loss_fn = state
    perm = torch.randperm(N)
    for s in range(0, N, b):
        j = perm[s:s + b]
        opt.zero_grad()
        loss_fn(model(XT[j]), YT[j]).backward()
        opt.step()


def torch_loader_epoch(b, state):
    model, opt, loss_fn, loader = state
    for xb, yb in loader:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()


def measure(name, epoch, make, b):
    state = make(b)
    rates = []
    for e in range(EPOCHS):
        t0 = time.perf_counter()
        epoch(b, state)
        dt = time.perf_counter() - t0
        if e > 0:
            rates.append(N / dt)
    rate = statistics.median(rates)
    print(f"{name:13s} batch {b:5d}: {rate:12,.0f} samples/s", flush=True)
    return {"peer": name, "batch": b, "samples_per_s": round(rate), "threads": torch.get_num_threads()}


rows = []
for b in (32, 256, 4096):
    rows.append(measure("numpy", numpy_epoch, lambda b: (np.zeros((NX, NY), np.float32), np.zeros(NY, np.float32)), b))
    rows.append(measure("torch-index", torch_index_epoch, lambda b: torch_state(), b))
    if b >= 256:  # at batch 32 a DataLoader epoch takes minutes here
        rows.append(measure("torch-loader", torch_loader_epoch,
                            lambda b: (*torch_state(), torch.utils.data.DataLoader(
                                torch.utils.data.TensorDataset(XT, YT), batch_size=b, shuffle=True)), b))
with open(sys.argv[1], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
