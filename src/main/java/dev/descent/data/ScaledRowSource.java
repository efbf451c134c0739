package dev.descent.data;

import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rows of a source with fitted scalers applied as they are read: X ← (X − offset)/scale, and Y alike,
 * element by element as {@link Scaler#applyInPlace} does for data in memory. Closing it closes nothing.
 */
public final class ScaledRowSource implements RowSource {
    private final RowSource src;
    private final Scaler x;
    private final Scaler y;

    public ScaledRowSource(RowSource src, Scaler x, Scaler y) {
        if (x.offset().length != src.inputs() || y.offset().length != src.outputs()) {
            throw new IllegalArgumentException("scalers for " + x.offset().length + "→" + y.offset().length + " columns applied to "
                    + src.inputs() + "→" + src.outputs());
        }
        this.src = src;
        this.x = x;
        this.y = y;
    }

    @Override
    public long rows() {
        return src.rows();
    }

    @Override
    public int inputs() {
        return src.inputs();
    }

    @Override
    public int outputs() {
        return src.outputs();
    }

    @Override
    public DataType dataType() {
        return src.dataType();
    }

    @Override
    public String describe() {
        return src.describe() + " (scaled)";
    }

    @Override
    public void read(long from, int count, INDArray xs, INDArray ys) throws IOException {
        src.read(from, count, xs, ys);
        x.applyInPlace(xs.get(NDArrayIndex.interval(0, count), NDArrayIndex.all()));
        y.applyInPlace(ys.get(NDArrayIndex.interval(0, count), NDArrayIndex.all()));
    }

    @Override
    public void close() {
    }
}
