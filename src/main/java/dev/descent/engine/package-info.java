/**
 * The training engine: the hand-written gradient kernel (one interface; a CPU implementation that calls
 * OpenBLAS on the arrays' memory and a portable ND4J one), and the one training loop ({@code EpochLoop})
 * that every front end runs: epochs over a batch source ({@code MemoryBatches}, {@code StreamBatches})
 * driving a parameter block ({@code ModelBlock}, or a sweep's grid), with its stop rules (divergence,
 * tolerance per epoch or per step, a stop requested by a signal), checkpoints that resume bit for bit, and
 * listeners for per-epoch statistics. {@code Trainer} and {@code StreamTrainer} are its front ends. Never
 * imports reference, report or cli.
 */
package dev.descent.engine;
