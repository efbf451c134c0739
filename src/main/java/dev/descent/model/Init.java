package dev.descent.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** How the initial W, B are drawn. */
public enum Init {
    /** W = 0, B = 0 (scikit-learn's SGDRegressor). */
    ZEROS,
    /** U[0, 1) for every entry (numpy's {@code np.random.random}, as in the numpy SGD loop). */
    UNIFORM,
    /** N(0, 1) for every entry ({@code torch.randn}). */
    NORMAL;

    /** The initial model; W drawn before B from ND4J's RNG seeded with {@code seed}. */
    public LinearModel create(long nx, long ny, DataType dtype, long seed) {
        if (this == ZEROS) {
            return LinearModel.zeros(nx, ny, dtype);
        }
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            INDArray w = Nd4j.createUninitialized(dtype, nx, ny);
            INDArray b = Nd4j.createUninitialized(dtype, ny);
            if (this == UNIFORM) {
                Nd4j.rand(w, rng);
                Nd4j.rand(b, rng);
            } else {
                Nd4j.randn(w, rng);
                Nd4j.randn(b, rng);
            }
            return new LinearModel(w, b);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the RNG failed", e);
        }
    }
}
