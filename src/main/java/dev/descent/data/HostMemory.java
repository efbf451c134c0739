package dev.descent.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Direct access to an INDArray's host memory (CPU backend): for the CPU kernel and the loaders. */
public final class HostMemory {
    private HostMemory() {
    }

    /** True when the rows of a matrix are laid out one after another (c order, unit column stride). */
    public static boolean rowContiguous(INDArray a) {
        return a.rank() == 2 && a.ordering() == 'c' && a.stride(1) == 1 && (a.rows() == 1 || a.stride(0) == a.columns());
    }

    /** A row-contiguous array with the same values: {@code a} itself when it already is one, else a copy. */
    public static INDArray rowContiguousOrCopy(INDArray a) {
        return rowContiguous(a) ? a : a.dup('c');
    }

    /** A pointer to the array's first element (a view's offset included). */
    public static BytePointer pointer(INDArray a) {
        return new BytePointer(a.data().addressPointer());
    }

    /**
     * The array's bytes as native-order byte buffers of whole rows, each under 2 GiB, so arrays of any
     * size can be read: row r lives in {@code chunks[r / rowsPerChunk]} at byte
     * {@code (r % rowsPerChunk) · rowBytes}.
     */
    public static ByteBuffer[] rowChunks(INDArray a, int rowBytes, int rowsPerChunk) {
        long rows = a.rows();
        int n = (int) ((rows + rowsPerChunk - 1) / rowsPerChunk);
        ByteBuffer[] chunks = new ByteBuffer[n];
        long base = pointer(a).address();
        for (int k = 0; k < n; k++) {
            long r0 = (long) k * rowsPerChunk;
            long len = Math.min(rowsPerChunk, rows - r0) * (long) rowBytes;
            chunks[k] = new BytePointer() {
                {
                    address = base + r0 * rowBytes;
                }
            }.capacity(len).asByteBuffer().order(ByteOrder.nativeOrder());
        }
        return chunks;
    }

    /** Rows per chunk for {@link #rowChunks}: as many whole rows as fit under 2 GiB. */
    public static int rowsPerChunk(int rowBytes) {
        return Math.max(1, (Integer.MAX_VALUE - 7) / rowBytes);
    }
}
