package dev.descent.data;

import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rows of a source with fitted scalers applied as they are read: X ← (X − offset)/scale, and Y alike,
 * element by element as {@link Scaler#applyInPlace} does for data in memory. Closing it closes nothing.
 */
public final class ScaledRowSource extends RowSourceView {
    private final Scaler x;
    private final Scaler y;

    public ScaledRowSource(RowSource src, Scaler x, Scaler y) {
        super(src);
        if (x.offset().length != src.inputs() || y.offset().length != src.outputs()) {
            throw new IllegalArgumentException("scalers for " + x.offset().length + "→" + y.offset().length + " columns applied to "
                    + src.inputs() + "→" + src.outputs());
        }
        this.x = x;
        this.y = y;
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
}
