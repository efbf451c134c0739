package dev.descent.data;

import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rows of a dataset read on demand, for data that is not held in memory (see {@link NpyRowSource}).
 * Reads of disjoint row ranges may run on another thread than the caller's.
 */
public interface RowSource extends AutoCloseable {
    long rows();

    int inputs();

    int outputs();

    DataType dataType();

    /** A short description for run headers ("x.npy + y.npy"). */
    String describe();

    /**
     * Copies rows [from, from + count) of X and Y into the first {@code count} rows of {@code x} and
     * {@code y} (c-ordered, this dtype, at least {@code count} rows). x, y: modified.
     */
    void read(long from, int count, INDArray x, INDArray y) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Rows [from, to) of this source as a source of their own (reading through this one; closing it
     * closes nothing).
     *
     * @throws IllegalArgumentException when the range is empty or outside [0, rows)
     */
    default RowSource slice(long from, long to) {
        if (from < 0 || to > rows() || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not a range of the " + rows() + " rows");
        }
        return new RowSourceView(this) {
            @Override
            public long rows() {
                return to - from;
            }

            @Override
            public String describe() {
                return src.describe() + " rows " + from + "–" + (to - 1);
            }

            @Override
            public void read(long start, int count, INDArray x, INDArray y) throws IOException {
                if (start < 0 || start + count > to - from) {
                    throw new IllegalArgumentException("rows [" + start + ", " + (start + count) + ") are outside the slice's "
                            + (to - from));
                }
                src.read(from + start, count, x, y);
            }
        };
    }
}
