/**
 * Measurement beside others: the engine against the DL4J reference from the same start on the same
 * batches (per-epoch losses, parameter differences, speed, a parity verdict), the bench grid with this
 * machine's own bounds (read, gather, gemm probes), and the settling between timed runs.
 */
package dev.descent.compare;
