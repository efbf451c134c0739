package dev.descent.engine;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient descent on quadratics, where everything is known in closed form: on L = ½Σ Γᵢwᵢ² the
 * iterates are w(t) = (1−λΓ)^t·w(0), stable exactly for λ &lt; 2/max Γ.
 */
class QuadraticTest extends SeededTest {
    private static final double[] GAMMA = {5, 1};

    /** Runs GD on L = ½Σ Γᵢwᵢ² (g = Γ⊙w) through the Sgd optimizer; returns w after each step. */
    private static double[][] descend(double lr, int steps) {
        Sgd gd = new Sgd(lr);
        gd.init(2, DataType.DOUBLE);
        INDArray w = Nd4j.createFromArray(1.0, 1.0);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 2);
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            g.putScalar(0, GAMMA[0] * w.getDouble(0));
            g.putScalar(1, GAMMA[1] * w.getDouble(1));
            gd.step(w, g, t, 0);
            out[t] = w.toDoubleVector();
        }
        return out;
    }

    @Test
    void iteratesFollowTheClosedForm() {
        double lr = 0.1;
        double[][] w = descend(lr, 50);
        for (int t = 0; t < w.length; t++) {
            for (int i = 0; i < 2; i++) {
                double exact = Math.pow(1 - lr * GAMMA[i], t + 1);
                assertEquals(exact, w[t][i], ROUNDING_F64 * Math.max(1, Math.abs(exact)), "w" + i + "(" + (t + 1) + ")");
            }
        }
    }

    @Test
    void convergesJustBelowTwoOverMaxGammaAndDivergesJustAbove() {
        double critical = 2 / GAMMA[0];
        double[][] below = descend(critical * 0.99, 3000);
        double[][] above = descend(critical * 1.01, 3000);
        assertTrue(Math.abs(below[2999][0]) < 1e-6, "below 2/Γmax: w0 = " + below[2999][0]);
        assertTrue(Math.abs(above[2999][0]) > 1e6, "above 2/Γmax: w0 = " + above[2999][0]);
        assertEquals(critical, new Sgd(0.1).criticalRate(GAMMA[0]), 0.0);
    }

    /**
     * Four rows whose MSE Hessian is diag(5, 1, 2): columns a·(1,1,−1,−1), c·(1,−1,1,−1) and the bias's
     * ones are orthogonal, and (2/N)·‖column‖² = 2a² = 5, 2c² = 1, 2 for the ones.
     */
    static Dataset orthogonalData() {
        double a = Math.sqrt(2.5);
        double c = Math.sqrt(0.5);
        INDArray x = Nd4j.createFromArray(new double[][] {{a, c}, {a, -c}, {-a, c}, {-a, -c}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1}, {2}, {3}, {5}});
        return new Dataset(x, y);
    }

    @Test
    void hessianOfHandBuiltDataHasEigenvaluesFiveTwoOne() {
        NormalEquations ne = NormalEquations.of(orthogonalData().x(), orthogonalData().y());
        double[] ev = ne.hessianEigenvalues();
        assertEquals(1.0, ev[0], ROUNDING_F64);
        assertEquals(2.0, ev[1], ROUNDING_F64);
        assertEquals(5.0, ev[2], ROUNDING_F64);
        assertEquals(5.0, ne.largestHessianEigenvalue(), ROUNDING_F64);
    }

    @Test
    void fullBatchTrainingConvergesBelowCriticalRateAndStopsAboveIt() {
        Dataset d = orthogonalData();
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(4000).withShuffle(false);
        LinearModel zero = LinearModel.zeros(2, 1, DataType.DOUBLE);
        LinearModel exact = LinearModel.fromStacked(NormalEquations.of(d.x(), d.y()).solve());

        TrainingResult ok = new Trainer(new Sgd(0.398), cfg).train(d, null, zero);
        assertEquals(StopReason.EPOCHS, ok.stop());
        // The slowest mode contracts by |1 − 0.398·5| = 0.99 a step: 0.99^4000 ≈ 1e-17.
        assertEquals(0.0, ok.model().stacked().sub(exact.stacked()).amaxNumber().doubleValue(), 1e-9);

        TrainingResult bad = new Trainer(new Sgd(0.401), cfg).train(d, null, zero);
        assertEquals(StopReason.DIVERGED, bad.stop());
        assertTrue(bad.message().contains("learning rate 0.401") && bad.message().contains("stability limit for full-batch training on this data is 0.4"),
                bad.message());
    }
}
