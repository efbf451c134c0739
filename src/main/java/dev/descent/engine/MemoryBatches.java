package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import java.util.List;

/** Batches of a training set held in memory, visited in a {@link BatchOrder} (shuffled per epoch, or in order). */
public final class MemoryBatches implements Batches {
    private final Dataset data;
    private final BatchOrder order;
    private final Batch batch = new Batch();
    private final Layout layout;

    public MemoryBatches(Dataset data, BatchOrder order) {
        this.data = data;
        this.order = order;
        this.layout = new Layout(data.size(), data.inputs(), data.outputs(), data.dataType(), order.batchSize(), order.batches(),
                order.rowsPerEpoch());
    }

    @Override
    public Layout layout() {
        return layout;
    }


    @Override
    public List<Dataset> buffers() {
        return List.of(data);
    }

    @Override
    public void startEpoch(int epoch, int fromBatch) {
        order.startEpoch(epoch);
        batch.order = order.shuffled() ? order.order() : null;
    }

    @Override
    public Batch batch(int k) {
        batch.start = k * order.batchSize();
        batch.size = size(k);
        return batch;
    }

    /** Rows in batch k of an epoch. */
    public int size(int k) {
        return order.size(k);
    }

    @Override
    public void scan(Piece piece) {
        piece.visit(0, (int) data.size());
    }

    /** This epoch's row order (set by startEpoch), or null when the rows are visited in order. */
    public int[] order() {
        return order.shuffled() ? order.order() : null;
    }

    @Override
    public Dataset whole() {
        return data;
    }
}
