package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
     */
    public record Config(int batchSize, int epochs, boolean shuffle, boolean dropLast, double tolerance,
            double divergenceFactor, long seed, KernelKind kernel, boolean explainDivergence, StopRule stopRule) {

        /** With the default stop rule: |Δ mean batch loss| between epochs. */
        public Config(int batchSize, int epochs, boolean shuffle, boolean dropLast, double tolerance, double divergenceFactor,
                long seed, KernelKind kernel, boolean explainDivergence) {
            this(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence,
                    StopRule.EPOCH_LOSS);
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
        }

        /** Batch 32, 10 epochs, shuffled, partial batch kept, no tolerance, factor 1e6, seed 42, AUTO kernel. */
        public static Config defaults() {
            return new Config(32, 10, true, false, 0, 1e6, 42, KernelKind.AUTO, true, StopRule.EPOCH_LOSS);
        }

        public Config withBatchSize(int b) {
            return new Config(b, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule);
        }

        public Config withEpochs(int e) {
            return new Config(batchSize, e, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule);
        }

        public Config withShuffle(boolean s) {
            return new Config(batchSize, epochs, s, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule);
        }

        public Config withDropLast(boolean d) {
            return new Config(batchSize, epochs, shuffle, d, tolerance, divergenceFactor, seed, kernel, explainDivergence, stopRule);
        }

        public Config withTolerance(double t) {
            return new Config(batchSize, epochs, shuffle, dropLast, t, divergenceFactor, seed, kernel, explainDivergence, stopRule);
        }

        public Config withSeed(long s) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, s, kernel, explainDivergence, stopRule);
        }

        public Config withStopRule(StopRule r) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, kernel, explainDivergence, r);
        }

        public Config withKernel(KernelKind k) {
            return new Config(batchSize, epochs, shuffle, dropLast, tolerance, divergenceFactor, seed, k, explainDivergence, stopRule);
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
    private volatile boolean stopRequested;

    public Trainer(Optimizer optimizer, Config config) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
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
        stopRequested = true;
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
        return run(train, test, theta, null, 0, 0, Double.NaN, Double.NaN, Checkpoint.EpochProgress.NONE, new ArrayList<>(), ck,
                listeners);
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
        if (c.theta().dataType() != train.dataType()) {
            throw new IllegalArgumentException("the checkpoint holds " + c.theta().dataType() + " parameters but the data is "
                    + train.dataType());
        }
        java.util.Map<String, Object> mine = describe(optimizer.copy(), train);
        for (var e : mine.entrySet()) {
            Object theirs = c.describe().get(e.getKey());
            if (!canonical(e.getValue()).equals(canonical(theirs))) {
                throw new IllegalArgumentException("the checkpoint was written by a run with " + e.getKey() + " = " + theirs
                        + ", this run has " + e.getValue());
            }
        }
        if (c.epochsDone() > config.epochs()) {
            throw new IllegalArgumentException("the checkpoint is after epoch " + c.epochsDone() + " but this run has only "
                    + config.epochs() + " epochs");
        }
        return run(train, test, c.theta().dup('c'), c.optimizerState(), c.epochsDone(), c.steps(), c.firstLoss(), c.prevLoss(),
                c.progress(), new ArrayList<>(c.history()), ck, listeners);
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

    /** What must match for a resume: optimizer, batching, seed, shapes, dtype. */
    private java.util.Map<String, Object> describe(Optimizer opt, Dataset train) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("optimizer", opt.hyperparameters().toString());
        m.put("batch_size", config.batchFor(train.size()));
        m.put("shuffle", config.shuffle());
        m.put("drop_last", config.dropLast());
        m.put("seed", config.seed());
        m.put("tolerance", config.tolerance());
        if (config.stopRule() != StopRule.EPOCH_LOSS) { // recorded only when not the default: older checkpoints match
            m.put("stop_rule", config.stopRule().name());
        }
        m.put("train_rows", train.size());
        m.put("inputs", train.inputs());
        m.put("outputs", train.outputs());
        m.put("dtype", train.dataType().toString());
        return m;
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

    private TrainingResult run(Dataset train, Dataset test, INDArray theta, INDArray[] savedState, int startEpoch,
            long startStep, double firstLossIn, double prevLossIn, Checkpoint.EpochProgress partial, List<EpochStats> history,
            Checkpointing ck, TrainingListener... listeners) {
        int b = config.batchFor(train.size());
        BatchOrder order = new BatchOrder(train.size(), b, config.shuffle(), config.dropLast(), config.seed());
        KernelKind kind = config.kernel().resolve();
        GradientKernel kernel = kind.create(train, b);
        GradientKernel testKernel = test == null ? null : kind.create(test, (int) Math.min(test.size(), Math.max(b, 4096)));

        INDArray grad = Nd4j.zeros(train.dataType(), theta.rows(), theta.columns());
        dev.descent.data.HostMemory.Rows gradRows = dev.descent.data.HostMemory.cpuBackend() ? new dev.descent.data.HostMemory.Rows(grad) : null;
        Optimizer opt = optimizer.copy();
        opt.init(theta.length(), train.dataType());
        if (savedState != null) {
            opt.restore(savedState, startStep);
        }
        java.util.Map<String, Object> runInfo = new java.util.LinkedHashMap<>(describe(opt, train));
        if (ck != null) {
            runInfo.putAll(ck.runInfo());
        }

        int batches = order.batches();
        TrainingInfo info = new TrainingInfo(train.size(), test == null ? 0 : test.size(), train.inputs(),
                train.outputs(), train.dataType(), b, batches, config.epochs(), opt.name(), kind);
        for (TrainingListener l : listeners) {
            l.onStart(info);
        }
        int progressEvery = Math.max(1, batches / 100);
        long t = startStep;
        double firstLoss = firstLossIn;
        double prevLoss = prevLossIn;
        StopReason stop = StopReason.EPOCHS;
        String message = null;
        // The model after the last epoch that passed the stop rules (the starting one before any): what a
        // diverged run keeps.
        INDArray lastGood = theta.dup('c');
        int lastGoodEpochs = startEpoch;
        StepCheck rule = new StepCheck(config.stopRule(), theta, kind, train);
        String stepStop = null;

        epochs:
        for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
            order.startEpoch(epoch);
            int[] ord = order.shuffled() ? order.order() : null;
            boolean continuing = epoch == startEpoch && partial.batchesDone() > 0;
            double sum = continuing ? partial.lossSum() : 0;
            long rows = continuing ? partial.rows() : 0;
            double before = continuing ? partial.seconds() : 0;
            long start = System.nanoTime();
            for (int k = continuing ? partial.batchesDone() : 0; k < batches; k++) {
                if (stopRequested) {
                    stopRequested = false;
                    double elapsed = before + (System.nanoTime() - start) / 1e9;
                    stop = StopReason.INTERRUPTED;
                    message = String.format(Locale.ROOT, "interrupted in epoch %d of %d, after batch %d of %d (step %d)",
                            epoch + 1, config.epochs(), k, batches, t);
                    if (ck != null) {
                        save(ck, new Checkpoint(theta, opt.state(), epoch, t, firstLoss, prevLoss, history, runInfo,
                                new Checkpoint.EpochProgress(k, sum, rows, elapsed)));
                    }
                    break epochs;
                }
                int bs = order.size(k);
                double loss = kernel.gradient(theta, ord, k * b, bs, grad);
                String bad = !Double.isFinite(loss) ? "loss = " + loss
                        : gradRows != null && !finite(gradRows, (int) grad.rows()) ? "the gradient overflowed (non-finite in "
                                + train.dataType() + ") at batch loss " + loss : null;
                if (bad != null) {
                    stop = StopReason.DIVERGED;
                    message = divergence(train, opt, epoch, t, bad);
                    break epochs;
                }
                if (Double.isNaN(firstLoss)) {
                    firstLoss = loss;
                }
                opt.step(theta, grad, t, epoch);
                t++;
                sum += loss * bs;
                rows += bs;
                if ((k + 1) % progressEvery == 0) {
                    for (TrainingListener l : listeners) {
                        l.onProgress(epoch, rows, order.rowsPerEpoch());
                    }
                }
                if (config.stopRule().everyStep() && config.tolerance() > 0) {
                    double change = rule.change(theta);
                    if (change < config.tolerance()) {
                        stepStop = String.format(Locale.ROOT, "converged: %s = %.3g < tolerance %.3g after step %d",
                                config.stopRule().describe(), change, config.tolerance(), t);
                        break;
                    }
                }
            }
            Nd4j.getExecutioner().commit(); // asynchronous backends: finish before reading the clock
            double seconds = before + (System.nanoTime() - start) / 1e9;
            double trainLoss = sum / rows;
            double testLoss = testKernel == null ? Double.NaN : testKernel.mse(theta);
            EpochStats stats = new EpochStats(epoch, trainLoss, testLoss, opt.schedule().rate(t - 1, epoch),
                    batches, rows, seconds);
            history.add(stats);
            LinearModel snapshot = null;
            for (TrainingListener l : listeners) {
                l.onEpoch(stats);
                if (l.wantsModel()) {
                    snapshot = snapshot != null ? snapshot : LinearModel.fromStacked(theta);
                    l.onEpochModel(epoch, snapshot);
                }
            }
            Stop end = config.afterEpoch(epoch, trainLoss, firstLoss, prevLoss);
            if (end == null && stepStop != null) {
                end = new Stop(StopReason.CONVERGED, stepStop);
            }
            if (end == null && config.stopRule() == StopRule.EPOCH_THETA && config.tolerance() > 0) {
                double change = rule.change(theta);
                if (change < config.tolerance()) {
                    end = new Stop(StopReason.CONVERGED, String.format(Locale.ROOT, "converged: %s = %.3g < tolerance %.3g after"
                            + " epoch %d", config.stopRule().describe(), change, config.tolerance(), epoch + 1));
                }
            }
            if (end != null) {
                stop = end.reason();
                message = stop == StopReason.DIVERGED ? divergence(train, opt, epoch, t, end.message()) : end.message();
                break;
            }
            prevLoss = trainLoss;
            lastGood.assign(theta);
            lastGoodEpochs = epoch + 1;
            if (ck != null && (epoch + 1) % ck.every() == 0 && epoch + 1 < config.epochs()) {
                // Only finite states are saved: after a divergence the last finite checkpoint stays. Written
                // synchronously from the live buffers, which do not change until save returns.
                save(ck, new Checkpoint(theta, opt.state(), epoch + 1, t, firstLoss, prevLoss, history, runInfo,
                        Checkpoint.EpochProgress.NONE));
            }
        }
        stopRequested = false;
        double total = history.stream().mapToDouble(EpochStats::seconds).sum();
        boolean diverged = stop == StopReason.DIVERGED;
        TrainingResult result = new TrainingResult(LinearModel.fromStacked(diverged ? lastGood : theta), history, stop, message,
                t, total, diverged ? lastGoodEpochs : history.size());
        for (TrainingListener l : listeners) {
            l.onEnd(result);
        }
        return result;
    }

    /**
     * The change that a stop rule other than the default measures: the training-set loss (mean or sum) or
     * the parameters, against their values at the previous check. The first check only records them (seed
     * 004's loop compares from its second iteration on).
     */
    private static final class StepCheck {
        private final StopRule rule;
        private final INDArray previous;
        private final GradientKernel full;
        private final double scale;
        private double last = Double.NaN;
        private boolean started;

        StepCheck(StopRule rule, INDArray theta, KernelKind kind, Dataset train) {
            this.rule = rule;
            boolean loss = rule == StopRule.STEP_LOSS_MEAN || rule == StopRule.STEP_LOSS_SUM;
            this.previous = rule.onTheta() ? theta.dup('c') : null;
            this.full = loss ? kind.create(train, (int) Math.min(train.size(), Integer.MAX_VALUE)) : null;
            this.scale = rule == StopRule.STEP_LOSS_SUM ? (double) train.size() * train.outputs() : 1;
        }

        /** The change since the previous check; +∞ at the first. θ: not modified. */
        double change(INDArray theta) {
            double c = Double.POSITIVE_INFINITY;
            if (rule.onTheta()) {
                if (started) {
                    c = theta.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                            .sub(previous.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).norm2Number().doubleValue();
                }
                previous.assign(theta);
            } else {
                double now = full.mse(theta) * scale;
                if (started) {
                    c = Math.abs(now - last);
                }
                last = now;
            }
            started = true;
            return c;
        }
    }

    private static void save(Checkpointing ck, Checkpoint c) {
        try {
            c.save(ck.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(ck.file() + ": cannot write checkpoint (" + e.getMessage() + ")", e);
        }
    }

    private static boolean finite(dev.descent.data.HostMemory.Rows rows, int n) {
        for (int r = 0; r < n; r++) {
            if (rows.firstNonFinite(r) >= 0) {
                return false;
            }
        }
        return true;
    }

    private String divergence(Dataset train, Optimizer opt, int epoch, long step, String what) {
        double lr = opt.schedule().rate(step, epoch);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "diverged at epoch %d, step %d: %s with %s learning rate %.6g", epoch + 1, step, what, opt.name(), lr));
        if (config.explainDivergence()) {
            try {
                double lambdaMax = NormalEquations.of(train.x(), train.y()).largestHessianEigenvalue();
                double critical = opt.criticalRate(lambdaMax);
                if (Double.isFinite(critical)) {
                    s.append(String.format(Locale.ROOT,
                            "; the stability limit for full-batch training on this data is %.6g (λmax of the MSE Hessian = %.6g)",
                            critical, lambdaMax));
                }
            } catch (RuntimeException e) {
                s.append("; the stability limit could not be computed: ").append(e.getMessage());
            }
        }
        return s.toString();
    }
}
