/**
 * Side-by-side runs of the engine and the DL4J reference from the same start on the same batches:
 * per-epoch losses, parameter differences and speed, with a verdict on parity.
 */
package dev.descent.compare;
