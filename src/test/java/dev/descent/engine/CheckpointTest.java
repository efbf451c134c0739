package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.DataFormatException;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

class CheckpointTest extends SeededTest {
    @TempDir
    Path tmp;

    private static final Dataset.Split DATA = new SyntheticData(500, 4, 2, 0.2, DataType.FLOAT, 3).generate().data().splitTail(0.2);
    private static final LinearModel INIT = Init.NORMAL.create(4, 2, DataType.FLOAT, 4);

    private static Trainer trainer(String opt, int epochs) {
        return new Trainer(Optimizers.create(opt, new Schedule.InverseTime(0.02, 0.001), 0.7, 0.1),
                Trainer.Config.defaults().withBatchSize(16).withEpochs(epochs).withSeed(9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "ema", "momentum-torch", "momentum-keras", "nesterov-keras", "nesterov-torch"})
    void resumedRunIsBitIdenticalToTheUninterruptedOne(String opt) throws Exception {
        TrainingResult full = trainer(opt, 6).train(DATA.train(), DATA.test(), INIT);
        Path file = tmp.resolve("c.ckpt");
        trainer(opt, 4).train(DATA.train(), DATA.test(), INIT, new Trainer.Checkpointing(file, 1, Map.of()));
        Checkpoint c = Checkpoint.load(file);
        assertEquals(3, c.epochsDone()); // the 4-epoch run's last checkpoint is after epoch 3
        TrainingResult resumed = trainer(opt, 6).resume(DATA.train(), DATA.test(), c, null);
        assertEquals(full.model().stacked(), resumed.model().stacked());
        assertEquals(full.steps(), resumed.steps());
        assertEquals(6, resumed.history().size());
        for (int e = 0; e < 6; e++) {
            assertEquals(full.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 0.0, "epoch " + e);
            assertEquals(full.history().get(e).testLoss(), resumed.history().get(e).testLoss(), 0.0, "epoch " + e);
        }
    }

    @Test
    void divergenceKeepsTheLastFiniteCheckpointAndNamesTheRates() throws Exception {
        Dataset d = new SyntheticData(200, 3, 1, 0.1, DataType.DOUBLE, 5).generate().data();
        double critical = dev.descent.analysis.StepSizes.of(d).stabilityBound();
        Path file = tmp.resolve("d.ckpt");
        TrainingResult r = new Trainer(new dev.descent.optim.Sgd(critical * 1.3),
                Trainer.Config.defaults().withBatchSize(0).withShuffle(false).withEpochs(500))
                .train(d, null, LinearModel.zeros(3, 1, DataType.DOUBLE), new Trainer.Checkpointing(file, 1, Map.of()));
        assertEquals(StopReason.DIVERGED, r.stop());
        assertTrue(r.message().matches("diverged at epoch \\d+, step \\d+: .* with sgd learning rate [0-9.]+; the stability limit for"
                + " full-batch training on this data is [0-9.]+ .*"), r.message());
        Checkpoint c = Checkpoint.load(file);
        assertTrue(c.epochsDone() < r.history().size(), "checkpoint after epoch " + c.epochsDone());
        assertTrue(Double.isFinite(c.theta().sumNumber().doubleValue()), "the kept checkpoint is finite");
    }

    @Test
    void float32GradientOverflowIsCaughtWhenItHappens() {
        // x ~ 1e20, y ~ 1e20: the batch loss (accumulated in double) is a finite ~1e40, the float32 gradient overflows.
        var x = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1e20f}, {2e20f}, {3e20f}, {4e20f}});
        var y = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1e20f}, {1e20f}, {2e20f}, {3e20f}});
        TrainingResult r = new Trainer(new dev.descent.optim.Sgd(1e-3), Trainer.Config.defaults().withBatchSize(2).withEpochs(3)
                .withShuffle(false)).train(new Dataset(x, y), null, LinearModel.zeros(1, 1, DataType.FLOAT));
        assertEquals(StopReason.DIVERGED, r.stop());
        assertEquals(0, r.steps()); // stopped at the first step, before θ was touched
        assertTrue(r.message().contains("the gradient overflowed (non-finite in FLOAT)"), r.message());
    }

    /** A stop rule other than the default is recorded, and resuming under the default rule is refused (it was not). */
    @Test
    void aCheckpointOfAnotherStopRuleIsRefused() throws Exception {
        Path file = tmp.resolve("rule.ckpt");
        Trainer.Config step = trainer("sgd", 3).config().withStopRule(Trainer.StopRule.STEP_LOSS_MEAN).withTolerance(1e-12);
        new Trainer(Optimizers.create("sgd", new Schedule.Constant(0.05), 0, 0), step).train(DATA.train(), null, INIT,
                new Trainer.Checkpointing(file, 1, Map.of()));
        Checkpoint c = Checkpoint.load(file);
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(Optimizers.create("sgd", new Schedule.Constant(0.05),
                0, 0), step.withStopRule(Trainer.StopRule.EPOCH_LOSS).withEpochs(5)).resume(DATA.train(), null, c, null));
        assertTrue(e.getMessage().contains("stop_rule = STEP_LOSS_MEAN, this run has EPOCH_LOSS"), e.getMessage());
    }

    @Test
    void corruptAndMismatchedCheckpointsAreRefused() throws Exception {
        Path file = tmp.resolve("c.ckpt");
        trainer("nesterov-keras", 3).train(DATA.train(), null, INIT, new Trainer.Checkpointing(file, 1, Map.of()));
        Checkpoint c = Checkpoint.load(file);
        var wrongOpt = assertThrows(IllegalArgumentException.class, () -> trainer("sgd", 5).resume(DATA.train(), null, c, null));
        assertTrue(wrongOpt.getMessage().startsWith("the checkpoint was written by a run with optimizer = "), wrongOpt.getMessage());
        Dataset wide = new SyntheticData(400, 5, 2, 0.2, DataType.FLOAT, 3).generate().data();
        var wrongShape = assertThrows(IllegalArgumentException.class, () -> trainer("nesterov-keras", 5).resume(wide, null, c, null));
        assertTrue(wrongShape.getMessage().contains("the model is 4→2 but the data is 5→2"), wrongShape.getMessage());
        Dataset f64 = new Dataset(DATA.train().x().castTo(DataType.DOUBLE), DATA.train().y().castTo(DataType.DOUBLE));
        var wrongType = assertThrows(IllegalArgumentException.class, () -> trainer("nesterov-keras", 5).resume(f64, null, c, null));
        assertTrue(wrongType.getMessage().contains("FLOAT parameters but the data is DOUBLE"), wrongType.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        Path truncated = Files.write(tmp.resolve("t.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e1 = assertThrows(DataFormatException.class, () -> Checkpoint.load(truncated));
        assertTrue(e1.getMessage().contains("corrupt checkpoint"), e1.getMessage());
        // Every single-byte corruption is either refused in one line or harmless (a field no reader uses):
        // never a different checkpoint, never another exception.
        int refused = 0;
        Path bad = tmp.resolve("f.ckpt");
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 0x5a;
            Files.write(bad, flipped);
            try {
                Checkpoint d = Checkpoint.load(bad);
                assertEquals(c.theta(), d.theta(), "byte " + i);
                assertEquals(c.optimizerState()[0], d.optimizerState()[0], "byte " + i);
                assertEquals(c.steps(), d.steps(), "byte " + i);
                assertEquals(c.history(), d.history(), "byte " + i);
            } catch (DataFormatException e) {
                assertEquals(1, e.getMessage().lines().count());
                refused++;
            }
        }
        assertTrue(refused > bytes.length / 2, refused + " of " + bytes.length + " corruptions refused");
        var missing = assertThrows(DataFormatException.class, () -> Checkpoint.load(tmp.resolve("none.ckpt")));
        assertTrue(missing.getMessage().endsWith("no checkpoint here"), missing.getMessage());
    }
}
