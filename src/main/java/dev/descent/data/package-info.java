/**
 * Data in and out, with no native code of its own (native memory, the C library and LAPACK are host's): datasets (X, Y as INDArrays), CSV and NumPy
 * (.npy/.npz) readers and writers with their checks, the seeded synthetic generator and numpy's legacy
 * RandomState with scikit-learn's make_regression, scaling, splits, the per-epoch row order, atomic
 * file writes and data fingerprints. Native help (the C library's log, memory figures) comes from host.
 */
package dev.descent.data;
