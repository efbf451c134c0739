/**
 * The DeepLearning4j reference: a MultiLayerNetwork with one OutputLayer (identity activation, MSE loss,
 * Sgd or Nesterovs updater) trained from the engine's initial W, B on the engine's batches, in the same
 * order. The only package that imports org.deeplearning4j.
 */
package dev.descent.reference;
