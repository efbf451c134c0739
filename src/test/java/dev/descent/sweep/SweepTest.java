package dev.descent.sweep;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.Trainer;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

class SweepTest extends SeededTest {
    private static final Dataset DATA = new SyntheticData(300, 4, 2, 0.2, DataType.DOUBLE, 11).generate().data();
    private static final Trainer.Config CFG = Trainer.Config.defaults().withBatchSize(16).withEpochs(3).withSeed(5);

    /** Every optimizer descent has, and the aliases: a new one is swept without editing this test. */
    static java.util.stream.Stream<String> optimizers() {
        return java.util.stream.Stream.concat(Optimizers.NAMES.stream(), java.util.stream.Stream.of("gd", "nesterovs"));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void everyModelEqualsItsSeparateRun(String optimizer) {
        double[] lrs = {0.01, 0.03, 0.08};
        double[] mus = {0.0, 0.5, 0.9};
        LinearModel init = Init.NORMAL.create(4, 2, DataType.DOUBLE, 3);
        Schedule shape = new Schedule.InverseTime(1.0, 0.01);
        Sweep.Result r = new Sweep(optimizer, shape, 0.1, CFG).run(DATA, init, lrs, mus);
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < mus.length; j++) {
                var alone = new Trainer(Optimizers.create(optimizer, new Schedule.InverseTime(lrs[i], 0.01), mus[j], 0.1), CFG)
                        .train(DATA, null, init).model();
                double d = alone.stacked().sub(r.model(i, j).stacked()).amaxNumber().doubleValue();
                assertTrue(d <= ROUNDING_F64, optimizer + " lr=" + lrs[i] + " μ=" + mus[j] + ": max |Δθ| = " + d);
                assertEquals(alone.mse(DATA.x(), DATA.y()), r.loss()[i][j], ROUNDING_F64);
            }
        }
    }

    @Test
    void divergedModelsAreMarkedFrozenAndDoNotTouchOthers() {
        double[] lrs = {0.05, 50.0};
        double[] mus = {0.0, 0.9};
        LinearModel init = LinearModel.zeros(4, 2, DataType.DOUBLE);
        Sweep.Result r = new Sweep("momentum-keras", new Schedule.Constant(1), 0, CFG).run(DATA, init, lrs, mus);
        assertEquals(1, r.divergedAt()[1][0]); // lr 50 blows up in the first epoch
        assertEquals(1, r.divergedAt()[1][1]);
        assertTrue(Double.isNaN(r.loss()[1][0]) && Double.isNaN(r.loss()[1][1]));
        assertEquals(0.0, r.model(1, 1).stacked().amaxNumber().doubleValue(), 0.0); // frozen at zero, finite
        var alone = new Trainer(Optimizers.create("momentum-keras", new Schedule.Constant(0.05), 0.9, 0), CFG)
                .train(DATA, null, init).model();
        assertEquals(0.0, alone.stacked().sub(r.model(0, 1).stacked()).amaxNumber().doubleValue(), ROUNDING_F64);
        assertEquals(0, r.best()[0]); // the optimum is among the models that did not diverge
        assertEquals(50.0, r.divergenceBoundary(0), 0.0);
    }

    /**
     * A grid across the stability limit: every model is marked diverged in the very epoch where its
     * separate run stops as diverged, and not at all when that run does not; the rest equal their runs.
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void eachModelDivergesWhereItsSeparateRunDoes(String optimizer) {
        double critical = dev.descent.analysis.StepSizes.of(DATA).stabilityBound();
        double[] lrs = {0.2 * critical, 0.9 * critical, 1.1 * critical, 1.25 * critical, 1.5 * critical, 2 * critical, 4 * critical};
        double[] mus = {0.0, 0.6};
        Trainer.Config cfg = CFG.withEpochs(8);
        LinearModel init = Init.NORMAL.create(4, 2, DataType.DOUBLE, 3);
        Sweep.Result r = new Sweep(optimizer, new Schedule.Constant(1), 0, cfg).run(DATA, init, lrs, mus);
        int diverged = 0;
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < mus.length; j++) {
                var alone = new Trainer(Optimizers.create(optimizer, new Schedule.Constant(lrs[i]), mus[j], 0), cfg)
                        .train(DATA, null, init);
                int expected = alone.stop() == dev.descent.engine.StopReason.DIVERGED ? alone.modelEpochs() + 1 : 0;
                assertEquals(expected, r.divergedAt()[i][j], optimizer + " lr=" + lrs[i] + " μ=" + mus[j]);
                if (expected == 0) {
                    double d = alone.model().stacked().sub(r.model(i, j).stacked()).amaxNumber().doubleValue();
                    assertTrue(d <= ROUNDING_F64 * Math.max(1, alone.model().stacked().amaxNumber().doubleValue()),
                            optimizer + " lr=" + lrs[i] + ": max |Δθ| = " + d);
                } else {
                    diverged++;
                }
            }
        }
        assertTrue(diverged >= 2 && diverged < lrs.length * mus.length, "the grid spans the limit: " + diverged + " diverged");
    }

    /**
     * A sweep over .npy files streamed in chunks: in file order it is the in-memory sweep bit for bit
     * (models, losses, divergence); shuffled, each model equals its own streamed run.
     */
    @Test
    void aStreamedSweepIsTheInMemorySweepInFileOrderAndEachStreamedRunShuffled(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        dev.descent.data.Npy.write(tmp.resolve("x.npy"), DATA.x());
        dev.descent.data.Npy.write(tmp.resolve("y.npy"), DATA.y());
        double[] lrs = {0.01, 0.05, 50};
        double[] mus = {0.0, 0.8};
        LinearModel init = Init.NORMAL.create(4, 2, DataType.DOUBLE, 3);
        Trainer.Config inOrder = CFG.withShuffle(false);
        Sweep.Result mem = new Sweep("nesterov-torch", new Schedule.Constant(1), 0, inOrder).run(DATA, init, lrs, mus);
        try (var src = new dev.descent.data.NpyRowSource(tmp.resolve("x.npy"), tmp.resolve("y.npy"));
                var chunks = new dev.descent.engine.StreamBatches(src, 64, 16, false, false, inOrder.seed())) {
            Sweep.Result streamed = new Sweep("nesterov-torch", new Schedule.Constant(1), 0, inOrder).run(chunks, init, lrs, mus);
            assertEquals(mem.theta(), streamed.theta());
            for (int i = 0; i < lrs.length; i++) {
                assertArrayEquals(mem.loss()[i], streamed.loss()[i], 0.0);
                assertArrayEquals(mem.divergedAt()[i], streamed.divergedAt()[i]);
            }
            assertEquals(2, java.util.Arrays.stream(streamed.divergedAt()[2]).filter(e -> e > 0).count()); // lr 50
        }
        try (var src = new dev.descent.data.NpyRowSource(tmp.resolve("x.npy"), tmp.resolve("y.npy"));
                var chunks = new dev.descent.engine.StreamBatches(src, 64, 16, true, false, CFG.seed())) {
            Sweep.Result streamed = new Sweep("nesterov-torch", new Schedule.Constant(1), 0, CFG).run(chunks, init, lrs, mus);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < mus.length; j++) {
                    var alone = new dev.descent.engine.StreamTrainer(Optimizers.create("nesterov-torch", new Schedule.Constant(lrs[i]),
                            mus[j], 0), CFG, 64).train(src, init).model();
                    double d = alone.stacked().sub(streamed.model(i, j).stacked()).amaxNumber().doubleValue();
                    assertTrue(d <= ROUNDING_F64, "lr=" + lrs[i] + " μ=" + mus[j] + ": max |Δθ| = " + d);
                }
            }
        }
    }

    @Test
    void analyticCriticalRateAgreesWithTheEmpiricalBoundaryForFullBatchGd() {
        Dataset d = new SyntheticData(200, 3, 1, 0.1, DataType.DOUBLE, 21).generate().data();
        double critical = dev.descent.analysis.StepSizes.of(d).stabilityBound();
        double[] factors = {0.8, 0.9, 0.97, 0.995, 1.005, 1.03, 1.1, 1.25};
        double[] lrs = new double[factors.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = critical * factors[i];
        }
        Trainer.Config full = Trainer.Config.defaults().withBatchSize(0).withEpochs(3000).withShuffle(false);
        Sweep.Result r = new Sweep("sgd", new Schedule.Constant(1), 0, full).run(d, LinearModel.zeros(3, 1, DataType.DOUBLE),
                lrs, new double[] {0});
        for (int i = 0; i < lrs.length; i++) {
            assertEquals(factors[i] > 1, r.divergedAt()[i][0] > 0, "lr = " + factors[i] + " × critical");
        }
        assertEquals(critical * 1.005, r.divergenceBoundary(0), 1e-12);
    }

    @Test
    void axesParse() {
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, Axis.parse("0.1:0.3:3", "--lr").values(), 1e-15);
        assertArrayEquals(new double[] {0.01, 0.1, 1}, Axis.parse("log:0.01:1:3", "--lr").values(), 1e-15);
        assertArrayEquals(new double[] {0.5}, Axis.parse("0.5", "--lr").values(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> Axis.parse("0.1:8", "--lr"));
        assertTrue(e.getMessage().startsWith("--lr '0.1:8': expected FROM:TO:COUNT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Axis.parse("log:0:1:3", "--lr"));
    }
}
