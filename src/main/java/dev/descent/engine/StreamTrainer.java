package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.data.RowSource;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains on a {@link RowSource} too large to hold in memory: the rows are read in chunks of
 * {@code chunkRows} (a multiple of the batch size) into one of two buffers while the other trains, so
 * reading chunk i+1 overlaps training on chunk i. Memory: two chunks of X and Y, whatever N is.
 *
 * <p>The batch order differs from {@link Trainer}'s, which shuffles all N rows: here every epoch visits
 * the chunks in a seeded random order and shuffles the rows within each chunk (also seeded), so batches
 * are drawn from one chunk at a time; without shuffling the order is the file's and the batches are the
 * same as Trainer's. Same seed, same bits. The last partial batch (of the last chunk) follows
 * {@code dropLast}; tolerance and non-finite losses stop the run as in Trainer. No test set, no
 * checkpoints.
 */
public final class StreamTrainer {
    private volatile boolean stopRequested;

    /** Asks the run in progress (or the next) to stop before its next step; it ends INTERRUPTED. Any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    private final Optimizer optimizer;
    private final Trainer.Config config;
    private final int chunkRows;

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
    }

    /** Rows per chunk (a multiple of the batch size). */
    public int chunkRows() {
        return chunkRows;
    }

    /** Two chunk buffers of X and Y, a kernel over each, and the reader that fills one while the other trains. */
    private final class Chunks implements AutoCloseable {
        final RowSource src;
        final Dataset[] slots = new Dataset[2];
        final GradientKernel[] kernels = new GradientKernel[2];
        final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "descent-chunk-reader");
            t.setDaemon(true);
            return t;
        });
        final int count;
        final int size;

        Chunks(RowSource src) {
            this.src = src;
            this.size = (int) Math.min(chunkRows, src.rows());
            this.count = (int) ((src.rows() + size - 1) / size);
            KernelKind kind = config.kernel().resolve();
            for (int s = 0; s < 2 && s < count; s++) {
                slots[s] = new Dataset(Nd4j.createUninitialized(src.dataType(), size, src.inputs()),
                        Nd4j.createUninitialized(src.dataType(), size, src.outputs()));
                kernels[s] = kind.create(slots[s], config.batchSize());
            }
        }

        int rows(int chunk) {
            return (int) Math.min(size, src.rows() - (long) chunk * size);
        }

        Future<?> load(int chunk, int slot) {
            return reader.submit(() -> {
                src.read((long) chunk * size, rows(chunk), slots[slot].x(), slots[slot].y());
                return null;
            });
        }

        @Override
        public void close() {
            // No interrupt: an interrupted FileChannel read closes the channel, and the source is reused
            // (final MSE after an early stop). A read still under way is left to finish.
            reader.shutdown();
            try {
                reader.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading data", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (e.getCause() instanceof IllegalArgumentException bad) { // a data file that went bad (truncated): bad input
                throw bad;
            }
            throw new IllegalStateException("reading data failed: " + e.getCause(), e.getCause());
        }
    }

    /** Trains from {@code initial} for {@code config.epochs()} epochs. Inputs: not modified. */
    public TrainingResult train(RowSource src, LinearModel initial, TrainingListener... listeners) {
        Objects.requireNonNull(src, "source");
        if (initial.inputs() != src.inputs() || initial.outputs() != src.outputs()) {
            throw new IllegalArgumentException("the model is " + initial.inputs() + "→" + initial.outputs() + " but the data is "
                    + src.inputs() + "→" + src.outputs());
        }
        int b = config.batchSize();
        if (b > src.rows()) {
            throw new IllegalArgumentException("batch size " + b + " exceeds the " + src.rows() + " rows");
        }
        INDArray theta = initial.stacked().castTo(src.dataType()).dup('c');
        INDArray grad = Nd4j.zeros(src.dataType(), theta.rows(), theta.columns());
        Optimizer opt = optimizer.copy();
        opt.init(theta.length(), src.dataType());
        try (Chunks chunks = new Chunks(src)) {
            BatchOrder chunkOrder = new BatchOrder(chunks.count, 1, config.shuffle(), false, config.seed() ^ 0x5DEECE66DL);
            BatchOrder full = new BatchOrder(chunks.size, b, config.shuffle(), false, config.seed());
            int lastRows = chunks.rows(chunks.count - 1);
            BatchOrder last = lastRows == chunks.size ? null : new BatchOrder(lastRows, b, config.shuffle(), config.dropLast(), config.seed());
            long perEpoch = (long) (chunks.count - (last == null ? 0 : 1)) * full.rowsPerEpoch() + (last == null ? 0 : last.rowsPerEpoch());
            int batchesPerEpoch = (chunks.count - (last == null ? 0 : 1)) * full.batches() + (last == null ? 0 : last.batches());
            TrainingInfo info = new TrainingInfo(src.rows(), 0, src.inputs(), src.outputs(), src.dataType(), b, batchesPerEpoch,
                    config.epochs(), opt.name(), config.kernel().resolve());
            for (TrainingListener l : listeners) {
                l.onStart(info);
            }
            List<EpochStats> history = new ArrayList<>();
            long t = 0;
            double firstLoss = Double.NaN;
            double prevLoss = Double.NaN;
            StopReason stop = StopReason.EPOCHS;
            String message = null;
            int progressEvery = Math.max(1, batchesPerEpoch / 100);
            epochs:
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                chunkOrder.startEpoch(epoch);
                int[] co = chunkOrder.order();
                long start = System.nanoTime();
                Future<?> pending = chunks.load(co[0], 0);
                double sum = 0;
                long rows = 0;
                int done = 0;
                for (int i = 0; i < chunks.count; i++) {
                    int slot = i & 1;
                    await(pending);
                    if (i + 1 < chunks.count) {
                        pending = chunks.load(co[i + 1], 1 - slot);
                    }
                    int c = co[i];
                    BatchOrder order = c == chunks.count - 1 && last != null ? last : full;
                    order.startEpoch(epoch * chunks.count + c); // a different shuffle per (epoch, chunk)
                    int[] ord = order.shuffled() ? order.order() : null;
                    for (int k = 0; k < order.batches(); k++) {
                        if (stopRequested) {
                            stopRequested = false;
                            stop = StopReason.INTERRUPTED;
                            message = String.format(Locale.ROOT, "interrupted in epoch %d of %d (step %d)", epoch + 1,
                                    config.epochs(), t);
                            break epochs;
                        }
                        int bs = order.size(k);
                        double loss = chunks.kernels[slot].gradient(theta, ord, k * b, bs, grad);
                        if (!Double.isFinite(loss)) {
                            stop = StopReason.DIVERGED;
                            message = String.format(Locale.ROOT, "diverged at epoch %d, step %d: loss = %s with %s learning rate %.6g",
                                    epoch + 1, t, loss, opt.name(), opt.schedule().rate(t, epoch));
                            break epochs;
                        }
                        if (Double.isNaN(firstLoss)) {
                            firstLoss = loss;
                        }
                        opt.step(theta, grad, t, epoch);
                        t++;
                        sum += loss * bs;
                        rows += bs;
                        if (++done % progressEvery == 0) {
                            for (TrainingListener l : listeners) {
                                l.onProgress(epoch, rows, perEpoch);
                            }
                        }
                    }
                }
                Nd4j.getExecutioner().commit();
                double seconds = (System.nanoTime() - start) / 1e9;
                double trainLoss = sum / rows;
                EpochStats stats = new EpochStats(epoch, trainLoss, Double.NaN, opt.schedule().rate(t - 1, epoch), done, rows, seconds);
                history.add(stats);
                for (TrainingListener l : listeners) {
                    l.onEpoch(stats);
                }
                Trainer.Stop end = config.afterEpoch(epoch, trainLoss, firstLoss, prevLoss);
                if (end != null) {
                    stop = end.reason();
                    message = stop == StopReason.DIVERGED ? "diverged at epoch " + (epoch + 1) + ": " + end.message() : end.message();
                    break;
                }
                prevLoss = trainLoss;
            }
            double total = history.stream().mapToDouble(EpochStats::seconds).sum();
            TrainingResult result = new TrainingResult(LinearModel.fromStacked(theta), history, stop, message, t, total);
            for (TrainingListener l : listeners) {
                l.onEnd(result);
            }
            return result;
        }
    }

    /** The MSE of {@code model} over every row of {@code src}, read chunk by chunk in file order. Not modified. */
    public double mse(RowSource src, LinearModel model) {
        INDArray theta = model.stacked().castTo(src.dataType()).dup('c');
        try (Chunks chunks = new Chunks(src)) {
            double sum = 0;
            Future<?> pending = chunks.load(0, 0);
            for (int i = 0; i < chunks.count; i++) {
                int slot = i & 1;
                await(pending);
                if (i + 1 < chunks.count) {
                    pending = chunks.load(i + 1, 1 - slot);
                }
                int n = chunks.rows(i);
                for (int s = 0; s < n; s += config.batchSize()) {
                    sum += chunks.kernels[slot].squaredError(theta, s, Math.min(config.batchSize(), n - s));
                }
            }
            return sum / ((double) src.rows() * src.outputs());
        }
    }
}
