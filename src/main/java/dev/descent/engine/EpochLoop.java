package dev.descent.engine;

import dev.descent.data.Dataset;
import dev.descent.model.LinearModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop, the one that {@link Trainer} (data in memory), {@link StreamTrainer} (files read in
 * chunks) and the sweep (K models at once) all run: epochs over a {@link Batches} source drive a
 * {@link Block} of parameters, with one set of stop rules (Ctrl-C, a non-finite loss or gradient, the
 * divergence factor, the tolerance in each of its {@link Trainer.StopRule}s), checkpoints at epoch ends
 * and on interruption (resumable mid-epoch), per-epoch history, and listeners. The loop allocates nothing
 * per step; what a step costs is the block's.
 */
public final class EpochLoop {

    /**
     * Parameters trained together, with the kernels and optimizer state that step them: one model
     * ({@link ModelBlock}) or K side by side (a sweep).
     */
    public interface Block {
        /** θ, stepped in place: what checkpoints save and the result returns. */
        INDArray theta();

        /** Writes the gradient of {@code batch} at θ, kept for {@link #update}, and returns the batch's MSE. */
        double gradient(Batches.Batch batch);

        /** Why the gradient just computed must not be used (a non-finite loss or gradient), or null. */
        String problem(double loss);

        /** θ ← one step of the optimizer with the gradient of the last {@link #gradient} call. */
        void update(long t, int epoch);

        /** The learning rate at step t (for the history). */
        double rate(long t, int epoch);

        /** The optimizer's state buffers, live (for checkpoints). */
        INDArray[] state();

        /** What a resume must match: the optimizer and its hyperparameters. */
        String describe();

        /** Said of a divergence at step t: the rate, and whatever else explains it. */
        String explain(String what, long t, int epoch);

        /** Called at the end of each epoch, after the history is written and before the stop rules. */
        default void afterEpoch(int epoch) {
        }

        /** Called when epoch {@code epoch} starts, at batch {@code fromBatch}, after the source's own start. */
        default void startEpoch(int epoch, int fromBatch) {
        }

        /**
         * True for a block whose batch losses stay where they were computed (a GPU's memory) until
         * {@link #settle}: {@link #gradient} returns NaN, and the loop checks the losses, and reads θ and the
         * state, at the epoch's end (and before a checkpoint on interruption). A non-finite loss then stops
         * the run at the epoch's end, with the same message and kept model as a step-by-step check.
         */
        default boolean deferred() {
            return false;
        }

        /**
         * For a deferred block: the MSEs of this epoch's batches {@code from..to−1}, with {@link #theta()} and
         * {@link #state()} brought up to date. Waits for the block's work to finish.
         */
        default double[] settle(int from, int to) {
            throw new UnsupportedOperationException("not a deferred block");
        }
    }

    /** Where a run starts: from scratch, or from a checkpoint. */
    public record Start(INDArray[] state, int epoch, long step, double firstLoss, double prevLoss,
            Checkpoint.EpochProgress partial, List<EpochStats> history) {

        public static Start fresh() {
            return new Start(null, 0, 0, Double.NaN, Double.NaN, Checkpoint.EpochProgress.NONE, List.of());
        }

        public static Start of(Checkpoint c) {
            return new Start(c.optimizerState(), c.epochsDone(), c.steps(), c.firstLoss(), c.prevLoss(), c.progress(),
                    c.history());
        }
    }

    /** A test set's MSE at θ (θ: not modified), and its size. */
    public record Evaluation(ToDoubleFunction<INDArray> mse, long rows) {
        public static final Evaluation NONE = new Evaluation(null, 0);
    }

    private final Trainer.Config config;
    private volatile boolean stopRequested;

    public EpochLoop(Trainer.Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Asks the run in progress (or the next) to stop at the next step boundary. Any thread, a signal handler's too. */
    public void requestStop() {
        stopRequested = true;
    }

    /** What must match for a resume: the optimizer (its hyperparameters' text), batching, seed, rule, shapes, dtype. */
    public Map<String, Object> describe(String optimizer, Batches src) {
        Batches.Layout l = src.layout();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("batch_size", l.batchSize());
        m.put("shuffle", config.shuffle());
        m.put("drop_last", config.dropLast());
        m.put("seed", config.seed());
        m.put("tolerance", config.tolerance());
        m.put("stop_rule", config.stopRule().name()); // older checkpoints lack the next two: see Trainer.requireSameRun
        m.put("threads", config.threads()); // the threads a batch is split over change the bits
        m.put("train_rows", l.rows());
        m.put("inputs", l.inputs());
        m.put("outputs", l.outputs());
        m.put("dtype", l.dataType().toString());
        m.putAll(src.describe());
        return m;
    }

    /**
     * Runs epochs {@code start.epoch()} … {@code config.epochs() − 1} (the first from {@code start.partial()}'s
     * batch on). θ and the block's state: modified. {@code ck}: null for no checkpoints.
     */
    public TrainingResult run(Batches src, Block block, Evaluation test, Start start, Trainer.Checkpointing ck,
            TrainingListener... listeners) {
        INDArray theta = block.theta();
        Map<String, Object> runInfo = new LinkedHashMap<>(describe(block.describe(), src));
        if (ck != null) {
            runInfo.putAll(ck.runInfo());
        }
        Batches.Layout layout = src.layout();
        int batches = layout.batches();
        TrainingInfo info = new TrainingInfo(layout.rows(), test.rows(), layout.inputs(), layout.outputs(), layout.dataType(),
                layout.batchSize(), batches, config.epochs(), block.describe(), config.kernel().resolve());
        for (TrainingListener l : listeners) {
            l.onStart(info);
        }
        List<EpochStats> history = new ArrayList<>(start.history());
        Checkpoint.EpochProgress partial = start.partial();
        int progressEvery = Math.max(1, batches / 100);
        long t = start.step();
        Tally tally = new Tally(start.firstLoss());
        double prevLoss = start.prevLoss();
        StopReason stop = StopReason.EPOCHS;
        String message = null;
        // The model after the last epoch that passed the stop rules (the starting one before any): what a
        // diverged run keeps.
        INDArray lastGood = theta.dup('c');
        int lastGoodEpochs = start.epoch();
        StepCheck rule = new StepCheck(config.stopRule(), theta, src.whole());
        String stepStop = null;
        boolean deferred = block.deferred();
        if (deferred && config.stopRule().everyStep() && config.tolerance() > 0) {
            throw new IllegalArgumentException("the " + config.stopRule().describe() + " stop rule checks every step; "
                    + "this backend reports once an epoch");
        }
        int[] sizes = deferred ? new int[batches] : null;

        epochs:
        for (int epoch = start.epoch(); epoch < config.epochs(); epoch++) {
            boolean continuing = epoch == start.epoch() && partial.batchesDone() > 0;
            int from = continuing ? partial.batchesDone() : 0;
            src.startEpoch(epoch, from);
            block.startEpoch(epoch, from);
            tally.sum = continuing ? partial.lossSum() : 0;
            long rows = continuing ? partial.rows() : 0;
            double before = continuing ? partial.seconds() : 0;
            long clock = System.nanoTime();
            for (int k = from; k < batches; k++) {
                if (stopRequested) {
                    stopRequested = false;
                    if (deferred) {
                        String bad = settle(block, from, k, sizes, t, tally);
                        if (bad != null) {
                            stop = StopReason.DIVERGED;
                            message = diverged(block, epoch, tally.badStep, bad);
                            break epochs;
                        }
                    }
                    double elapsed = before + (System.nanoTime() - clock) / 1e9;
                    stop = StopReason.INTERRUPTED;
                    message = String.format(Locale.ROOT, "interrupted in epoch %d of %d, after batch %d of %d (step %d)",
                            epoch + 1, config.epochs(), k, batches, t);
                    if (ck != null) {
                        save(ck, new Checkpoint(theta, block.state(), epoch, t, tally.first, prevLoss, history, runInfo,
                                new Checkpoint.EpochProgress(k, tally.sum, rows, elapsed)));
                    }
                    break epochs;
                }
                Batches.Batch batch = src.batch(k);
                int bs = batch.size;
                double loss = block.gradient(batch);
                if (deferred) {
                    sizes[k] = bs;
                } else {
                    String bad = tally.add(block, loss, bs, t);
                    if (bad != null) {
                        stop = StopReason.DIVERGED;
                        message = diverged(block, epoch, t, bad);
                        break epochs;
                    }
                }
                block.update(t, epoch);
                t++;
                rows += bs;
                if ((k + 1) % progressEvery == 0) {
                    for (TrainingListener l : listeners) {
                        l.onProgress(epoch, rows, layout.rowsPerEpoch());
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
            if (deferred) { // the epoch's losses and θ (the device's work finishes before the clock is read)
                String bad = settle(block, from, batches, sizes, t, tally);
                if (bad != null) {
                    stop = StopReason.DIVERGED;
                    message = diverged(block, epoch, tally.badStep, bad);
                    break;
                }
            }
            Nd4j.getExecutioner().commit(); // asynchronous backends: finish before reading the clock
            double seconds = before + (System.nanoTime() - clock) / 1e9;
            double trainLoss = tally.sum / rows;
            double testLoss = test.mse() == null ? Double.NaN : test.mse().applyAsDouble(theta);
            EpochStats stats = new EpochStats(epoch, trainLoss, testLoss, block.rate(t - 1, epoch), batches, rows, seconds);
            history.add(stats);
            LinearModel snapshot = null;
            for (TrainingListener l : listeners) {
                l.onEpoch(stats);
                if (l.wantsModel()) {
                    snapshot = snapshot != null ? snapshot : LinearModel.fromStacked(theta);
                    l.onEpochModel(epoch, snapshot);
                }
            }
            block.afterEpoch(epoch);
            Trainer.Stop end = config.afterEpoch(epoch, trainLoss, tally.first, prevLoss);
            if (end == null && stepStop != null) {
                end = new Trainer.Stop(StopReason.CONVERGED, stepStop);
            }
            if (end == null && config.stopRule() == Trainer.StopRule.EPOCH_THETA && config.tolerance() > 0) {
                double change = rule.change(theta);
                if (change < config.tolerance()) {
                    end = new Trainer.Stop(StopReason.CONVERGED, String.format(Locale.ROOT, "converged: %s = %.3g < tolerance"
                            + " %.3g after epoch %d", config.stopRule().describe(), change, config.tolerance(), epoch + 1));
                }
            }
            if (end != null) {
                stop = end.reason();
                message = stop == StopReason.DIVERGED ? diverged(block, epoch, t, end.message()) : end.message();
                break;
            }
            prevLoss = trainLoss;
            lastGood.assign(theta);
            lastGoodEpochs = epoch + 1;
            if (ck != null && (epoch + 1) % ck.every() == 0 && epoch + 1 < config.epochs()) {
                // Only finite states are saved: after a divergence the last finite checkpoint stays. Written
                // synchronously from the live buffers, which do not change until save returns.
                save(ck, new Checkpoint(theta, block.state(), epoch + 1, t, tally.first, prevLoss, history, runInfo,
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
    private final class StepCheck {
        private final Trainer.StopRule rule;
        private final INDArray previous;
        private final GradientKernel full;
        private final double scale;
        private double last = Double.NaN;
        private boolean started;

        StepCheck(Trainer.StopRule rule, INDArray theta, Dataset train) {
            this.rule = rule;
            boolean loss = rule == Trainer.StopRule.STEP_LOSS_MEAN || rule == Trainer.StopRule.STEP_LOSS_SUM;
            if (loss && config.tolerance() > 0 && train == null) {
                throw new IllegalArgumentException("the " + rule.describe() + " stop rule needs the training set in memory");
            }
            this.previous = rule.onTheta() ? theta.dup('c') : null;
            this.full = loss && train != null
                    ? config.kernel().resolve().create(train, (int) Math.min(train.size(), Integer.MAX_VALUE)) : null;
            this.scale = rule == Trainer.StopRule.STEP_LOSS_SUM && train != null ? (double) train.size() * train.outputs() : 1;
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

    /** The epoch's running sum of batch losses × sizes, the run's first batch loss, and the step of a bad one. */
    private static final class Tally {
        double sum;
        double first;
        long badStep;

        Tally(double first) {
            this.first = first;
        }

        /** Adds batch loss {@code loss} of {@code size} rows, run at {@code step}; returns why it must not be used, or null. */
        String add(Block block, double loss, int size, long step) {
            String bad = block.problem(loss);
            if (bad != null) {
                badStep = step;
                return bad;
            }
            if (Double.isNaN(first)) {
                first = loss;
            }
            sum += loss * size;
            return null;
        }
    }

    /**
     * Adds a deferred block's losses of batches {@code from..to−1} (the last of them run just before step t)
     * to the tally, in batch order; returns why one must not be used (its step in {@code tally.badStep}), or null.
     */
    private static String settle(Block block, int from, int to, int[] sizes, long t, Tally tally) {
        double[] losses = block.settle(from, to);
        for (int k = from; k < to; k++) {
            String bad = tally.add(block, losses[k - from], sizes[k], t - (to - k));
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    /** The message of a divergence in an epoch (0-based) at step t: what grew, and the block's explanation. */
    private static String diverged(Block block, int epoch, long t, String what) {
        return block.explain(String.format(Locale.ROOT, "diverged at epoch %d, step %d: %s", epoch + 1, t, what), t, epoch);
    }

    private static void save(Trainer.Checkpointing ck, Checkpoint c) {
        try {
            c.save(ck.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(ck.file() + ": cannot write checkpoint (" + e.getMessage() + ")", e);
        }
    }
}
