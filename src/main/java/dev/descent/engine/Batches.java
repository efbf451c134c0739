package dev.descent.engine;

import dev.descent.data.Dataset;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Where an epoch's batches come from: rows of one or more in-memory buffers, in an order fixed per
 * epoch by the seed. {@link MemoryBatches} holds the whole training set; {@link StreamBatches} reads
 * files chunk by chunk into two buffers. The loop asks for batches 0, 1, 2, … of an epoch in turn (from
 * any batch on, after a resume); a kernel is built once over each buffer.
 */
public interface Batches extends AutoCloseable {

    /** Where batch k's rows are: buffer {@code buffer}, rows {@code order[start..start+size)}, or rows
     * {@code start..start+size} when order is null. One instance, rewritten for every batch. */
    final class Batch {
        public int buffer;
        public int[] order;
        public int start;
        public int size;
    }

    /** The training set's size and shape, and how an epoch is cut: batch size, batches and rows per epoch. */
    record Layout(long rows, int inputs, int outputs, DataType dataType, int batchSize, int batches, long rowsPerEpoch) {
    }

    Layout layout();

    /** The whole training set, when it is in memory; else null. */
    default Dataset whole() {
        return null;
    }

    /** What a checkpoint must record about the batching beyond the loop's own options. */
    default Map<String, Object> describe() {
        return Map.of();
    }

    /** The buffers that batches are drawn from; their contents change as the source moves on. */
    List<Dataset> buffers();

    /** What {@link #scan} hands over: rows 0..rows−1 of buffer {@code buffer} hold the next rows of the data. */
    interface Piece {
        void visit(int buffer, int rows);
    }

    /**
     * Every training row once, in the data's own order, piece by piece into the buffers (not during an
     * epoch: the buffers are reused). For a whole-set evaluation with the kernels built over {@link #buffers}.
     */
    void scan(Piece piece);

    /** Sets up epoch {@code epoch}, whose next batch asked for is {@code fromBatch}. */
    void startEpoch(int epoch, int fromBatch);

    /** Batch k of the current epoch. The buffer it names holds its rows until the next call. */
    Batch batch(int k);


    @Override
    default void close() {
    }
}
