/**
 * Hyperparameter sweeps: many (learning rate, momentum) configurations trained together in one pass over
 * the data — W held as nX×(K·nY), one gemm per batch for all K models, per-model rates and momenta as
 * vectors — with diverged models marked and frozen, and the optimum of the grid.
 */
package dev.descent.sweep;
