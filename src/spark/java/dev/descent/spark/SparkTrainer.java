package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.data.Scaler;
import dev.descent.engine.Checkpoint;
import dev.descent.engine.Cores;
import dev.descent.engine.EpochStats;
import dev.descent.engine.GradientKernel;
import dev.descent.engine.KernelKind;
import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingListener;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data-parallel training on a Spark cluster, the engine's kernel and loop running in each partition:
 * <ul>
 *   <li>{@link #gd}: full-batch gradient descent. θ is broadcast each round; every partition returns its
 *       rows' gradient sum (the engine's kernel, in blocks); the driver adds them in partition order (a fixed
 *       order: the same bits whatever the cluster) and steps θ with the optimizer, any of descent's.</li>
 *   <li>{@link #localSgd}: each round every partition runs one epoch of the engine's own mini-batch loop on
 *       its rows from the broadcast θ (its shuffle seeded by the run's seed, the round and the partition),
 *       and the driver averages the partitions' θ weighted by rows, in partition order.</li>
 *   <li>{@link #exact}: one pass of [X 1]ᵀ[X 1] and [X 1]ᵀY per partition, added on the driver, solved as
 *       {@code --solver exact} solves them.</li>
 * </ul>
 * The partitions are an RDD of indices kept in executor memory, so each round's tasks go to the executor
 * that already holds that partition's rows ({@link ClusterData#partition}); Spark reruns a lost task
 * elsewhere, where the rows are rebuilt with the same bits.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final ClusterData data;
    private final JavaRDD<Object> parts;
    private final ClusterData test; // where the held-out rows are: this data's, or a test set's (withTestData)
    private final JavaRDD<Object> testParts;

    private volatile boolean stopRequested;

    /**
     * Asks the run in progress to stop before its next round, writing a checkpoint of the rounds done when
     * checkpoints are on; it then ends with {@link StopReason#INTERRUPTED}. Any thread, a signal handler's too.
     */
    public void requestStop() {
        stopRequested = true;
    }

    public SparkTrainer(JavaSparkContext sc, ClusterData data) {
        this(sc, data, data.rdd(sc), null, null);
    }

    private SparkTrainer(JavaSparkContext sc, ClusterData data, JavaRDD<Object> parts, ClusterData test, JavaRDD<Object> testParts) {
        this.sc = sc;
        this.data = data;
        this.parts = parts;
        this.test = test != null ? test : data;
        this.testParts = testParts != null ? testParts : parts;
        onPartitions((p, rows) -> new double[] {p}); // every executor builds its partitions once, before any timing
        if (test != null) {
            onPartitions(test, testParts, (p, rows) -> new double[] {p});
        }
    }

    /**
     * A trainer on this data (all of whose rows then train) whose test MSE is over {@code testSet}'s rows, another
     * source of the same columns ({@code --test-data}), its partitions built by one job before it returns.
     */
    public SparkTrainer withTestData(ClusterData testSet) {
        if (testSet.inputs() != data.inputs() || testSet.outputs() != data.outputs()) {
            throw new IllegalArgumentException("the test set has " + testSet.inputs() + " inputs and " + testSet.outputs()
                    + " outputs; the training data " + data.inputs() + " and " + data.outputs());
        }
        if (data.testRows() > 0) {
            throw new IllegalArgumentException("the training data holds out " + data.testRows() + " rows already");
        }
        ClusterData t = testSet.asTestRows();
        return new SparkTrainer(sc, data, parts, t, t.rdd(sc));
    }

    /**
     * Scalers of kinds {@code kindX}, {@code kindY} (none, minmax, standard) fitted on every training row, one job
     * a pass (one for minmax, two for standard): each partition fits its rows from a copy of the fitting as the pass
     * starts, and the driver merges their sums in partition order.
     */
    public Scaler[] fitScalers(String kindX, String kindY) {
        Scaler.Fitting fx = new Scaler.Fitting(kindX, data.inputs());
        Scaler.Fitting fy = new Scaler.Fitting(kindY, data.outputs());
        ClusterData d = data;
        for (int pass = 0; pass < Math.max(fx.passes(), fy.passes()); pass++) {
            int now = pass;
            Scaler.Fitting startX = fx;
            Scaler.Fitting startY = fy;
            List<double[]> sums = onPartitions((p, rows) -> { // startX, startY: this task's copies
                Dataset t = d.train(p, rows);
                if (t != null && now < startX.passes()) {
                    startX.add(now, t.x());
                }
                if (t != null && now < startY.passes()) {
                    startY.add(now, t.y());
                }
                double[] sx = startX.sums();
                double[] sy = startY.sums();
                double[] out = new double[1 + sx.length + sy.length];
                out[0] = p;
                System.arraycopy(sx, 0, out, 1, sx.length);
                System.arraycopy(sy, 0, out, 1 + sx.length, sy.length);
                return out;
            });
            int lx = 1 + 2 * data.inputs();
            for (double[] s : sums) {
                if (now < fx.passes()) {
                    fx.merge(now, java.util.Arrays.copyOfRange(s, 1, 1 + lx));
                }
                if (now < fy.passes()) {
                    fy.merge(now, java.util.Arrays.copyOfRange(s, 1 + lx, s.length));
                }
            }
        }
        return new Scaler[] {fx.result(), fy.result()};
    }

    /**
     * A trainer on this data scaled by {@code x} and {@code y} (fitted by {@link #fitScalers}): the partitions are
     * scaled in place where they are kept, by one job, before it returns.
     */
    public SparkTrainer scaledBy(Scaler x, Scaler y) {
        return new SparkTrainer(sc, data.scaledBy(x, y), parts, test == data ? null : test.scaledBy(x, y), test == data ? null : testParts);
    }

    /** An optimizer as the executors rebuild it: its name, schedule and hyperparameters. */
    record Spec(String name, dev.descent.optim.Schedule schedule, double momentum, double dampening) implements java.io.Serializable {
        static Spec of(Optimizer o) {
            var h = o.hyperparameters();
            return new Spec(o.name(), o.schedule(), h.get("momentum") instanceof Double mu ? mu : 0,
                    h.get("dampening") instanceof Double tau ? tau : 0);
        }

        Optimizer create() {
            return dev.descent.optim.Optimizers.create(name, schedule, momentum, dampening);
        }
    }

    /** θ as plain doubles (what a broadcast carries). */
    private static double[] plain(INDArray theta) {
        return theta.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /**
     * Full-batch gradient descent for {@code config.epochs()} rounds (one step a round) from {@code initial}.
     * Listeners see a round as an epoch.
     */
    public TrainingResult gd(Optimizer optimizer, LinearModel initial, Trainer.Config config, TrainingListener... listeners) {
        return gd(optimizer, initial, config, null, null, listeners);
    }

    /**
     * As {@link #gd(Optimizer, LinearModel, Trainer.Config, TrainingListener...)}, writing a checkpoint every
     * {@code ck.every()} rounds (when ck is not null) and starting from {@code from} (when not null: the
     * rounds, θ and optimizer state of a checkpoint of the same run). The result is the uninterrupted run's.
     */
    public TrainingResult gd(Optimizer optimizer, LinearModel initial, Trainer.Config config, Trainer.Checkpointing ck,
            Checkpoint from, TrainingListener... listeners) {
        INDArray theta = from != null ? from.theta().dup('c') : initial.stacked().castTo(data.dataType()).dup('c');
        Optimizer opt = optimizer.copy();
        opt.init(theta.length(), data.dataType());
        Map<String, Object> run = describe("gd", opt, config);
        if (from != null) {
            Trainer.requireSameRun(from, run, config.epochs(), "round");
            opt.restore(from.optimizerState(), from.steps());
        }
        INDArray grad = Nd4j.zeros(data.dataType(), theta.rows(), theta.columns());
        long n = data.trainRows();
        int m = data.outputs();
        List<EpochStats> history = new ArrayList<>(from == null ? List.of() : from.history());
        start(listeners, config, opt, 1);
        StopReason stop = StopReason.EPOCHS;
        String message = null;
        for (int round = from == null ? 0 : from.epochsDone(); round < config.epochs(); round++) {
            if (stopRequested) {
                message = interrupted(ck, round, config, theta, opt.state(), history, run);
                stop = StopReason.INTERRUPTED;
                break;
            }
            long t0 = System.nanoTime();
            double[] total = gradientSums(theta);
            double scale = 2.0 / ((double) n * m);
            for (int i = 0; i < theta.length(); i++) {
                total[i] *= scale;
            }
            grad.assign(Nd4j.createFromArray(java.util.Arrays.copyOf(total, (int) theta.length())).reshape(grad.shape()));
            double loss = total[total.length - 1] / ((double) n * m);
            if (!Double.isFinite(loss)) {
                stop = StopReason.DIVERGED;
                message = String.format(Locale.ROOT, "diverged at round %d: loss = %s", round + 1, loss);
                break;
            }
            opt.step(theta, grad, round, round);
            double seconds = (System.nanoTime() - t0) / 1e9;
            epoch(history, listeners, round, loss, testMse(theta), opt.schedule().rate(round, round), 1, n, seconds, theta);
            checkpoint(ck, config, round + 1, theta, opt.state(), history, run);
        }
        return end(listeners, theta, history, stop, message);
    }

    /**
     * Partition p's Σ Xᵀr and Σ r (as (nX+1)×nY, row-major) at θ, and Σ r², over its training rows
     * ({@code rows}: null when it has none), by the engine's kernel in blocks: [p, gradient sums…, squared error].
     */
    static double[] gradientSum(ClusterData data, int p, Dataset rows, double[] theta) {
        double[] out = new double[theta.length + 2];
        out[0] = p;
        if (rows == null) {
            return out;
        }
        long n = rows.size();
        GradientKernel k = data.kernel(p, "train", rows);
        int block = k.maxBatch();
        int nx = rows.inputs();
        int m = rows.outputs();
        INDArray th = Nd4j.createFromArray(theta).reshape(nx + 1, m).castTo(rows.dataType()).dup('c');
        INDArray g = Nd4j.zeros(rows.dataType(), nx + 1, m);
        for (long s = 0; s < n; s += block) {
            int b = (int) Math.min(block, n - s);
            double loss = k.gradient(th, null, (int) s, b, g);
            double[] gs = g.castTo(DataType.DOUBLE).data().asDouble();
            double unscale = b * m / 2.0; // the kernel returns (2/(b·m))·Σ
            for (int i = 0; i < gs.length; i++) {
                out[i + 1] += gs[i] * unscale;
            }
            out[out.length - 1] += loss * b * m;
        }
        return out;
    }

    /**
     * Local SGD: {@code config.epochs()} rounds; in each, every partition trains one epoch of the engine's
     * loop (batch size, shuffle and optimizer of {@code config}, state fresh each round) from the broadcast
     * θ, and θ becomes the partitions' average weighted by rows.
     */
    public TrainingResult localSgd(Optimizer optimizer, LinearModel initial, Trainer.Config config, TrainingListener... listeners) {
        return localSgd(optimizer, initial, config, null, null, listeners);
    }

    /** As {@link #localSgd(Optimizer, LinearModel, Trainer.Config, TrainingListener...)}, with checkpoints and resume as {@link #gd}'s. */
    public TrainingResult localSgd(Optimizer optimizer, LinearModel initial, Trainer.Config config, Trainer.Checkpointing ck,
            Checkpoint from, TrainingListener... listeners) {
        INDArray theta = from != null ? from.theta().dup('c') : initial.stacked().castTo(data.dataType()).dup('c');
        Map<String, Object> run = describe("local-sgd", optimizer, config);
        if (from != null) {
            Trainer.requireSameRun(from, run, config.epochs(), "round");
        }
        List<EpochStats> history = new ArrayList<>(from == null ? List.of() : from.history());
        start(listeners, config, optimizer, data.partitions());
        ClusterData d = data;
        long n = data.trainRows();
        Spec spec = Spec.of(optimizer); // what the executors rebuild the optimizer from, the same every round
        StopReason stop = StopReason.EPOCHS;
        String message = null;
        for (int round = from == null ? 0 : from.epochsDone(); round < config.epochs(); round++) {
            if (stopRequested) {
                message = interrupted(ck, round, config, theta, new INDArray[0], history, run);
                stop = StopReason.INTERRUPTED;
                break;
            }
            long t0 = System.nanoTime();
            Broadcast<double[]> b = sc.broadcast(plain(theta));
            int r = round;
            List<double[]> outs = onPartitions((p, rows) -> {
                Dataset t = d.train(p, rows);
                return t == null ? new double[] {p} : localEpoch(t, b.value(), spec.create(), config, r, p);
            });
            b.destroy();
            double[] avg = new double[(int) theta.length()];
            double loss = 0;
            for (double[] o : outs) {
                if (o.length == 1) { // a partition of held-out rows only
                    continue;
                }
                double w = d.trainRows((int) o[0]) / (double) n;
                for (int i = 0; i < avg.length; i++) {
                    avg[i] += w * o[i + 1];
                }
                loss += w * o[o.length - 1];
            }
            if (!Double.isFinite(loss)) {
                stop = StopReason.DIVERGED;
                message = String.format(Locale.ROOT, "diverged at round %d: mean batch loss = %s", round + 1, loss);
                break;
            }
            theta.assign(Nd4j.createFromArray(avg).reshape(theta.shape()).castTo(theta.dataType()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            epoch(history, listeners, round, loss, testMse(theta), optimizer.schedule().rate(0, round), data.partitions(), n,
                    seconds, theta);
            checkpoint(ck, config, round + 1, theta, new INDArray[0], history, run);
        }
        return end(listeners, theta, history, stop, message);
    }

    /** What a checkpoint records of a cluster run, and a resume must match. */
    private Map<String, Object> describe(String solver, Optimizer opt, Trainer.Config config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("solver", solver);
        m.put("optimizer", opt.hyperparameters().toString());
        m.put("batch_size", config.batchSize());
        m.put("shuffle", config.shuffle());
        m.put("seed", config.seed());
        m.put("data", data.describe());
        m.put("partitions", data.partitions());
        m.put("train_rows", data.trainRows());
        m.put("test_rows", test.testRows()); // absent from older checkpoints: read as 0 (Trainer.requireSameRun)
        m.put("dtype", data.dataType().toString());
        return m;
    }

    /** Writes a checkpoint after {@code rounds} rounds when they are a multiple of ck's interval (and not the last). */
    private static void checkpoint(Trainer.Checkpointing ck, Trainer.Config config, int rounds, INDArray theta, INDArray[] state,
            List<EpochStats> history, Map<String, Object> run) {
        if (ck == null || rounds % ck.every() != 0 || rounds >= config.epochs()) {
            return;
        }
        save(ck, rounds, theta, state, history, run);
    }

    /** A stop asked for before round {@code round} (0-based): the checkpoint of the rounds done, and what to say. */
    private String interrupted(Trainer.Checkpointing ck, int round, Trainer.Config config, INDArray theta, INDArray[] state,
            List<EpochStats> history, Map<String, Object> run) {
        stopRequested = false;
        if (ck != null && round > 0) {
            save(ck, round, theta, state, history, run);
        }
        return String.format(Locale.ROOT, "interrupted after round %d of %d", round, config.epochs());
    }

    private static void save(Trainer.Checkpointing ck, int rounds, INDArray theta, INDArray[] state, List<EpochStats> history,
            Map<String, Object> run) {
        Map<String, Object> info = new LinkedHashMap<>(run);
        info.putAll(ck.runInfo());
        try {
            new Checkpoint(theta, state, rounds, rounds, Double.NaN, Double.NaN, history, info, Checkpoint.EpochProgress.NONE)
                    .save(ck.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(ck.file() + ": cannot write checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /** The seed of partition p's shuffle in a round: a pure function of (run seed, round, partition). */
    static long seed(long seed, int round, int p) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (round + 1L)) ^ (0xC2B2AE3D27D4EB4FL * (p + 1L));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One epoch of the engine's loop on partition p's rows from θ: [p, θ after…, the epoch's mean batch loss]. */
    static double[] localEpoch(Dataset rows, double[] theta, Optimizer optimizer, Trainer.Config config, int round, int p) {
        int nx = rows.inputs();
        int m = rows.outputs();
        LinearModel from = LinearModel.fromStacked(Nd4j.createFromArray(theta).reshape(nx + 1, m).castTo(rows.dataType()));
        Trainer.Config one = config.withEpochs(1).withTolerance(0).withSeed(seed(config.seed(), round, p));
        if (one.batchFor(rows.size()) > rows.size()) { // a partition smaller than a batch: one batch of its rows
            one = one.withBatchSize((int) rows.size());
        }
        TrainingResult r = new Trainer(optimizer, one).train(rows, null, from);
        double[] th = plain(r.model().stacked());
        double[] out = new double[th.length + 2];
        out[0] = p;
        System.arraycopy(th, 0, out, 1, th.length);
        out[out.length - 1] = r.last() == null ? Double.NaN : r.last().trainLoss();
        return out;
    }

    /**
     * Least squares by the normal equations: one pass of [X 1]ᵀ[X 1] and [X 1]ᵀY in each partition, summed
     * on the driver in partition order.
     */
    public NormalEquations exact() {
        ClusterData d = data;
        List<double[]> sums = onPartitions((p, rows) -> {
            NormalEquations.Accumulator acc = new NormalEquations.Accumulator(rows.inputs(), rows.outputs());
            Dataset t = d.train(p, rows);
            if (t != null) {
                acc.add(t.x(), t.y());
            }
            double[] s = acc.sums();
            double[] o = new double[s.length + 1];
            o[0] = p;
            System.arraycopy(s, 0, o, 1, s.length);
            return o;
        });
        NormalEquations.Accumulator total = new NormalEquations.Accumulator(data.inputs(), data.outputs());
        for (double[] s : sums) {
            total.merge(java.util.Arrays.copyOfRange(s, 1, s.length));
        }
        return total.finish(null, null);
    }

    /** The training MSE of {@code model} over every training row, by one pass on the cluster. */
    public double mse(LinearModel model) {
        double[] total = gradientSums(model.stacked());
        return total[total.length - 1] / ((double) data.trainRows() * data.outputs());
    }

    /**
     * The MSE at θ over the held-out rows, by one job (each partition's Σ r² added in partition order); NaN
     * when none are held out.
     */
    public double testMse(INDArray theta) {
        if (test.testRows() == 0) {
            return Double.NaN;
        }
        ClusterData d = test;
        Broadcast<double[]> b = sc.broadcast(plain(theta));
        List<double[]> sums = onPartitions(test, testParts, (p, rows) -> new double[] {p, squaredError(d, p, d.test(p, rows), b.value())});
        b.destroy();
        double total = 0;
        for (double[] s : sums) {
            total += s[1];
        }
        return total / ((double) test.testRows() * data.outputs());
    }

    /** Rows the test MSE is over: held out of this data, or a test set's. */
    public long testRows() {
        return test.testRows();
    }

    /**
     * The MSE at θ (trained on this data as scaled) over the held-out rows in the data's own units: each output's
     * Σ r² times its Y scale squared (scaling X changes no residual), by one job; NaN when none are held out.
     */
    public double testMseInDataUnits(INDArray theta) {
        Scaler ys = data.yScaler();
        if (ys.isIdentity() || test.testRows() == 0) {
            return testMse(theta);
        }
        ClusterData d = test;
        Broadcast<double[]> b = sc.broadcast(plain(theta));
        List<double[]> sums = onPartitions(test, testParts, (p, rows) -> {
            double[] col = columnSquaredErrors(d.test(p, rows), b.value(), d.outputs());
            double[] out = new double[1 + col.length];
            out[0] = p;
            System.arraycopy(col, 0, out, 1, col.length);
            return out;
        });
        b.destroy();
        double total = 0;
        for (double[] s : sums) {
            for (int k = 0; k < data.outputs(); k++) {
                total += s[1 + k] * ys.scale()[k] * ys.scale()[k];
            }
        }
        return total / ((double) test.testRows() * data.outputs());
    }

    /** Each output's Σ r² at θ over {@code rows} (null: none), in float64, in blocks of {@link ClusterData#PASS_BLOCK} rows. */
    static double[] columnSquaredErrors(Dataset rows, double[] theta, int ny) {
        double[] out = new double[ny];
        if (rows == null) {
            return out;
        }
        INDArray th = Nd4j.createFromArray(theta).reshape(rows.inputs() + 1, ny);
        INDArray w = th.get(NDArrayIndex.interval(0, rows.inputs()), NDArrayIndex.all());
        INDArray bias = th.getRow(rows.inputs());
        for (long r = 0; r < rows.size(); r += ClusterData.PASS_BLOCK) {
            Dataset blk = rows.rows(r, Math.min(rows.size(), r + ClusterData.PASS_BLOCK));
            INDArray res = blk.x().castTo(DataType.DOUBLE).mmul(w).addiRowVector(bias).subi(blk.y().castTo(DataType.DOUBLE));
            double[] sq = res.muli(res).sum(0).toDoubleVector();
            for (int k = 0; k < ny; k++) {
                out[k] += sq[k];
            }
        }
        return out;
    }

    /** Σ r² at θ over partition p's held-out rows ({@code rows}: null when it has none), by the kernel in blocks. */
    static double squaredError(ClusterData data, int p, Dataset rows, double[] theta) {
        if (rows == null) {
            return 0;
        }
        INDArray th = Nd4j.createFromArray(theta).reshape(rows.inputs() + 1, rows.outputs()).castTo(rows.dataType()).dup('c');
        return data.kernel(p, "test", rows).squaredErrorSum(th);
    }

    /**
     * Every row's Σ Xᵀr and Σ r at θ (row-major), then Σ r², by one job: each partition's sums added in
     * partition order, the same sum whatever ran where.
     */
    private double[] gradientSums(INDArray theta) {
        ClusterData d = data;
        Broadcast<double[]> b = sc.broadcast(plain(theta));
        List<double[]> sums = onPartitions((p, rows) -> gradientSum(d, p, d.train(p, rows), b.value()));
        b.destroy();
        double[] total = new double[(int) theta.length() + 1];
        for (double[] s : sums) {
            for (int i = 0; i < total.length; i++) {
                total[i] += s[i + 1];
            }
        }
        return total;
    }

    /** The seconds of one round that does no work: a broadcast of θ's size and a collect from every partition. */
    public double emptyRound() {
        long t0 = System.nanoTime();
        Broadcast<double[]> b = sc.broadcast(new double[(data.inputs() + 1) * data.outputs()]);
        onPartitions((p, rows) -> new double[] {p, b.value().length});
        b.destroy();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The partitions' RDD (kept in executor memory). */
    JavaRDD<Object> partitions() {
        return parts;
    }

    /** What a partition computes: [p, values…] from its index and its rows. */
    interface PartitionWork extends java.io.Serializable {
        double[] call(int p, Dataset rows) throws Exception;
    }

    /**
     * {@code work} on every partition, where its rows are kept, with the cores its task was given (a kernel
     * made there starts no gather helper on a task of one CPU); the results in partition order.
     */
    private List<double[]> onPartitions(PartitionWork work) {
        return onPartitions(data, parts, work);
    }

    /** As {@link #onPartitions(PartitionWork)}, on the partitions {@code rdd} of {@code d}. */
    private static List<double[]> onPartitions(ClusterData d, JavaRDD<Object> rdd, PartitionWork work) {
        try {
            return collectOrdered(d, rdd, work);
        } catch (Exception e) { // Scala's SparkException is checked in Java's eyes, and thrown all the same
            IllegalArgumentException bad = ClusterData.badInput(e);
            if (bad != null) {
                throw bad;
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static List<double[]> collectOrdered(ClusterData d, JavaRDD<Object> rdd, PartitionWork work) {
        return ordered(rdd.mapPartitionsWithIndex((Integer p, java.util.Iterator<Object> it) -> {
            Dataset rows = d.partition(p, it.hasNext() ? it.next() : null);
            return List.of(inTask(() -> work.call(p, rows))).iterator();
        }, true).collect());
    }

    /**
     * Runs {@code body} within the CPUs of the Spark task on this thread ({@code spark.task.cpus}, 1 by default):
     * the executor's JVM sees every core of its machine, and a kernel's gather helper on a task of one CPU would
     * take a core the scheduler gave another task (two executors of one core each on two cores: local-sgd rounds
     * of 0.39-0.56 s with the helpers, 0.29-0.41 s without). Outside a task, as it is.
     */
    static <T> T inTask(java.util.concurrent.Callable<T> body) throws Exception {
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        return task == null ? body.call() : Cores.within(task.cpus(), body);
    }

    /** Results sorted by their partition index (element 0). */
    private static List<double[]> ordered(List<double[]> results) {
        List<double[]> sorted = new ArrayList<>(results);
        sorted.sort(java.util.Comparator.comparingDouble(a -> a[0]));
        return sorted;
    }

    private void start(TrainingListener[] listeners, Trainer.Config config, Optimizer opt, int batchesPerRound) {
        var info = new dev.descent.engine.TrainingInfo(data.trainRows(), test.testRows(), data.inputs(), data.outputs(),
                data.dataType(), config.batchFor(data.trainRows()), batchesPerRound, config.epochs(), opt.name(), KernelKind.AUTO.resolve());
        for (TrainingListener l : listeners) {
            l.onStart(info);
        }
    }

    /** A round's record; its seconds are the training's, the test pass (testLoss, NaN without test rows) not counted. */
    private static void epoch(List<EpochStats> history, TrainingListener[] listeners, int round, double loss, double testLoss,
            double rate, int batches, long rows, double seconds, INDArray theta) {
        EpochStats s = new EpochStats(round, loss, testLoss, rate, batches, rows, seconds);
        history.add(s);
        for (TrainingListener l : listeners) {
            l.onEpoch(s);
            if (l.wantsModel()) {
                l.onEpochModel(round, LinearModel.fromStacked(theta.dup()));
            }
        }
    }

    private static TrainingResult end(TrainingListener[] listeners, INDArray theta, List<EpochStats> history, StopReason stop,
            String message) {
        double seconds = history.stream().mapToDouble(EpochStats::seconds).sum();
        TrainingResult r = new TrainingResult(LinearModel.fromStacked(theta), history, stop, message, history.size(), seconds);
        for (TrainingListener l : listeners) {
            l.onEnd(r);
        }
        return r;
    }
}
