package dev.descent.optim;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.SeededTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract every {@link Optimizer} meets. Each implementation's test gives the optimizer (lr 0.1,
 * momentum 0.5, dampening 0.25 where it has them) and θ₁..θ₃ worked out by hand from θ₀ = (1, −2) and
 * the gradients g₁ = (0.5, 1), g₂ = (−1, 2), g₃ = (0.25, −0.5).
 */
abstract class OptimizerContract extends SeededTest {
    static final double LR = 0.1;
    static final double MU = 0.5;
    static final double TAU = 0.25;
    static final double[] THETA0 = {1, -2};
    static final double[][] GRADS = {{0.5, 1}, {-1, 2}, {0.25, -0.5}};

    abstract Optimizer create();

    /** θ₁, θ₂, θ₃ by hand. */
    abstract double[][] expected();

    static double[][] run(Optimizer o) {
        INDArray theta = Nd4j.createFromArray(THETA0.clone());
        o.init(theta.length(), DataType.DOUBLE);
        double[][] out = new double[GRADS.length][];
        for (int t = 0; t < GRADS.length; t++) {
            o.step(theta, Nd4j.createFromArray(GRADS[t].clone()), t, 0);
            out[t] = theta.toDoubleVector();
        }
        return out;
    }

    @Test
    void handCheckedSequence() {
        double[][] got = run(create());
        for (int t = 0; t < got.length; t++) {
            assertArrayEquals(expected()[t], got[t], ROUNDING_F64, "θ after step " + (t + 1));
        }
    }

    @Test
    void copyKeepsEveryHyperparameterAndStartsFresh() {
        Optimizer o = create();
        run(o); // o now has state
        Optimizer c = o.copy();
        assertNotSame(o, c);
        assertEquals(o.hyperparameters(), c.hyperparameters());
        assertEquals(o.name(), c.name());
        double[][] fromCopy = run(c);
        for (int t = 0; t < fromCopy.length; t++) {
            assertArrayEquals(expected()[t], fromCopy[t], ROUNDING_F64);
        }
    }

    @Test
    void resetClearsState() {
        Optimizer o = create();
        INDArray theta = Nd4j.createFromArray(THETA0.clone());
        o.init(2, DataType.DOUBLE);
        o.step(theta, Nd4j.createFromArray(9.0, -9.0), 0, 0);
        o.reset();
        for (INDArray s : o.state()) {
            assertEquals(0.0, s.amaxNumber().doubleValue(), 0.0, "state after reset");
        }
        theta.assign(Nd4j.createFromArray(THETA0.clone()));
        for (int t = 0; t < GRADS.length; t++) {
            o.step(theta, Nd4j.createFromArray(GRADS[t].clone()), t, 0);
        }
        assertArrayEquals(expected()[GRADS.length - 1], theta.toDoubleVector(), ROUNDING_F64);
    }

    @Test
    void stepBeforeInitIsRefused() {
        Optimizer o = create();
        if (o.state().length == 0 && o instanceof Sgd) {
            return; // stateless: nothing to initialise
        }
        assertThrows(IllegalStateException.class,
                () -> o.step(Nd4j.createFromArray(THETA0.clone()), Nd4j.createFromArray(GRADS[0].clone()), 0, 0));
    }

    @Test
    void gradientIsNotModified() {
        Optimizer o = create();
        o.init(2, DataType.DOUBLE);
        INDArray g = Nd4j.createFromArray(GRADS[1].clone());
        o.step(Nd4j.createFromArray(THETA0.clone()), g, 0, 0);
        o.step(Nd4j.createFromArray(THETA0.clone()), g, 1, 0);
        assertArrayEquals(GRADS[1], g.toDoubleVector(), 0.0);
    }
}
