package dev.descent.cli;

import dev.descent.engine.KernelKind;
import dev.descent.engine.Trainer;
import dev.descent.model.Init;
import picocli.CommandLine.Option;

/** Options of the training loop shared by train and compare: batching, epochs, stop rules, init, kernel. */
final class TrainingOptions {
    @Option(names = {"-b", "--batch-size"}, description = "Rows per batch; 0 = the whole training set (full-batch GD) (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(names = {"-e", "--epochs"}, description = "Most epochs to run (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--tol", description = "Stop when |Δ epoch loss| < tol; 0 = off (default: ${DEFAULT-VALUE}).")
    double tolerance = 0;

    @Option(names = "--no-shuffle", description = "Visit rows in order instead of reshuffling every epoch.")
    boolean noShuffle;

    @Option(names = "--drop-last", description = "Drop the last partial batch of each epoch (as the numpy loop does).")
    boolean dropLast;

    @Option(names = "--init", paramLabel = "zeros|uniform|normal", description = "Initial W, B (default: zeros).")
    String init = "zeros";

    @Option(names = "--kernel", paramLabel = "auto|blas|nd4j", description = "Gradient kernel: blas (CPU, OpenBLAS direct), nd4j (any backend) (default: ${DEFAULT-VALUE}).")
    String kernel = "auto";

    @Option(names = "--divergence-factor", description = "Diverged when the epoch loss exceeds this × the first batch loss (default: ${DEFAULT-VALUE}).")
    double divergenceFactor = 1e6;

    /** The trainer configuration; the shuffle is seeded with {@code dataSeed + 2}. */
    Trainer.Config config(long dataSeed, long trainRows) {
        if (batchSize > trainRows) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " exceeds the " + trainRows + " training rows");
        }
        return new Trainer.Config(batchSize, epochs, !noShuffle, dropLast, tolerance, divergenceFactor, dataSeed + 2,
                kernel(), true);
    }

    Init init() {
        return switch (init) {
            case "zeros" -> Init.ZEROS;
            case "uniform" -> Init.UNIFORM;
            case "normal" -> Init.NORMAL;
            default -> throw new IllegalArgumentException("--init must be zeros, uniform or normal, got '" + init + "'");
        };
    }

    KernelKind kernel() {
        return switch (kernel) {
            case "auto" -> KernelKind.AUTO;
            case "blas" -> KernelKind.BLAS;
            case "nd4j" -> KernelKind.ND4J;
            default -> throw new IllegalArgumentException("--kernel must be auto, blas or nd4j, got '" + kernel + "'");
        };
    }
}
