/**
 * Datasets (X, Y held as INDArrays), the seeded synthetic generator, train/test splits, and the order
 * in which rows are visited (the per-epoch shuffle).
 */
package dev.descent.data;
