package dev.descent.cli;

import dev.descent.data.SyntheticData;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/** Options that choose the data: synthetic sizes, noise, dtype, test fraction and the seed. */
final class DataOptions {
    @Option(names = {"-n", "--rows"}, description = "Rows N of synthetic data (default: ${DEFAULT-VALUE}).")
    long rows = 10_000;

    @Option(names = "--nx", description = "Input features nX (default: ${DEFAULT-VALUE}).")
    int nx = 10;

    @Option(names = "--ny", description = "Outputs nY (default: ${DEFAULT-VALUE}).")
    int ny = 1;

    @Option(names = "--noise", description = "Standard deviation of the Gaussian noise on Y (default: ${DEFAULT-VALUE}).")
    double noise = 0.1;

    @Option(names = "--dtype", converter = DtypeConverter.class, paramLabel = "float32|float64",
            description = "Floating type of X, Y, W, B (default: float32).")
    DataType dtype = DataType.FLOAT;

    @Option(names = "--test-fraction", description = "Fraction of rows held out for testing, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--seed", description = "Seed for the data (seed), the initial W, B (seed+1) and the shuffle (seed+2) (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    SyntheticData synthetic() {
        if (rows < 2) {
            throw new IllegalArgumentException("--rows must be >= 2, got " + rows);
        }
        if (nx < 1) {
            throw new IllegalArgumentException("--nx must be >= 1, got " + nx);
        }
        if (ny < 1) {
            throw new IllegalArgumentException("--ny must be >= 1, got " + ny);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + noise);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        return new SyntheticData(rows, nx, ny, noise, dtype, seed);
    }
}
