#!/usr/bin/env python3
"""Reference eigenvalues and least-squares solutions for descent's LAPACK tests, written by numpy 1.24
(Debian 12: apt-get install python3-numpy; run with /usr/bin/python3 make_reference.py in this directory).

Each <case>.npz holds the float64 arrays
  X, Y       the data (N x nX, N x nY)
  eig        numpy.linalg.eigvalsh of the MSE Hessian H = (2/(N*nY)) [X 1]^T [X 1], ascending
  theta      numpy.linalg.lstsq([X 1], Y, rcond=None)[0]: the minimum-norm least-squares [W; B]
  rank       the effective rank lstsq reports for [X 1] (singular values above max(N, nX+1)*eps*smax)
"""
import numpy as np


def case(name, X, Y):
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    H = (2.0 / (X.shape[0] * Y.shape[1])) * (X1.T @ X1)
    eig = np.linalg.eigvalsh(H)
    theta, _, rank, _ = np.linalg.lstsq(X1, Y, rcond=None)
    np.savez(f"{name}.npz", X=X, Y=Y, eig=eig, theta=theta, rank=np.array([rank], dtype=np.float64))
    print(f"{name}: N={X.shape[0]} nX={X.shape[1]} nY={Y.shape[1]} rank={rank} cond([X 1])={np.linalg.cond(X1):.3g}")


rng = np.random.RandomState(20261201)

# Well conditioned: independent standard-normal features.
X = rng.standard_normal((300, 8))
W = rng.standard_normal((8, 2))
case("well_conditioned", X, X @ W + np.array([0.5, -1.5]) + 0.1 * rng.standard_normal((300, 2)))

# Ill conditioned but of full rank: columns on scales 1 ... 1e-5 and two nearly collinear columns.
X = rng.standard_normal((400, 6)) * np.array([1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5])
X[:, 5] = X[:, 0] + 1e-6 * rng.standard_normal(400)
case("ill_conditioned", X, X @ rng.standard_normal((6, 1)) + 2.0 + 0.01 * rng.standard_normal((400, 1)))

# Rank deficient: a duplicated column and a column that is a combination of two others.
X = rng.standard_normal((200, 5))
X = np.hstack([X, X[:, [1]], X[:, [0]] - 2.0 * X[:, [3]]])
case("rank_deficient", X, X @ rng.standard_normal((7, 3)) - 0.25 + 0.05 * rng.standard_normal((200, 3)))

# A constant feature: collinear with the intercept column.
X = np.hstack([rng.standard_normal((50, 3)), np.full((50, 1), 4.0)])
case("constant_feature", X, X[:, :3] @ np.array([[1.0], [2.0], [3.0]]) + 0.1 * rng.standard_normal((50, 1)))

# More features than rows.
X = rng.standard_normal((6, 10))
case("wide", X, rng.standard_normal((6, 1)))
