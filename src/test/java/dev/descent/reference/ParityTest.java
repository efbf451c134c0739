package dev.descent.reference;

import static dev.descent.Tolerances.PARITY_F32_RELATIVE;
import static dev.descent.Tolerances.PARITY_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.Trainer;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.NesterovKeras;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The engine against DL4J's single Dense layer, same start, same batches, same order. */
class ParityTest extends SeededTest {

    /** max |Δ| of W and B (in that order) after training both sides. */
    static double[] trainBoth(Optimizer o, DataType t, long n, int nx, int ny, int batch, int epochs) {
        Dataset d = new SyntheticData(n, nx, ny, 0.3, t, 5).generate().data();
        LinearModel init = Init.NORMAL.create(nx, ny, t, 6);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(batch).withEpochs(epochs).withSeed(8);
        LinearModel engine = new Trainer(o, cfg).train(d, null, init).model();
        UpdaterMapping m = UpdaterMapping.of(o);
        LinearModel dl4j = new Dl4jReference(m, dev.descent.compare.Comparison.batching(cfg)).train(d, init, false).model();
        INDArray dw = engine.weights().castTo(DataType.DOUBLE).sub(dl4j.weights().castTo(DataType.DOUBLE));
        INDArray db = engine.bias().castTo(DataType.DOUBLE).sub(dl4j.bias().castTo(DataType.DOUBLE));
        double scale = Math.max(engine.weights().amaxNumber().doubleValue(), engine.bias().amaxNumber().doubleValue());
        return new double[] {dw.amaxNumber().doubleValue(), db.amaxNumber().doubleValue(), scale};
    }

    @ParameterizedTest(name = "Sgd lr={0} batch={1} N={2} nX={3} nY={4}")
    @CsvSource({"0.05, 32, 1000, 5, 1", "0.01, 7, 503, 3, 4", "0.1, 100, 999, 10, 2", "0.2, 1, 64, 2, 1"})
    void sgdFloat64(double lr, int batch, long n, int nx, int ny) {
        double[] d = trainBoth(new Sgd(lr), DataType.DOUBLE, n, nx, ny, batch, 5);
        assertTrue(d[0] <= PARITY_F64 && d[1] <= PARITY_F64, "max|ΔW| = " + d[0] + ", max|ΔB| = " + d[1]);
    }

    @ParameterizedTest(name = "Nesterovs lr={0} μ={1} batch={2}")
    @CsvSource({"0.01, 0.9, 32", "0.05, 0.5, 13", "0.002, 0.99, 64"})
    void nesterovsFloat64(double lr, double mu, int batch) {
        double[] d = trainBoth(new NesterovKeras(new Schedule.Constant(lr), mu), DataType.DOUBLE, 777, 6, 2, batch, 5);
        assertTrue(d[0] <= PARITY_F64 && d[1] <= PARITY_F64, "max|ΔW| = " + d[0] + ", max|ΔB| = " + d[1]);
    }

    @Test
    void scheduleBothSupportFloat64() {
        double[] inv = trainBoth(new NesterovKeras(new Schedule.InverseTime(0.05, 0.01), 0.9), DataType.DOUBLE, 600, 4, 2, 16, 5);
        assertTrue(inv[0] <= PARITY_F64 && inv[1] <= PARITY_F64, "inverse-time: " + inv[0] + ", " + inv[1]);
        double[] step = trainBoth(new Sgd(new Schedule.Step(0.1, 0.5, 2)), DataType.DOUBLE, 600, 4, 2, 16, 5);
        assertTrue(step[0] <= PARITY_F64 && step[1] <= PARITY_F64, "step: " + step[0] + ", " + step[1]);
        double[] exp = trainBoth(new Sgd(new Schedule.Exponential(0.1, 0.7)), DataType.DOUBLE, 600, 4, 2, 16, 5);
        assertTrue(exp[0] <= PARITY_F64 && exp[1] <= PARITY_F64, "exponential: " + exp[0] + ", " + exp[1]);
    }

    @Test
    void float32WithinRelativeTolerance() {
        double[] s = trainBoth(new Sgd(0.05), DataType.FLOAT, 1000, 8, 3, 32, 5);
        assertTrue(Math.max(s[0], s[1]) <= PARITY_F32_RELATIVE * s[2], "Sgd: " + s[0] + ", " + s[1] + " of " + s[2]);
        double[] n = trainBoth(new NesterovKeras(new Schedule.Constant(0.01), 0.9), DataType.FLOAT, 1000, 8, 3, 32, 5);
        assertTrue(Math.max(n[0], n[1]) <= PARITY_F32_RELATIVE * n[2], "Nesterovs: " + n[0] + ", " + n[1] + " of " + n[2]);
    }

    @Test
    void mappingSaysWhenTheMethodIsTheSame() {
        assertTrue(UpdaterMapping.of(new Sgd(0.1)).exact());
        assertTrue(UpdaterMapping.of(new NesterovKeras(new Schedule.Constant(0.1), 0.9)).exact());
        assertEquals(false, UpdaterMapping.of(new dev.descent.optim.EmaMomentum(new Schedule.Constant(0.1), 0.9)).exact());
        assertEquals(false, UpdaterMapping.of(new dev.descent.optim.HeavyBallKeras(new Schedule.Constant(0.1), 0.9)).exact());
    }
}
