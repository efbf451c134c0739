/**
 * Optimizers and learning-rate schedules. Every parametrization users meet is here (plain GD/SGD, EMA
 * momentum, heavy-ball and Nesterov in both the PyTorch and the Keras/DL4J forms). Each rule is written
 * once, in its class's {@code update}, against {@link dev.descent.optim.Arithmetic} (axpy, scal, copy with
 * per-column coefficients): one model runs it as level-1 BLAS on whole buffers, a sweep of K models runs
 * the same code column by column ({@link dev.descent.optim.ColumnUpdate}). {@link dev.descent.optim.Optimizers}
 * is the one table of names and aliases.
 */
package dev.descent.optim;
