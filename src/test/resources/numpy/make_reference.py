#!/usr/bin/env python3
"""Reference files for descent's tests, written by numpy 1.24 and scikit-learn 1.2.1 (Debian 12:
apt-get install python3-sklearn; run with /usr/bin/python3 make_reference.py in this directory).

make_regression_*.npz : sklearn.datasets.make_regression(...) -> arrays X, y, coef (float64), for the
                        argument sets in CASES; descent's generator must reproduce them. Cases "readme"
                        (the README's example, 20,000 Gaussian draws) and "large" (200,000 draws) are big
                        enough to meet the arguments where Java's log and the C library's differ.
random_state.npz      : numpy.random.RandomState draws (random_sample, standard_normal, normal, uniform,
                        shuffle) from fixed seeds, in a fixed order.
layouts_*.npy         : the same 3x4 matrix 0..11 as float32/float64, C/Fortran order, little/big endian.
"""
import json
import numpy as np
from sklearn.datasets import make_regression

CASES = {
    "a": dict(n_samples=20, n_features=5, n_informative=3, n_targets=1, bias=0.0, noise=0.0, shuffle=True, random_state=0),
    "b": dict(n_samples=17, n_features=4, n_informative=4, n_targets=3, bias=2.5, noise=0.7, shuffle=True, random_state=42),
    "c": dict(n_samples=25, n_features=6, n_informative=2, n_targets=2, bias=-1.0, noise=1.5, shuffle=False, random_state=7),
    "d": dict(n_samples=9, n_features=3, n_informative=3, n_targets=1, bias=0.0, noise=0.3, shuffle=True, random_state=123456789),
    "readme": dict(n_samples=1000, n_features=20, n_informative=5, n_targets=1, bias=0.0, noise=0.5, shuffle=True, random_state=42),
    "large": dict(n_samples=50000, n_features=4, n_informative=3, n_targets=2, bias=1.5, noise=0.5, shuffle=True, random_state=7),
    # make_low_rank_matrix's path: X = U diag(s) V^T (equal within rounding: QR and products by LAPACK/BLAS).
    "lowrank_tall": dict(n_samples=200, n_features=30, n_informative=10, n_targets=2, bias=0.5, noise=0.1, shuffle=True,
                         random_state=3, effective_rank=5, tail_strength=0.3),
    "lowrank_wide": dict(n_samples=20, n_features=50, n_informative=5, n_targets=1, bias=0.0, noise=0.0, shuffle=False,
                         random_state=11, effective_rank=3, tail_strength=0.5),
}

for name, kw in CASES.items():
    X, y, coef = make_regression(coef=True, **kw)
    np.savez(f"make_regression_{name}.npz", X=X, y=y, coef=coef)
with open("make_regression_cases.json", "w") as f:
    json.dump(CASES, f, indent=1, sort_keys=True)

rs = np.random.RandomState(2024)
a = rs.random_sample(7)
b = rs.standard_normal(5)              # odd count: leaves a cached second value
c = rs.normal(3.0, 0.5, size=4)        # consumes the cached value first
d = rs.uniform(-2.0, 5.0, size=3)
idx = np.arange(10); rs.shuffle(idx)
e = rs.standard_normal(3)
np.savez("random_state.npz", random_sample=a, standard_normal=b, normal=c, uniform=d,
         shuffle=idx.astype(np.float64), standard_normal_after=e)

m = np.arange(12, dtype=np.float64).reshape(3, 4)
for dt in ("<f4", ">f4", "<f8", ">f8"):
    for order in ("C", "F"):
        np.save(f"layouts_{dt[1:]}_{'le' if dt[0] == '<' else 'be'}_{order}.npy", np.array(m, dtype=dt, order=order))
np.save("vector_f8.npy", np.array([1.5, -2.0, 3.25]))
np.save("int64.npy", np.arange(4))
