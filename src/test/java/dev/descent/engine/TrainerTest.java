package dev.descent.engine;

import static dev.descent.Tolerances.SGD_TO_LSQ_F32;
import static dev.descent.Tolerances.SGD_TO_LSQ_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.NesterovKeras;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TrainerTest extends SeededTest {

    private static Dataset problem(DataType t) {
        return new SyntheticData(3000, 5, 2, 0.1, t, 99).generate().data();
    }

    private static double distanceToLeastSquares(Dataset d, LinearModel m) {
        LinearModel exact = LinearModel.fromStacked(NormalEquations.of(d.x(), d.y()).solve());
        return m.stacked().castTo(DataType.DOUBLE).sub(exact.stacked()).amaxNumber().doubleValue();
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void sgdConvergesToLeastSquares(DataType t) {
        Dataset d = problem(t);
        // Inverse-time decay anneals the SGD noise so the iterates settle on the minimiser.
        Trainer trainer = new Trainer(new Sgd(new Schedule.InverseTime(0.05, 0.002)),
                Trainer.Config.defaults().withBatchSize(16).withEpochs(40));
        TrainingResult r = trainer.train(d, null, LinearModel.zeros(5, 2, t));
        double dist = distanceToLeastSquares(d, r.model());
        assertTrue(dist < (t == DataType.FLOAT ? SGD_TO_LSQ_F32 : SGD_TO_LSQ_F64), "max |θ − θ*| = " + dist);
    }

    @Test
    void sameSeedSameBitsAndOtherSeedOtherBits() {
        Dataset d = problem(DataType.FLOAT);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(32).withEpochs(3);
        LinearModel init = LinearModel.zeros(5, 2, DataType.FLOAT);
        Trainer a = new Trainer(new NesterovKeras(new Schedule.Constant(0.01), 0.9), cfg);
        var r1 = a.train(d, null, init).model().stacked();
        var r2 = a.train(d, null, init).model().stacked();
        var r3 = new Trainer(a.optimizer(), cfg.withSeed(7)).train(d, null, init).model().stacked();
        assertEquals(r1, r2); // reusable trainer, identical bits
        assertNotEquals(r1, r3);
    }

    @Test
    void toleranceStopsEarly() {
        Dataset d = problem(DataType.DOUBLE);
        TrainingResult r = new Trainer(new Sgd(0.05), Trainer.Config.defaults().withBatchSize(0).withEpochs(10_000)
                .withShuffle(false).withTolerance(1e-10)).train(d, null, LinearModel.zeros(5, 2, DataType.DOUBLE));
        assertEquals(StopReason.CONVERGED, r.stop());
        assertTrue(r.history().size() < 10_000);
        int n = r.history().size();
        assertTrue(Math.abs(r.history().get(n - 1).trainLoss() - r.history().get(n - 2).trainLoss()) < 1e-10);
    }

    @Test
    void dropLastVisitsOnlyWholeBatches() {
        Dataset d = problem(DataType.DOUBLE).rows(0, 100);
        TrainingResult keep = new Trainer(new Sgd(0.01), Trainer.Config.defaults().withBatchSize(30).withEpochs(1))
                .train(d, null, LinearModel.zeros(5, 2, DataType.DOUBLE));
        TrainingResult drop = new Trainer(new Sgd(0.01), Trainer.Config.defaults().withBatchSize(30).withEpochs(1).withDropLast(true))
                .train(d, null, LinearModel.zeros(5, 2, DataType.DOUBLE));
        assertEquals(4, keep.steps());
        assertEquals(100, keep.last().rows());
        assertEquals(3, drop.steps());
        assertEquals(90, drop.last().rows());
    }

    @Test
    void badShapesAndBatchSizesAreRefused() {
        Dataset d = problem(DataType.DOUBLE);
        Trainer t = new Trainer(new Sgd(0.01), Trainer.Config.defaults().withBatchSize(5000));
        assertThrows(IllegalArgumentException.class, () -> t.train(d, null, LinearModel.zeros(5, 2, DataType.DOUBLE)));
        Trainer ok = new Trainer(new Sgd(0.01), Trainer.Config.defaults());
        assertThrows(IllegalArgumentException.class, () -> ok.train(d, null, LinearModel.zeros(4, 2, DataType.DOUBLE)));
        assertThrows(IllegalArgumentException.class, () -> Trainer.Config.defaults().withEpochs(0));
    }

    @Test
    void testLossIsReportedPerEpoch() {
        Dataset.Split s = problem(DataType.DOUBLE).splitTail(0.25);
        TrainingResult r = new Trainer(new Sgd(0.05), Trainer.Config.defaults().withEpochs(3))
                .train(s.train(), s.test(), LinearModel.zeros(5, 2, DataType.DOUBLE));
        assertEquals(3, r.history().size());
        double last = r.last().testLoss();
        assertEquals(r.model().mse(s.test().x(), s.test().y()), last, 1e-12);
    }

    /** Resume compares recorded maps by their entries, whatever order a JVM printed them in (issue 19.1). */
    @Test
    void recordedMapsCompareByTheirEntries() {
        assertEquals(Trainer.canonical("{optimizer=momentum-torch, lr=0.01, dampening=0.0, momentum=0.9}"),
                Trainer.canonical("{optimizer=momentum-torch, lr=0.01, momentum=0.9, dampening=0.0}"));
        org.junit.jupiter.api.Assertions.assertNotEquals(Trainer.canonical("{momentum=0.9, dampening=0.0}"),
                Trainer.canonical("{momentum=0.9, dampening=0.5}"));
        assertEquals("64", Trainer.canonical(64));
    }
}
