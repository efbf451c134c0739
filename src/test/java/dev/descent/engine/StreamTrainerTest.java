package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.Tolerances;
import dev.descent.data.DataFormatException;
import dev.descent.data.Dataset;
import dev.descent.data.Npy;
import dev.descent.data.NpyRowSource;
import dev.descent.data.SyntheticData;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Training on .npy files read chunk by chunk. */
class StreamTrainerTest extends SeededTest {
    @TempDir
    Path tmp;

    private NpyRowSource files(Dataset d) throws Exception {
        Npy.write(tmp.resolve("x.npy"), d.x());
        Npy.write(tmp.resolve("y.npy"), d.y());
        return new NpyRowSource(tmp.resolve("x.npy"), tmp.resolve("y.npy"));
    }

    private static double[] bits(LinearModel m) {
        return m.stacked().castTo(DataType.DOUBLE).data().asDouble();
    }

    @Test
    void inFileOrderItIsTheInMemoryTrainerBitForBit() throws Exception {
        Dataset d = new SyntheticData(1037, 5, 2, 0.1, DataType.DOUBLE, 3).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(16).withEpochs(3).withShuffle(false);
        var opt = Optimizers.create("nesterov-keras", new Schedule.InverseTime(0.02, 1e-3), 0.9, 0);
        LinearModel init = LinearModel.zeros(5, 2, DataType.DOUBLE);
        TrainingResult mem = new Trainer(opt, c).train(d, null, init);
        try (NpyRowSource src = files(d)) {
            StreamTrainer st = new StreamTrainer(opt, c, 100); // 96-row chunks: 11 chunks, the last one partial
            assertEquals(96, st.chunkRows());
            TrainingResult streamed = st.train(src, init);
            assertArrayEquals(bits(mem.model()), bits(streamed.model()), 0.0);
            for (int e = 0; e < 3; e++) {
                assertEquals(mem.history().get(e).trainLoss(), streamed.history().get(e).trainLoss(), 0.0);
                assertEquals(mem.history().get(e).rows(), streamed.history().get(e).rows());
            }
            assertEquals(mem.model().mse(d.x(), d.y()), st.mse(src, streamed.model()), Tolerances.ROUNDING_F64);
        }
    }

    @Test
    void shuffledChunksAreSeededAndReachLeastSquares() throws Exception {
        Dataset d = new SyntheticData(3000, 4, 1, 0.1, DataType.DOUBLE, 4).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(32).withEpochs(40).withDropLast(true).withSeed(7);
        var opt = Optimizers.create("sgd", new Schedule.InverseTime(0.05, 1e-3), 0, 0);
        LinearModel init = LinearModel.zeros(4, 1, DataType.DOUBLE);
        try (NpyRowSource src = files(d)) {
            StreamTrainer st = new StreamTrainer(opt, c, 500);
            TrainingResult a = st.train(src, init);
            TrainingResult b = st.train(src, init);
            assertArrayEquals(bits(a.model()), bits(b.model()), 0.0, "same seed, same bits");
            TrainingResult other = new StreamTrainer(opt, c.withSeed(8), 500).train(src, init);
            assertTrue(a.model().stacked().sub(other.model().stacked()).amaxNumber().doubleValue() > 0, "the seed matters");
            // 3000 rows in 480-row chunks: 6 full chunks of 15 batches, a 120-row chunk of 3 full batches (24 rows dropped)
            assertEquals(6 * 480 + 96, a.history().get(0).rows());
            INDArray lsq = NormalEquations.of(d.x(), d.y()).solve();
            assertEquals(0, lsq.sub(a.model().stacked()).amaxNumber().doubleValue(), Tolerances.SGD_TO_LSQ_F64);
        }
    }

    @Test
    void aDivergedRunStopsAndLeavesTheFilesReadable() throws Exception {
        Dataset d = new SyntheticData(5000, 4, 1, 0.1, DataType.DOUBLE, 4).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(10).withEpochs(5);
        try (NpyRowSource src = files(d)) {
            StreamTrainer st = new StreamTrainer(Optimizers.create("sgd", new Schedule.Constant(50), 0, 0), c, 1000);
            TrainingResult r = st.train(src, LinearModel.zeros(4, 1, DataType.DOUBLE));
            assertEquals(StopReason.DIVERGED, r.stop());
            assertTrue(r.message().startsWith("diverged at epoch 1"), r.message());
            double mse = new StreamTrainer(Optimizers.create("sgd", new Schedule.Constant(0.01), 0, 0), c, 1000)
                    .mse(src, LinearModel.zeros(4, 1, DataType.DOUBLE));
            assertEquals(d.y().mul(d.y()).meanNumber().doubleValue(), mse, Tolerances.ROUNDING_F64 * mse);
        }
    }

    @Test
    void badFilesAreRefusedNamingTheFile() throws Exception {
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        Npy.write(x, Nd4j.rand(DataType.FLOAT, 10, 3));
        Npy.write(y, Nd4j.rand(DataType.FLOAT, 9, 1));
        var e = assertThrows(DataFormatException.class, () -> new NpyRowSource(x, y));
        assertTrue(e.getMessage().contains("y.npy: 9 rows") && e.getMessage().contains("has 10"), e.getMessage());
        Npy.write(y, Nd4j.rand(DataType.DOUBLE, 10, 1));
        e = assertThrows(DataFormatException.class, () -> new NpyRowSource(x, y));
        assertTrue(e.getMessage().contains("dtype float64 differs"), e.getMessage());
        Npy.write(y, Nd4j.rand(DataType.FLOAT, 10, 1));
        byte[] all = Files.readAllBytes(x);
        Files.write(x, java.util.Arrays.copyOf(all, all.length - 4));
        e = assertThrows(DataFormatException.class, () -> new NpyRowSource(x, y));
        assertTrue(e.getMessage().contains("x.npy") && e.getMessage().contains("truncated"), e.getMessage());
        Files.writeString(x, "{'descr': '<f4'}");
        e = assertThrows(DataFormatException.class, () -> new NpyRowSource(x, y));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
    }

    /** A data file that shrinks while it is streamed is bad input naming the file, not an internal error (issue 19.3). */
    @Test
    void aFileTruncatedDuringTheRunIsReportedAsBadData() throws Exception {
        Dataset d = new SyntheticData(2000, 5, 1, 0.1, DataType.FLOAT, 3).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(16).withEpochs(2);
        var opt = Optimizers.create("sgd", new Schedule.Constant(0.01), 0, 0);
        try (NpyRowSource src = files(d)) {
            try (var ch = java.nio.channels.FileChannel.open(tmp.resolve("x.npy"), java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new StreamTrainer(opt, c, 100).train(src, LinearModel.zeros(5, 1, DataType.FLOAT)));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("x.npy: ended early"), e.getMessage());
        }
    }
}
