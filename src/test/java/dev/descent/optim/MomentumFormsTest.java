package dev.descent.optim;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The mappings between parametrizations documented in the README, checked on random gradient streams. */
class MomentumFormsTest extends SeededTest {
    private static final int STEPS = 200;

    /** Runs an optimizer over a fixed seeded stream of gradients; returns θ after every step. */
    private static double[][] trajectory(Optimizer o) {
        SplittableRandom rng = new SplittableRandom(SEED);
        INDArray theta = Nd4j.createFromArray(0.3, -0.7, 1.1);
        o.init(3, DataType.DOUBLE);
        double[][] out = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            INDArray g = Nd4j.createFromArray(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian());
            o.step(theta, g, t, t / 20);
            out[t] = theta.toDoubleVector();
        }
        return out;
    }

    private static double maxDiff(double[][] a, double[][] b) {
        double d = 0;
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[t].length; i++) {
                d = Math.max(d, Math.abs(a[t][i] - b[t][i]));
            }
        }
        return d;
    }

    @Test
    void emaConstantGradientGivesOneMinusBetaToTheT() {
        double beta = 0.9;
        EmaMomentum ema = new EmaMomentum(new Schedule.Constant(1e-3), beta);
        ema.init(2, DataType.DOUBLE);
        INDArray g = Nd4j.createFromArray(2.0, -3.0);
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, 2);
        for (int t = 1; t <= 60; t++) {
            ema.step(theta, g, t - 1, 0);
            double f = 1 - Math.pow(beta, t);
            assertArrayEquals(new double[] {2 * f, -3 * f}, ema.state()[0].toDoubleVector(), ROUNDING_F64, "⟨g⟩ at t=" + t);
        }
    }

    @Test
    void heavyBallTorchAndKerasAgreeAtConstantRate() {
        double[][] torch = trajectory(new HeavyBallTorch(new Schedule.Constant(0.05), 0.9, 0));
        double[][] keras = trajectory(new HeavyBallKeras(new Schedule.Constant(0.05), 0.9));
        assertEquals(0.0, maxDiff(torch, keras), ROUNDING_F64);
    }

    @Test
    void heavyBallTorchAndKerasDifferUnderASchedule() {
        Schedule decay = new Schedule.InverseTime(0.05, 0.1);
        double[][] torch = trajectory(new HeavyBallTorch(decay, 0.9, 0));
        double[][] keras = trajectory(new HeavyBallKeras(decay, 0.9));
        // Step 1 agrees (v₁ = −lr₀·g₁ = −lr₀·b₁); from step 2 Keras keeps lr₀ inside v, PyTorch rescales b by lr₁.
        assertArrayEquals(torch[0], keras[0], ROUNDING_F64);
        assertTrue(maxDiff(torch, keras) > 1e-3, "forms should differ under decay, max |Δθ| = " + maxDiff(torch, keras));
    }

    @Test
    void nesterovTorchAndKerasAgreeAtConstantRate() {
        double[][] torch = trajectory(new NesterovTorch(new Schedule.Constant(0.05), 0.9, 0));
        double[][] keras = trajectory(new NesterovKeras(new Schedule.Constant(0.05), 0.9));
        assertEquals(0.0, maxDiff(torch, keras), ROUNDING_F64);
    }

    @Test
    void emaIsKerasWithLrTimesOneMinusBeta() {
        double lambda = 0.2;
        double beta = 0.8;
        double[][] ema = trajectory(new EmaMomentum(new Schedule.Constant(lambda), beta));
        double[][] keras = trajectory(new HeavyBallKeras(new Schedule.Constant(lambda * (1 - beta)), beta));
        assertEquals(0.0, maxDiff(ema, keras), ROUNDING_F64);
    }

    @Test
    void emaIsTorchWithDampeningBetaExceptTheFirstStep() {
        double lambda = 0.2;
        double beta = 0.8;
        double[][] ema = trajectory(new EmaMomentum(new Schedule.Constant(lambda), beta));
        double[][] torch = trajectory(new HeavyBallTorch(new Schedule.Constant(lambda), beta, beta));
        // PyTorch's first step takes the whole gradient (b₁ = g), EMA takes (1−β)·g: they differ at once.
        assertTrue(maxDiff(new double[][] {ema[0]}, new double[][] {torch[0]}) > 1e-3);
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(0.1 / (1 + 0.5 * 7), new Schedule.InverseTime(0.1, 0.5).rate(7, 0), 0.0);
        assertEquals(0.1 * 0.5 * 0.5, new Schedule.Step(0.1, 0.5, 3).rate(0, 7), ROUNDING_F64);
        assertEquals(0.1 * Math.pow(0.9, 4), new Schedule.Exponential(0.1, 0.9).rate(0, 4), ROUNDING_F64);
        assertEquals(0.1, new Schedule.Constant(0.1).rate(1000, 50), 0.0);
    }
}
