package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.gpu.Device;
import dev.descent.gpu.DeviceBlock;
import dev.descent.gpu.Devices;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link LinearModel} by mini-batch gradient descent. Reusable: each {@link #train} call
 * copies the optimizer (fresh state) and seeds its own batch order from the configuration, so two calls
 * with the same inputs give the same bits. The hot loop allocates nothing: the kernel, the parameter
 * buffer θ = [W; B], its gradient and the optimizer state are all allocated before the first step.
 */
public final class Trainer {

    /**
     * @param batchSize rows per batch; 0 means the whole training set (full-batch gradient descent)
     * @param epochs the most epochs to run
     * @param shuffle reshuffle the rows at the start of every epoch (seeded)
     * @param dropLast drop the last partial batch of an epoch (numpy-loop style) instead of using it
     * @param tolerance stop when |Δ epoch loss| &lt; tolerance; 0 disables
     * @param divergenceFactor stop as diverged when the epoch loss exceeds this multiple of the first batch's
     * @param seed seeds the shuffle
     * @param kernel which gradient kernel
     * @param explainDivergence on divergence, compute the data's critical learning rate for the message
     * @param threads threads each batch is split over (blas kernel; {@link ThreadedKernel}); 1 for one thread and its
     *     gather helper. Part of a run's bits
     */
    public record Config(int batchSize, int epochs, boolean shuffle, boolean dropLast, double tolerance,
            double divergenceFactor, long seed, KernelKind kernel, boolean explainDivergence, StopRule stopRule, int threads)
            implements java.io.Serializable {

        /** With the default stop rule: |Δ mean batch loss| between epochs. */
        public Config(int batchSize, int epochs, boolean shuffle, boolean dropLast, double tolerance, double divergenceFactor,
                long seed, KernelKind kernel, boolean explainDivergence) {
            this(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence,
                    StopRule.EPOCH_LOSS);
        }

        /** One thread per batch (and its gather helper). */
        public Config(int batchSize, int epochs, boolean shuffle, boolean dropLast, double tolerance, double divergenceFactor,
                long seed, KernelKind kernel, boolean explainDivergence, StopRule stopRule) {
            this(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, 1);
        }

        public Config {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batch size must be >= 1 (or 0 for full batch), got " + batchSize);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tolerance);
            }
            if (!(divergenceFactor > 1)) {
                throw new IllegalArgumentException("divergence factor must be > 1, got " + divergenceFactor);
            }
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(stopRule, "stopRule");
            kernel.checkThreads(threads);
        }

        /** Batch 32, 10 epochs, shuffled, partial batch kept, no tolerance, factor 1e6, seed 42, AUTO kernel. */
        public static Config defaults() {
            return new Config(32, 10, true, false, 0, 1e6, 42, KernelKind.AUTO, true, StopRule.EPOCH_LOSS);
        }

        public Config withBatchSize(int b) {
            return new Config(b, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withEpochs(int e) {
            return new Config(batchSize, e, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withShuffle(boolean s) {
            return new Config(batchSize, epochs, s, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withDropLast(boolean d) {
            return new Config(batchSize, epochs, shuffle, d, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withTolerance(double t) {
            return new Config(batchSize, epochs, shuffle, dropLast, t, divergenceFactor, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withSeed(long s) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, s, kernel, explainDivergence, stopRule, threads);
        }

        public Config withStopRule(StopRule r) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, r, threads);
        }

        public Config withDivergenceFactor(double f) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, f, seed, kernel, explainDivergence, stopRule, threads);
        }

        public Config withKernel(KernelKind k) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, k, explainDivergence, stopRule, threads);
        }

        public Config withThreads(int t) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule, t);
        }

        /**
         * The end-of-epoch stop rules: null to go on; DIVERGED when the epoch loss exceeds the divergence
         * factor × the first batch's (the message says what grew), CONVERGED when |Δ epoch loss| &lt; tolerance.
         */
        public Stop afterEpoch(int epoch, double trainLoss, double firstLoss, double prevLoss) {
            if (trainLoss > divergenceFactor * Math.max(firstLoss, Double.MIN_NORMAL)) {
                return new Stop(StopReason.DIVERGED, String.format(Locale.ROOT, "loss %.4g grew past %.0e × the first batch's %.4g",
                        trainLoss, divergenceFactor, firstLoss));
            }
            if (tolerance > 0 && stopRule == StopRule.EPOCH_LOSS && Math.abs(trainLoss - prevLoss) < tolerance) {
                return new Stop(StopReason.CONVERGED, String.format(Locale.ROOT,
                        "converged: |Δloss| = %.3g < tolerance %.3g after epoch %d", Math.abs(trainLoss - prevLoss), tolerance,
                        epoch + 1));
            }
            return null;
        }

        /** The batch size for a training set of n rows (0 means n). */
        public int batchFor(long n) {
            return batchSize == 0 ? (int) Math.min(n, Integer.MAX_VALUE) : batchSize;
        }
    }

    /**
     * What {@code --tol} compares, and when. {@link #EPOCH_LOSS} (the default): the mean batch loss of an
     * epoch against the previous epoch's. The others compare after every step ({@code STEP_*}) or every
     * epoch ({@code EPOCH_THETA}): the loss on the whole training set, as a mean over N·m elements or a sum
     * of squares, or the change ‖Δθ‖₂ of the parameters, as seed 004's loop checks its sum of squares after
     * every iteration.
     */
    public enum StopRule {
        EPOCH_LOSS, STEP_LOSS_MEAN, STEP_LOSS_SUM, STEP_THETA, EPOCH_THETA;

        boolean everyStep() {
            return this == STEP_LOSS_MEAN || this == STEP_LOSS_SUM || this == STEP_THETA;
        }

        boolean onTheta() {
            return this == STEP_THETA || this == EPOCH_THETA;
        }

        /** What is compared, in words. */
        public String describe() {
            return switch (this) {
                case EPOCH_LOSS -> "|Δ mean batch loss| between epochs";
                case STEP_LOSS_MEAN -> "|Δ training-set MSE| between steps";
                case STEP_LOSS_SUM -> "|Δ training-set sum of squares| between steps";
                case STEP_THETA -> "‖Δθ‖₂ between steps";
                case EPOCH_THETA -> "‖Δθ‖₂ between epochs";
            };
        }
    }

    /** Why a run stops early and what to say. */
    public record Stop(StopReason reason, String message) {
    }

    private final Optimizer optimizer;
    private final Config config;
    private final EpochLoop loop;

    private final Function<DataType, Device> devices;

    public Trainer(Optimizer optimizer, Config config) {
        this(optimizer, config, Devices::cuda);
    }

    /** @param devices opens the device that {@link KernelKind#CUDA} trains on, for the data's dtype */
    public Trainer(Optimizer optimizer, Config config, Function<DataType, Device> devices) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.loop = new EpochLoop(config);
    }

    public Config config() {
        return config;
    }

    /**
     * Asks the run in progress (or the next one) to stop at the next step boundary, writing a checkpoint
     * there when checkpoints are on; it then ends with {@link StopReason#INTERRUPTED}. Safe to call from
     * any thread, a signal handler's included.
     */
    public void requestStop() {
        loop.requestStop();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Where and how often to write checkpoints, and what to record about the run in them. */
    public record Checkpointing(java.nio.file.Path file, int every, java.util.Map<String, Object> runInfo) {
        public Checkpointing {
            if (every < 1) {
                throw new IllegalArgumentException("checkpoint interval must be >= 1 epoch, got " + every);
            }
            runInfo = java.util.Map.copyOf(runInfo);
        }
    }

    /**
     * Trains from {@code initial} on {@code train}, evaluating on {@code test} (may be null) after each
     * epoch. Inputs: not modified.
     *
     * @throws IllegalArgumentException when shapes or dtypes disagree or the batch size exceeds the data
     */
    public TrainingResult train(Dataset train, Dataset test, LinearModel initial, TrainingListener... listeners) {
        return train(train, test, initial, null, listeners);
    }

    /** As {@link #train(Dataset, Dataset, LinearModel, TrainingListener...)}, writing checkpoints. */
    public TrainingResult train(Dataset train, Dataset test, LinearModel initial, Checkpointing ck,
            TrainingListener... listeners) {
        Objects.requireNonNull(initial, "initial");
        check(train, test, initial.inputs(), initial.outputs());
        INDArray theta = initial.stacked().castTo(train.dataType()).dup('c');
        return run(train, test, theta, null, ck, listeners);
    }

    /**
     * Continues a run from a checkpoint written by a run with the same data, optimizer and configuration:
     * the result is bit-identical to the uninterrupted run's.
     *
     * @throws IllegalArgumentException when the checkpoint does not belong to this run
     */
    public TrainingResult resume(Dataset train, Dataset test, Checkpoint c, Checkpointing ck, TrainingListener... listeners) {
        Objects.requireNonNull(c, "checkpoint");
        check(train, test, c.theta().rows() - 1, c.theta().columns());
        return run(train, test, c.theta().dup('c'), c, ck, listeners);
    }

    private TrainingResult run(Dataset train, Dataset test, INDArray theta, Checkpoint c, Checkpointing ck,
            TrainingListener... listeners) {
        Batches src = new MemoryBatches(train, new BatchOrder(train.size(), config.batchFor(train.size()), config.shuffle(),
                config.dropLast(), config.seed()));
        if (c != null) {
            checkResume(c, optimizer, loop, src, config);
        }
        KernelKind kind = config.kernel().resolve();
        EpochLoop.Evaluation eval = EpochLoop.Evaluation.NONE;
        if (test != null) {
            GradientKernel k = kind.create(test, (int) Math.min(test.size(), Math.max(src.layout().batchSize(), Tuning.EVAL_BATCH)),
                    config.threads());
            eval = new EpochLoop.Evaluation(k::mse, test.size());
        }
        INDArray[] state = c == null ? null : c.optimizerState();
        long steps = c == null ? 0 : c.steps();
        EpochLoop.Start start = c == null ? EpochLoop.Start.fresh() : EpochLoop.Start.of(c);
        if (kind != KernelKind.CUDA) {
            ModelBlock block = new ModelBlock(optimizer, theta, state, steps, src, kind, config.threads(), config.explainDivergence());
            return loop.run(src, block, eval, start, ck, listeners);
        }
        try (Device dev = devices.apply(train.dataType())) {
            DeviceBlock block = new DeviceBlock(dev, optimizer, theta, state, steps, (MemoryBatches) src, config.explainDivergence());
            return loop.run(src, block, eval, start, ck, listeners);
        }
    }

    /**
     * Refuses a checkpoint that another run wrote: its dtype, epochs and every recorded setting (the
     * optimizer's, the batching's, the data's shape) must match this run's.
     */
    static void checkResume(Checkpoint c, Optimizer optimizer, EpochLoop loop, Batches src, Config config) {
        if (c.theta().dataType() != src.layout().dataType()) {
            throw new IllegalArgumentException("the checkpoint holds " + c.theta().dataType() + " parameters but the data is "
                    + src.layout().dataType());
        }
        requireSameRun(c, loop.describe(optimizer.copy().hyperparameters().toString(), src), config.epochs(), "epoch");
    }

    /** Entries that checkpoints of older versions lack, with the value those runs had. */
    private static final java.util.Map<String, Object> LATER_ENTRIES = java.util.Map.of("stop_rule", StopRule.EPOCH_LOSS.name(),
            "threads", 1, "test_rows", 0);

    /**
     * Refuses a checkpoint whose record differs from {@code mine} in any entry (compared as {@link #canonical}
     * text) or that is past this run's last {@code unit} ("epoch", "round").
     */
    public static void requireSameRun(Checkpoint c, java.util.Map<String, Object> mine, int epochs, String unit) {
        for (var e : mine.entrySet()) {
            Object theirs = c.describe().containsKey(e.getKey()) ? c.describe().get(e.getKey()) : LATER_ENTRIES.get(e.getKey());
            if (!canonical(e.getValue()).equals(canonical(theirs))) {
                throw new IllegalArgumentException("the checkpoint was written by a run with " + e.getKey() + " = " + theirs
                        + ", this run has " + e.getValue());
            }
        }
        if (c.epochsDone() > epochs) {
            throw new IllegalArgumentException("the checkpoint is after " + unit + " " + c.epochsDone() + " but this run has only "
                    + epochs + " " + unit + "s");
        }
    }

    /**
     * A recorded value as compared on resume: a map's text "{k=v, ...}" with its entries sorted, so that
     * checkpoints written while the entries' order changed from one JVM to the next still match.
     */
    static String canonical(Object value) {
        String s = String.valueOf(value);
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return s;
        }
        String[] entries = s.substring(1, s.length() - 1).split(", ");
        java.util.Arrays.sort(entries);
        return "{" + String.join(", ", entries) + "}";
    }

    private static void check(Dataset train, Dataset test, long inputs, long outputs) {
        Objects.requireNonNull(train, "train");
        if (inputs != train.inputs() || outputs != train.outputs()) {
            throw new IllegalArgumentException("the model is " + inputs + "→" + outputs + " but the data is "
                    + train.inputs() + "→" + train.outputs());
        }
        if (test != null && (test.inputs() != train.inputs() || test.outputs() != train.outputs()
                || test.dataType() != train.dataType())) {
            throw new IllegalArgumentException("test set shape/dtype differs from the training set");
        }
    }
}
