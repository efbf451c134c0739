/**
 * Step-size analysis: the spectrum of the MSE Hessian H = (2/(N·m))·[X 1]ᵀ[X 1] and the learning rates
 * that follow from it (monotone and stability bounds, the best constant step, Polyak's heavy-ball optimum).
 */
package dev.descent.analysis;
