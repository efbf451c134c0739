/**
 * Hyperparameter sweeps: many (learning rate, momentum) configurations trained together in one pass over
 * the data on the engine's one loop — θ held as (nX+1)×(K·nY), one tiled kernel call per batch for all K
 * models, the optimizer's own rule run column by column with each model's rate and momentum
 * ({@code optim.ColumnUpdate}) — with diverged models marked and frozen, and the optimum of the grid.
 */
package dev.descent.sweep;
