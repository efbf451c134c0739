package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.data.RowSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batches of a {@link RowSource} too large to hold in memory, read in chunks of {@code chunkRows} rows (a
 * multiple of the batch size) into one of two buffers while the other trains, so that reading chunk
 * i+1 overlaps training on chunk i. Memory: two chunks of X and Y, whatever N is.
 *
 * <p>The order differs from {@link MemoryBatches}', which shuffles all N rows: every epoch visits the
 * chunks in a seeded random order and shuffles the rows within each chunk (also seeded, per epoch and
 * chunk), so a batch is drawn from one chunk. Without shuffling the order is the file's and the batches
 * are those of MemoryBatches. Every order is a pure function of (seed, epoch), so a run resumes from any
 * batch of any epoch with the same bits.
 */
public final class StreamBatches implements Batches {
    private final RowSource src;
    private final int b;
    private final int size;
    private final int count;
    private final Dataset[] slots = new Dataset[2];
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "descent-chunk-reader");
        t.setDaemon(true);
        return t;
    });
    private final BatchOrder chunkOrder;
    private final BatchOrder full;
    private final BatchOrder last;
    private final int[] first;
    private final Batch batch = new Batch();
    private final Layout layout;
    private int[] chunks;
    private int epoch;
    private int pos;
    private BatchOrder inChunk;
    private Future<?> pending;

    /**
     * @param chunkRows rows per chunk; rounded down to a multiple of the batch size (at least one batch)
     * @throws IllegalArgumentException when the batch size is not in [1, rows]
     */
    public StreamBatches(RowSource src, int chunkRows, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("streamed training needs a batch size >= 1 (full batch means the whole file in memory)");
        }
        if (batchSize > src.rows()) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + src.rows() + " rows");
        }
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
        }
        this.src = src;
        this.b = batchSize;
        this.size = (int) Math.min(Math.max(b, chunkRows / b * b), src.rows());
        this.count = (int) ((src.rows() + size - 1) / size);
        for (int s = 0; s < 2 && s < count; s++) {
            slots[s] = new Dataset(Nd4j.createUninitialized(src.dataType(), size, src.inputs()),
                    Nd4j.createUninitialized(src.dataType(), size, src.outputs()));
        }
        this.chunkOrder = new BatchOrder(count, 1, shuffle, false, dev.descent.data.Seeds.chunkOrder(seed));
        this.full = new BatchOrder(size, b, shuffle, dropLast, seed);
        int lastRows = rows(count - 1);
        this.last = lastRows == size ? full : new BatchOrder(lastRows, b, shuffle, dropLast, seed);
        this.first = new int[count + 1];
        this.layout = new Layout(src.rows(), src.inputs(), src.outputs(), src.dataType(), b,
                (count - 1) * full.batches() + last.batches(), (count - 1) * full.rowsPerEpoch() + last.rowsPerEpoch());
    }

    /** Rows per chunk (a multiple of the batch size, or every row when they fit in one chunk). */
    public int chunkRows() {
        return size;
    }

    private int rows(int chunk) {
        return (int) Math.min(size, src.rows() - (long) chunk * size);
    }

    private BatchOrder orderOf(int chunk) {
        return chunk == count - 1 ? last : full;
    }

    @Override
    public Layout layout() {
        return layout;
    }


    @Override
    public List<Dataset> buffers() {
        return count == 1 ? List.of(slots[0]) : List.of(slots[0], slots[1]);
    }

    @Override
    public void startEpoch(int epoch, int fromBatch) {
        settle();
        this.epoch = epoch;
        chunkOrder.startEpoch(epoch);
        chunks = chunkOrder.order();
        for (int i = 0; i < count; i++) {
            first[i + 1] = first[i] + orderOf(chunks[i]).batches();
        }
        int p = 0;
        while (first[p + 1] <= fromBatch) {
            p++;
        }
        pos = p - 1;
        pending = load(chunks[p], p & 1);
    }

    @Override
    public Batch batch(int k) {
        while (pos < 0 || k >= first[pos + 1]) {
            pos++;
            await(pending);
            pending = pos + 1 < count ? load(chunks[pos + 1], (pos + 1) & 1) : null;
            int c = chunks[pos];
            inChunk = orderOf(c);
            inChunk.startEpoch(epoch * count + c); // a different shuffle per (epoch, chunk)
            batch.buffer = pos & 1;
            batch.order = inChunk.shuffled() ? inChunk.order() : null;
        }
        int j = k - first[pos];
        batch.start = j * b;
        batch.size = inChunk.size(j);
        return batch;
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("chunk_rows", size);
    }

    @Override
    public void scan(Piece piece) {
        settle();
        Future<?> next = load(0, 0);
        for (int i = 0; i < count; i++) {
            int slot = i & 1;
            await(next);
            next = i + 1 < count ? load(i + 1, 1 - slot) : null;
            piece.visit(slot, rows(i));
        }
    }

    /**
     * The MSE at θ over every row of the source, read chunk by chunk in file order into this source's
     * buffers (not during an epoch). θ: not modified.
     */
    public double mse(INDArray theta, KernelKind kind) {
        GradientKernel[] kernels = new GradientKernel[2];
        double[] sum = new double[1];
        scan((slot, n) -> {
            if (kernels[slot] == null) {
                kernels[slot] = kind.create(slots[slot], b);
            }
            for (int s = 0; s < n; s += b) {
                sum[0] += kernels[slot].squaredError(theta, s, Math.min(b, n - s));
            }
        });
        return sum[0] / ((double) src.rows() * src.outputs());
    }

    private Future<?> load(int chunk, int slot) {
        return reader.submit(() -> {
            src.read((long) chunk * size, rows(chunk), slots[slot].x(), slots[slot].y());
            return null;
        });
    }

    /** Waits for a read still under way (an epoch stopped early leaves one), so no buffer has two writers. */
    private void settle() {
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // reported when that chunk is asked for; an abandoned prefetch's failure does not matter
            }
            pending = null;
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
