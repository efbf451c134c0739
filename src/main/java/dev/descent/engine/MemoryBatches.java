package dev.descent.engine;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/** Batches of a training set held in memory, visited in a {@link BatchOrder} (shuffled per epoch, or in order). */
public final class MemoryBatches implements Batches {
    private final Dataset data;
    private final BatchOrder order;
    private final Batch batch = new Batch();

    public MemoryBatches(Dataset data, BatchOrder order) {
        this.data = data;
        this.order = order;
    }

    @Override
    public long rows() {
        return data.size();
    }

    @Override
    public int inputs() {
        return data.inputs();
    }

    @Override
    public int outputs() {
        return data.outputs();
    }

    @Override
    public DataType dataType() {
        return data.dataType();
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
