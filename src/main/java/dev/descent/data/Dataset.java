package dev.descent.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inputs X (N×nX) and targets Y (N×nY) of one floating type. The arrays are held, not copied: callers
 * that keep a reference must not modify them during training.
 */
public record Dataset(INDArray x, INDArray y) {

    public Dataset {
        Objects.requireNonNull(x, "X");
        Objects.requireNonNull(y, "Y");
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("X and Y must be matrices, got shapes "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
        }
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("X has " + x.rows() + " rows but Y has " + y.rows());
        }
        if (x.rows() < 1 || x.columns() < 1 || y.columns() < 1) {
            throw new IllegalArgumentException("dataset is empty: X " + Arrays.toString(x.shape())
                    + ", Y " + Arrays.toString(y.shape()));
        }
        if (x.dataType() != y.dataType() || !(x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE)) {
            throw new IllegalArgumentException("X and Y must both be float32 or float64, got "
                    + x.dataType() + " and " + y.dataType());
        }
    }

    public long size() {
        return x.rows();
    }

    public int inputs() {
        return (int) x.columns();
    }

    public int outputs() {
        return (int) y.columns();
    }

    public DataType dataType() {
        return x.dataType();
    }

    /** Rows [from, to) as views (no copy). */
    public Dataset rows(long from, long to) {
        var r = NDArrayIndex.interval(from, to);
        return new Dataset(x.get(r, NDArrayIndex.all()), y.get(r, NDArrayIndex.all()));
    }

    /**
     * The first {@code N − round(f·N)} rows for training and the rest for testing, as views. The rows of
     * a generated dataset are independent draws, so the tail is as random a test set as any.
     */
    public Split splitTail(double testFraction) {
        long nTest = testRows(testFraction);
        if (nTest == 0) {
            return new Split(this, null);
        }
        return new Split(rows(0, size() - nTest), rows(size() - nTest, size()));
    }

    /**
     * A random split by fraction: round(f·N) seeded random test rows ({@link HoldOut}: the rows a cluster or
     * any other division of the same rows holds out for the same seed); both parts keep the file's row order
     * and are copies (the original can be released).
     */
    public Split splitRandom(double testFraction, long seed) {
        long nTest = testRows(testFraction);
        if (nTest == 0) {
            return new Split(this, null);
        }
        int n = (int) size();
        java.util.BitSet chosen = new HoldOut(n, nTest, seed).chosen(0, n, 0);
        int[] test = chosen.stream().toArray();
        int[] train = new int[n - test.length];
        for (int i = chosen.nextClearBit(0), k = 0; i < n; i = chosen.nextClearBit(i + 1)) {
            train[k++] = i;
        }
        return new Split(new Dataset(org.nd4j.linalg.factory.Nd4j.pullRows(x, 1, train), org.nd4j.linalg.factory.Nd4j.pullRows(y, 1, train)),
                new Dataset(org.nd4j.linalg.factory.Nd4j.pullRows(x, 1, test), org.nd4j.linalg.factory.Nd4j.pullRows(y, 1, test)));
    }

    /** round(f·N) test rows, checked to leave at least one training row. */
    private long testRows(double testFraction) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        long nTest = Math.round(testFraction * size());
        if (nTest >= size()) {
            throw new IllegalArgumentException("test fraction " + testFraction + " leaves no training rows of " + size());
        }
        return nTest;
    }

    /** A copy with its own buffers (for scaling without touching the original). */
    public Dataset copy() {
        return new Dataset(x.dup('c'), y.dup('c'));
    }

    /** A training set and an optional (null) test set. */
    public record Split(Dataset train, Dataset test) {
    }
}
