/**
 * The training engine: the hand-written gradient kernel (one interface; a CPU implementation that calls
 * OpenBLAS on the arrays' memory and a portable ND4J one), the training loop with its stop rules
 * (divergence, tolerance per epoch or per step, a stop requested by a signal), checkpoints that resume
 * bit for bit, and listeners for per-epoch statistics. Never imports reference, report or cli.
 */
package dev.descent.engine;
