package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.NesterovKeras;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The cluster solvers on Spark's local[2] against the single-machine engine on the same rows: the
 * synthetic partitions are the single-machine data's blocks, so gd must equal full-batch training and
 * exact the single-machine least squares to float64 rounding, and local-sgd must be the row-weighted
 * average of each partition's own epoch, run to run the same bits.
 */
class SparkTrainerTest {
    private static final long N = 3 * SyntheticData.BLOCK_ROWS + 1234; // four blocks, the last short
    private static final ClusterData DATA = ClusterData.synthetic(N, 6, 2, 0.3, DataType.DOUBLE, 17, 3);
    private static final Dataset WHOLE = new SyntheticData(N, 6, 2, 0.3, DataType.DOUBLE, 17).generate().data();
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("descent-test").set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", "4"));
        sc.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        sc.close();
        ClusterData.forget();
    }

    private static double relative(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    /** Work on a partition runs with its task's CPUs (spark.task.cpus, 1 here), not the executor JVM's cores. */
    @Test
    void partitionWorkHasItsTasksCpus() throws Exception {
        java.util.List<Integer> inTasks = sc.parallelize(java.util.List.of(1, 2, 3, 4), 4)
                .map(x -> SparkTrainer.inTask(dev.descent.engine.Cores::available)).collect();
        assertEquals(java.util.List.of(1, 1, 1, 1), inTasks);
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkTrainer.inTask(dev.descent.engine.Cores::available),
                "outside a task: the JVM's cores");
    }

    @Test
    void partitionsAreTheSingleMachineRows() {
        long r = 0;
        for (int p = 0; p < 3; p++) {
            Dataset part = DATA.partition(p);
            var rows = NDArrayIndex.interval(r, r + part.size());
            assertEquals(WHOLE.x().get(rows, NDArrayIndex.all()), part.x());
            assertEquals(WHOLE.y().get(rows, NDArrayIndex.all()), part.y());
            r += part.size();
        }
        assertEquals(N, r);
    }

    @Test
    void gdIsFullBatchTrainingOnOneMachine() {
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(25).withShuffle(false);
        var opt = new NesterovKeras(new Schedule.Constant(0.1), 0.9);
        TrainingResult cluster = new SparkTrainer(sc, DATA).gd(opt, init, cfg);
        TrainingResult alone = new Trainer(opt, cfg).train(WHOLE, null, init);
        double rel = relative(cluster.model().stacked(), alone.model().stacked());
        assertTrue(rel <= 1e-12, "relative ‖Δθ‖ = " + rel);
        for (int e = 0; e < 25; e++) {
            double a = alone.history().get(e).trainLoss();
            assertEquals(a, cluster.history().get(e).trainLoss(), 1e-12 * a, "round " + e);
        }
    }

    /**
     * The last 40 % of the rows held out (the whole last partition and part of the one before): gd, its test MSE
     * every round and exact equal one machine's training on Dataset.splitTail's split; local-sgd skips the
     * partition with no training rows and weights the others by their training rows.
     */
    @Test
    void heldOutRowsAreOneMachinesTailSplit() {
        double fraction = 0.4;
        long test = Math.round(fraction * N);
        ClusterData held = DATA.holdingOut(test);
        assertEquals(N - test, held.trainRows());
        assertEquals(0, held.trainRows(2), "the last partition is all test rows");
        assertTrue(held.trainRows(1) > 0 && held.trainRows(1) < held.rows(1), "the middle one is split");
        Dataset.Split split = WHOLE.splitTail(fraction);
        assertEquals(test, split.test().size());
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(8).withShuffle(false);
        var opt = new NesterovKeras(new Schedule.Constant(0.1), 0.9);
        SparkTrainer t = new SparkTrainer(sc, held);
        TrainingResult cluster = t.gd(opt, init, cfg);
        TrainingResult alone = new Trainer(opt, cfg).train(split.train(), split.test(), init);
        double rel = relative(cluster.model().stacked(), alone.model().stacked());
        assertTrue(rel <= 1e-12, "relative ‖Δθ‖ = " + rel);
        for (int e = 0; e < 8; e++) {
            double a = alone.history().get(e).testLoss();
            assertEquals(a, cluster.history().get(e).testLoss(), 1e-12 * a, "test MSE after round " + e);
            double b = alone.history().get(e).trainLoss();
            assertEquals(b, cluster.history().get(e).trainLoss(), 1e-12 * b, "train MSE at round " + e);
        }
        INDArray exact = t.exact().solution().theta();
        double relExact = relative(exact, NormalEquations.of(split.train().x(), split.train().y()).solution().theta());
        assertTrue(relExact <= 1e-12, "exact: relative ‖Δθ‖ = " + relExact);

        Trainer.Config sgd = Trainer.Config.defaults().withBatchSize(64).withEpochs(1).withSeed(9);
        double[] theta = init.stacked().data().asDouble();
        double[] avg = new double[theta.length];
        for (int p = 0; p < 2; p++) {
            Dataset rows = DATA.partition(p).rows(0, held.trainRows(p));
            double[] out = SparkTrainer.localEpoch(rows, theta, new Sgd(0.01), sgd, 0, p);
            double w = held.trainRows(p) / (double) (N - test);
            for (int i = 0; i < avg.length; i++) {
                avg[i] += w * out[i + 1];
            }
        }
        assertArrayEquals(avg, t.localSgd(new Sgd(0.01), init, sgd).model().stacked().data().asDouble(), 0.0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DATA.holdingOut(N));
        assertTrue(e.getMessage().contains("leaves no training rows"), e.getMessage());
    }

    /**
     * 30 % of the rows held out at random: the same rows as one machine's Dataset.splitRandom for the seed, each
     * partition's training rows first; gd with its test MSE every round and exact equal one machine's on that split.
     */
    @Test
    void randomHeldOutRowsAreOneMachinesRandomSplit() {
        double fraction = 0.3;
        long test = Math.round(fraction * N);
        ClusterData held = DATA.holdingOutAtRandom(test, 23);
        Dataset.Split split = WHOLE.splitRandom(fraction, 23);
        assertEquals(N - test, held.trainRows());
        long train = 0;
        long tested = 0;
        for (int p = 0; p < 3; p++) {
            Dataset part = held.partition(p);
            long t = held.trainRows(p);
            assertTrue(t > 0 && t < part.size(), "partition " + p + " holds some test rows: " + t + " of " + part.size());
            assertEquals(split.train().rows(train, train + t).x(), part.rows(0, t).x(), "partition " + p + "'s training rows");
            assertEquals(split.test().rows(tested, tested + part.size() - t).y(), part.rows(t, part.size()).y(), "its test rows");
            train += t;
            tested += part.size() - t;
        }
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(6).withShuffle(false);
        var opt = new NesterovKeras(new Schedule.Constant(0.1), 0.9);
        SparkTrainer t = new SparkTrainer(sc, held);
        TrainingResult cluster = t.gd(opt, init, cfg);
        TrainingResult alone = new Trainer(opt, cfg).train(split.train(), split.test(), init);
        assertTrue(relative(cluster.model().stacked(), alone.model().stacked()) <= 1e-12);
        for (int e = 0; e < 6; e++) {
            double a = alone.history().get(e).testLoss();
            assertEquals(a, cluster.history().get(e).testLoss(), 1e-12 * a, "test MSE after round " + e);
        }
        assertTrue(relative(t.exact().solution().theta(), NormalEquations.of(split.train().x(), split.train().y()).solution().theta())
                <= 1e-12);
    }

    /**
     * Standard X and min-max Y fitted by the cluster's passes equal Scaler.fit on the training rows; gd on the scaled
     * partitions is one machine's gd on its scaled copy, and the test MSE in the data's units is that of the model
     * rewritten in the data's units (LinearModel.unscaled) on the unscaled held-out rows.
     */
    @Test
    void scaledTrainingIsOneMachinesScaledTraining() {
        double fraction = 0.25;
        ClusterData held = DATA.holdingOutAtRandom(Math.round(fraction * N), 31);
        Dataset.Split split = WHOLE.splitRandom(fraction, 31);
        SparkTrainer plain = new SparkTrainer(sc, held);
        dev.descent.data.Scaler[] s = plain.fitScalers("standard", "minmax");
        dev.descent.data.Scaler xs = dev.descent.data.Scaler.fit("standard", split.train().x());
        dev.descent.data.Scaler ys = dev.descent.data.Scaler.fit("minmax", split.train().y());
        assertArrayEquals(xs.offset(), s[0].offset(), 1e-14);
        assertArrayEquals(xs.scale(), s[0].scale(), 1e-14);
        assertArrayEquals(ys.offset(), s[1].offset(), 0.0, "min and max are exact");
        assertArrayEquals(ys.scale(), s[1].scale(), 0.0);
        Dataset train = split.train().copy();
        xs.applyInPlace(train.x());
        ys.applyInPlace(train.y());
        Dataset test = split.test().copy();
        xs.applyInPlace(test.x());
        ys.applyInPlace(test.y());
        SparkTrainer t = plain.scaledBy(s[0], s[1]);
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(6).withShuffle(false);
        var opt = new NesterovKeras(new Schedule.Constant(0.1), 0.9);
        TrainingResult cluster = t.gd(opt, init, cfg);
        TrainingResult alone = new Trainer(opt, cfg).train(train, test, init);
        assertTrue(relative(cluster.model().stacked(), alone.model().stacked()) <= 1e-12);
        for (int e = 0; e < 6; e++) {
            double a = alone.history().get(e).testLoss();
            assertEquals(a, cluster.history().get(e).testLoss(), 1e-12 * a, "scaled test MSE after round " + e);
        }
        LinearModel inDataUnits = alone.model().unscaled(xs, ys);
        double expected = inDataUnits.mse(split.test().x(), split.test().y());
        assertEquals(expected, t.testMseInDataUnits(cluster.model().stacked()), 1e-12 * expected);
        assertTrue(Math.abs(expected - t.testMse(cluster.model().stacked())) > 0.01 * expected, "the scaled MSE differs");
        long t0 = held.trainRows(0);
        assertEquals(split.train().rows(0, t0).x(), held.partition(0).rows(0, t0).x(), "the unscaled rows, rebuilt for whoever asks");
    }

    @Test
    void exactIsTheSingleMachineLeastSquares() {
        INDArray cluster = new SparkTrainer(sc, DATA).exact().solution().theta();
        INDArray alone = NormalEquations.of(WHOLE.x(), WHOLE.y()).solution().theta();
        double rel = relative(cluster, alone);
        assertTrue(rel <= 1e-12, "relative ‖Δθ‖ = " + rel);
    }

    @Test
    void localSgdAveragesEachPartitionsEpochAndRepeatsItsBits() {
        LinearModel init = LinearModel.zeros(6, 2, DataType.DOUBLE);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(64).withEpochs(2).withSeed(9);
        var opt = new Sgd(0.01);
        SparkTrainer t = new SparkTrainer(sc, DATA);
        LinearModel a = t.localSgd(opt, init, cfg).model();
        LinearModel b = t.localSgd(opt, init, cfg).model();
        assertArrayEquals(a.stacked().data().asDouble(), b.stacked().data().asDouble(), 0.0);
        // By hand: two rounds of "each partition one epoch from θ, then the row-weighted mean", in partition order.
        double[] theta = init.stacked().data().asDouble();
        for (int round = 0; round < 2; round++) {
            double[] avg = new double[theta.length];
            for (int p = 0; p < 3; p++) {
                double[] out = SparkTrainer.localEpoch(DATA.partition(p), theta, opt, cfg, round, p);
                double w = DATA.rows(p) / (double) N;
                for (int i = 0; i < avg.length; i++) {
                    avg[i] += w * out[i + 1];
                }
            }
            theta = avg;
        }
        assertArrayEquals(theta, a.stacked().data().asDouble(), 0.0);
        double mse = a.mse(WHOLE.x(), WHOLE.y());
        assertTrue(mse < 0.1, "two rounds of local SGD fit the data: MSE " + mse); // noise variance 0.09
    }

    /** A checkpoint every 2 rounds; resuming from the last one written (after round 4 of 6) gives the whole run's bits. */
    @Test
    void gdAndLocalSgdResumeFromACheckpointToTheUninterruptedBits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        SparkTrainer t = new SparkTrainer(sc, DATA);
        for (String solver : java.util.List.of("gd", "local-sgd")) {
            Trainer.Config cfg = (solver.equals("gd") ? Trainer.Config.defaults().withBatchSize(0).withShuffle(false)
                    : Trainer.Config.defaults().withBatchSize(128)).withEpochs(6).withSeed(3);
            var opt = new NesterovKeras(new Schedule.Constant(solver.equals("gd") ? 0.1 : 0.01), 0.9);
            java.nio.file.Path file = tmp.resolve(solver + ".ckpt");
            var ck = new Trainer.Checkpointing(file, 2, java.util.Map.of());
            TrainingResult whole = solver.equals("gd") ? t.gd(opt, init, cfg, ck, null) : t.localSgd(opt, init, cfg, ck, null);
            dev.descent.engine.Checkpoint c = dev.descent.engine.Checkpoint.load(file);
            assertEquals(4, c.epochsDone());
            TrainingResult resumed = solver.equals("gd") ? t.gd(opt, null, cfg, null, c) : t.localSgd(opt, null, cfg, null, c);
            assertArrayEquals(whole.model().stacked().data().asDouble(), resumed.model().stacked().data().asDouble(), 0.0, solver);
            assertEquals(6, resumed.history().size());
            var other = solver.equals("gd") ? new Sgd(0.1) : new Sgd(0.01);
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> t.gd(other, null, cfg, null, c));
            assertTrue(e.getMessage().startsWith("the checkpoint was written by a run with"), e.getMessage());
        }
    }

    /**
     * A stop asked for during round 3 (Ctrl-C's handler calls requestStop) ends the run before round 4 with a
     * checkpoint of the 3 rounds done, although checkpoints were due every 5; resuming it gives the
     * uninterrupted run's bits.
     */
    @Test
    void aStopBetweenRoundsWritesACheckpointThatResumesToTheUninterruptedBits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        LinearModel init = Init.NORMAL.create(6, 2, DataType.DOUBLE, 5);
        for (String solver : java.util.List.of("gd", "local-sgd")) {
            SparkTrainer t = new SparkTrainer(sc, DATA);
            Trainer.Config cfg = (solver.equals("gd") ? Trainer.Config.defaults().withBatchSize(0).withShuffle(false)
                    : Trainer.Config.defaults().withBatchSize(128)).withEpochs(6).withSeed(3);
            var opt = new NesterovKeras(new Schedule.Constant(solver.equals("gd") ? 0.1 : 0.01), 0.9);
            java.nio.file.Path file = tmp.resolve(solver + "-stop.ckpt");
            var ck = new Trainer.Checkpointing(file, 5, java.util.Map.of());
            dev.descent.engine.TrainingListener stopAfterThree = new dev.descent.engine.TrainingListener() {
                @Override
                public void onEpoch(dev.descent.engine.EpochStats s) {
                    if (s.epoch() == 2) {
                        t.requestStop();
                    }
                }
            };
            TrainingResult stopped = solver.equals("gd") ? t.gd(opt, init, cfg, ck, null, stopAfterThree)
                    : t.localSgd(opt, init, cfg, ck, null, stopAfterThree);
            assertEquals(dev.descent.engine.StopReason.INTERRUPTED, stopped.stop(), solver);
            assertEquals("interrupted after round 3 of 6", stopped.message());
            assertEquals(3, stopped.history().size());
            dev.descent.engine.Checkpoint c = dev.descent.engine.Checkpoint.load(file);
            assertEquals(3, c.epochsDone());
            TrainingResult whole = solver.equals("gd") ? t.gd(opt, init, cfg) : t.localSgd(opt, init, cfg);
            TrainingResult resumed = solver.equals("gd") ? t.gd(opt, null, cfg, null, c) : t.localSgd(opt, null, cfg, null, c);
            assertEquals(dev.descent.engine.StopReason.EPOCHS, whole.stop(), "the stop was taken back after it ended the run");
            assertArrayEquals(whole.model().stacked().data().asDouble(), resumed.model().stacked().data().asDouble(), 0.0, solver);
        }
    }

    /**
     * The same rows as a CSV file and as Parquet, read by Spark's own readers into 3 partitions: gd on them
     * equals full-batch training on one machine, and the partitions are the same on a second read.
     */
    @Test
    void csvAndParquetThroughSparksReadersTrainAsOnOneMachine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Dataset small = new SyntheticData(5000, 3, 2, 0.2, DataType.DOUBLE, 4).generate().data();
        java.nio.file.Path file = dev.descent.spark.TestCsv.write(tmp.resolve("rows.csv"), "a,b,c,t1,t2", small);
        var spark = org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        spark.read().option("header", "true").option("inferSchema", "true").csv(file.toString()).write()
                .parquet(tmp.resolve("rows.parquet").toString());
        LinearModel init = LinearModel.zeros(3, 2, DataType.DOUBLE);
        Trainer.Config cfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(15).withShuffle(false);
        var opt = new NesterovKeras(new Schedule.Constant(0.2), 0.8);
        LinearModel alone = new Trainer(opt, cfg).train(small, null, init).model();
        for (String format : java.util.List.of("csv", "parquet")) {
            String path = tmp.resolve("rows." + format).toString();
            ClusterData frame = ClusterData.frame(spark, path, format, java.util.List.of(), java.util.List.of("t1", "t2"),
                    DataType.DOUBLE, 3);
            assertEquals(5000, frame.rows());
            assertEquals(3, frame.inputs());
            LinearModel cluster = new SparkTrainer(sc, frame).gd(opt, init, cfg).model();
            double rel = relative(cluster.stacked(), alone.stacked());
            assertTrue(rel <= 1e-12, format + ": relative ‖Δθ‖ = " + rel);
            ClusterData again = ClusterData.frame(spark, path, format, java.util.List.of("a", "b", "c"), java.util.List.of("t1", "t2"),
                    DataType.DOUBLE, 3);
            for (int p = 0; p < 3; p++) {
                assertEquals(frame.rows(p), again.rows(p), format + " partition " + p);
            }
        }
        // Another selection of the same file in this JVM is other rows, not the cached ones: a, b → t2.
        ClusterData other = ClusterData.frame(spark, file.toString(), "csv", java.util.List.of("a", "b"), java.util.List.of("t2"),
                DataType.DOUBLE, 3);
        INDArray ab = new SparkTrainer(sc, other).exact().solution().theta();
        var abRows = NDArrayIndex.interval(0, 5000);
        INDArray xs = org.nd4j.linalg.factory.Nd4j.hstack(small.x().get(abRows, NDArrayIndex.interval(0, 2)));
        INDArray expected = NormalEquations.of(xs, small.y().get(abRows, NDArrayIndex.interval(1, 2))).solution().theta();
        assertTrue(relative(ab, expected) <= 1e-12, "a, b → t2: " + ab + " vs " + expected);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ClusterData.frame(spark,
                file.toString(), "csv", java.util.List.of(), java.util.List.of("nope"), DataType.DOUBLE, 3));
        assertTrue(e.getMessage().contains("no column 'nope' (columns: a, b, c, t1, t2)"), e.getMessage());
    }
}
