/**
 * Optimizers, one per class behind {@link dev.descent.optim.Optimizer}, and learning-rate schedules.
 * Every parametrization users meet is here (plain GD/SGD, EMA momentum, heavy-ball and Nesterov in
 * both the PyTorch and the Keras/DL4J forms), each updating a parameter buffer in place with
 * level-1 BLAS so the same code runs on the CPU and CUDA backends.
 */
package dev.descent.optim;
