/**
 * The multidimensional linear model y = X·W + B: parameters, predictions, the MSE loss, and the
 * closed-form least-squares solution with the curvature (Hessian spectrum) that bounds step sizes.
 */
package dev.descent.model;
