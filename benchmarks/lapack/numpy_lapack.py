#!/usr/bin/env python3
"""numpy's side of benchmarks/lapack/run.sh: the same computations as `descent analyze` and
`descent train --solver exact` on data of the same shape (N x nX float32, nY 1), timed the same way.

  analyze: the float64 Gram matrix [X 1]^T [X 1] (numpy matmul, which calls BLAS syrk for A^T A), then
           numpy.linalg.eigvalsh of the Hessian (2/N)·A
  exact:   numpy.linalg.lstsq([X 1], Y, rcond=None) (LAPACK dgelsd), the float64 casts included

Usage: numpy_lapack.py ROWS NX
"""
import sys
import time

import numpy as np

n, nx = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(42)
X = rng.standard_normal((n, nx), dtype=np.float32)
Y = (X @ rng.standard_normal((nx, 1), dtype=np.float32) + 0.1 * rng.standard_normal((n, 1), dtype=np.float32))

t0 = time.perf_counter()
X1 = np.hstack([X.astype(np.float64), np.ones((n, 1))])
A = X1.T @ X1
t1 = time.perf_counter()
ev = np.linalg.eigvalsh((2.0 / n) * A)
t2 = time.perf_counter()
print(f"numpy analyze nX={nx}: {t2 - t0:.2f} s (Gram {t1 - t0:.2f} s, eigvalsh {t2 - t1:.2f} s), lambda_max {ev[-1]:.6g}")
t0 = time.perf_counter()
X1 = np.hstack([X.astype(np.float64), np.ones((n, 1))])
theta, _, rank, _ = np.linalg.lstsq(X1, Y.astype(np.float64), rcond=None)
t1 = time.perf_counter()
print(f"numpy lstsq nX={nx}: {t1 - t0:.2f} s, rank {rank}")
