package dev.descent.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear regression problem drawn from ND4J's seeded RNG: X ~ N(0, 1), true W ~ N(0, 1) (nX×nY),
 * true B ~ N(0, 1) (nY), Y = X·W + B + noise·ε with ε ~ N(0, 1). The same seed gives the same bits on
 * the same backend. Draw order: W, B, X, ε.
 */
public final class SyntheticData {
    private final long n;
    private final int nx;
    private final int ny;
    private final double noise;
    private final DataType dtype;
    private final long seed;

    public SyntheticData(long n, int nx, int ny, double noise, DataType dtype, long seed) {
        if (n < 1 || nx < 1 || ny < 1) {
            throw new IllegalArgumentException("sizes must be >= 1, got N=" + n + ", nX=" + nx + ", nY=" + ny);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
        }
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("dtype must be float32 or float64, got " + dtype);
        }
        this.n = n;
        this.nx = nx;
        this.ny = ny;
        this.noise = noise;
        this.dtype = dtype;
        this.seed = seed;
    }

    /** The generated data with the true parameters it came from. */
    public record Generated(Dataset data, INDArray trueW, INDArray trueB) {
    }

    private INDArray gaussian(Random rng, long... shape) {
        return Nd4j.randn(Nd4j.createUninitialized(dtype, shape), rng);
    }

    public Generated generate() {
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            INDArray w = gaussian(rng, nx, ny);
            INDArray b = gaussian(rng, ny);
            INDArray x = gaussian(rng, n, nx);
            INDArray y = x.mmul(w).addiRowVector(b);
            if (noise > 0) {
                y.addi(gaussian(rng, n, ny).muli(noise));
            }
            return new Generated(new Dataset(x, y), w, b);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the RNG failed", e);
        }
    }
}
