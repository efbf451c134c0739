package dev.descent.engine;

import dev.descent.data.RowSource;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains on a {@link RowSource} too large to hold in memory: the one loop ({@link EpochLoop}) over
 * {@link StreamBatches}, which read the rows in chunks of {@code chunkRows} (a multiple of the batch
 * size) into one of two buffers while the other trains. Memory: two chunks of X and Y (and two of the test
 * source's, when there is one), whatever N is. The stop rules, checkpoints and resume are the loop's, as for
 * data in memory; the batch order is {@link StreamBatches}'. Same seed, same bits.
 */
public final class StreamTrainer {
    private final Optimizer optimizer;
    private final Trainer.Config config;
    private final int chunkRows;
    private final EpochLoop loop;

    /**
     * @param chunkRows rows per chunk; rounded down to a multiple of the batch size (at least one batch)
     */
    public StreamTrainer(Optimizer optimizer, Trainer.Config config, int chunkRows) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
        if (config.batchSize() < 1) {
            throw new IllegalArgumentException("streamed training needs a batch size >= 1 (full batch means the whole file in memory)");
        }
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
        }
        int b = config.batchSize();
        this.chunkRows = Math.max(b, chunkRows / b * b);
        this.loop = new EpochLoop(config);
    }

    /** Asks the run in progress (or the next) to stop before its next step; it ends INTERRUPTED. Any thread. */
    public void requestStop() {
        loop.requestStop();
    }

    /** Rows per chunk (a multiple of the batch size). */
    public int chunkRows() {
        return chunkRows;
    }

    /** Trains from {@code initial} for {@code config.epochs()} epochs, no test set, no checkpoints. Inputs: not modified. */
    public TrainingResult train(RowSource src, LinearModel initial, TrainingListener... listeners) {
        return train(src, null, initial, null, listeners);
    }

    /**
     * Trains from {@code initial}, evaluating on {@code test} (may be null; read chunk by chunk too) after
     * each epoch and writing checkpoints when {@code ck} is not null. Inputs: not modified.
     */
    public TrainingResult train(RowSource src, RowSource test, LinearModel initial, Trainer.Checkpointing ck,
            TrainingListener... listeners) {
        Objects.requireNonNull(src, "source");
        if (initial.inputs() != src.inputs() || initial.outputs() != src.outputs()) {
            throw new IllegalArgumentException("the model is " + initial.inputs() + "→" + initial.outputs() + " but the data is "
                    + src.inputs() + "→" + src.outputs());
        }
        return run(src, test, initial.stacked().castTo(src.dataType()).dup('c'), null, ck, listeners);
    }

    /**
     * Continues a streamed run from its checkpoint: the same source, optimizer and configuration give the
     * uninterrupted run's bits.
     *
     * @throws IllegalArgumentException when the checkpoint does not belong to this run
     */
    public TrainingResult resume(RowSource src, RowSource test, Checkpoint c, Trainer.Checkpointing ck,
            TrainingListener... listeners) {
        Objects.requireNonNull(c, "checkpoint");
        if (c.theta().rows() - 1 != src.inputs() || c.theta().columns() != src.outputs()) {
            throw new IllegalArgumentException("the checkpoint's model is " + (c.theta().rows() - 1) + "→" + c.theta().columns()
                    + " but the data is " + src.inputs() + "→" + src.outputs());
        }
        return run(src, test, c.theta().dup('c'), c, ck, listeners);
    }

    private TrainingResult run(RowSource src, RowSource test, INDArray theta, Checkpoint c, Trainer.Checkpointing ck,
            TrainingListener... listeners) {
        if (test != null && (test.inputs() != src.inputs() || test.outputs() != src.outputs() || test.dataType() != src.dataType())) {
            throw new IllegalArgumentException("test set shape/dtype differs from the training set");
        }
        KernelKind kind = config.kernel().resolve();
        if (kind == KernelKind.CUDA) {
            throw new IllegalArgumentException("--kernel cuda trains on data held in memory; streaming files to the GPU is not built");
        }
        try (StreamBatches batches = new StreamBatches(src, chunkRows, config.batchSize(), config.shuffle(), config.dropLast(),
                config.seed());
                StreamBatches testBatches = test == null ? null
                        : new StreamBatches(test, chunkRows, (int) Math.min(config.batchSize(), test.rows()), false, false, 0)) {
            if (c != null) {
                Trainer.checkResume(c, optimizer, loop, batches, config);
            }
            ModelBlock block = new ModelBlock(optimizer, theta, c == null ? null : c.optimizerState(), c == null ? 0 : c.steps(),
                    batches, kind, config.threads(), false);
            EpochLoop.Evaluation eval = testBatches == null ? EpochLoop.Evaluation.NONE
                    : new EpochLoop.Evaluation(th -> testBatches.mse(th, kind), test.rows());
            return loop.run(batches, block, eval, c == null ? EpochLoop.Start.fresh() : EpochLoop.Start.of(c), ck, listeners);
        }
    }

    /** The MSE of {@code model} over every row of {@code src}, read chunk by chunk in file order. Not modified. */
    public double mse(RowSource src, LinearModel model) {
        INDArray theta = model.stacked().castTo(src.dataType()).dup('c');
        try (StreamBatches batches = new StreamBatches(src, chunkRows, (int) Math.min(config.batchSize(), src.rows()), false,
                false, 0)) {
            return batches.mse(theta, config.kernel().resolve());
        }
    }
}
