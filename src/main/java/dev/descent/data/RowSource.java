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
}
