package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import java.util.List;
import java.util.Map;

/** Batches of a training set held in memory, visited in a {@link BatchOrder} (shuffled per epoch, or in order). */
public final class MemoryBatches implements Batches {
    private final Dataset data;
    private final BatchOrder order;
    private final Batch batch = new Batch();
    private final Shape shape;

    public MemoryBatches(Dataset data, BatchOrder order) {
        this.data = data;
        this.order = order;
        this.shape = new Shape(data.size(), data.inputs(), data.outputs(), data.dataType());
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public int batchSize() {
        return order.batchSize();
    }

    @Override
    public int batches() {
        return order.batches();
    }

    @Override
    public long rowsPerEpoch() {
        return order.rowsPerEpoch();
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
        batch.size = order.size(k);
        return batch;
    }

    @Override
    public Dataset whole() {
        return data;
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of();
    }
}
