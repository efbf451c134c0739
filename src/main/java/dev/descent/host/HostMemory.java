package dev.descent.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Direct access to an INDArray's host memory (CPU backend): for the CPU kernel and the loaders. */
public final class HostMemory {
    private HostMemory() {
    }

    /** True when ND4J runs on its CPU backend (nd4j-native), whose arrays live in host memory. */
    public static boolean cpuBackend() {
        return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    }

    /**
     * The process's peak resident set (VmHWM in /proc/self/status) in bytes: heap, ND4J's off-heap arrays
     * and native libraries together; −1 where the kernel does not report it (not Linux).
     */
    public static long peakRssBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** True when the rows of a matrix are laid out one after another (c order, unit column stride). */
    public static boolean rowContiguous(INDArray a) {
        if (a.rank() != 2) {
            return false;
        }
        if (a.columns() == 1) { // a column: ND4J marks its row-range views 'f' ([k, 1], strides [1, 1]), contiguous all the same
            return a.rows() == 1 || a.stride(0) == 1;
        }
        return a.ordering() == 'c' && a.stride(1) == 1 && (a.rows() == 1 || a.stride(0) == a.columns());
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

    /**
     * Another thread's views of the same memory: a ByteBuffer is not shared between threads, and a
     * duplicate starts big-endian, so each keeps its original's byte order.
     */
    public static ByteBuffer[] threadViews(ByteBuffer[] chunks) {
        ByteBuffer[] d = new ByteBuffer[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            d[i] = chunks[i].duplicate().order(chunks[i].order());
        }
        return d;
    }

    /** Rows per chunk for {@link #rowChunks}: as many whole rows as fit under 2 GiB. */
    public static int rowsPerChunk(int rowBytes) {
        return Math.max(1, (Integer.MAX_VALUE - 7) / rowBytes);
    }

    /** Rows of a c-ordered float32/float64 matrix's memory as doubles: read, write, move. */
    public static final class Rows {
        private final INDArray array; // held: the chunks are views of its memory
        private final ByteBuffer[] chunks;
        private final int perChunk;
        private final int cols;
        private final int es;

        public Rows(INDArray a) {
            if (!rowContiguous(a)) {
                throw new IllegalArgumentException("rows must be contiguous (c order)");
            }
            array = a;
            cols = (int) a.columns();
            es = a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? 8 : 4;
            perChunk = rowsPerChunk(cols * es);
            chunks = rowChunks(a, cols * es, perChunk);
        }

        private int offset(long r, int c) {
            return (int) (r % perChunk) * cols * es + c * es;
        }

        public double get(long r, int c) {
            ByteBuffer b = chunks[(int) (r / perChunk)];
            return es == 8 ? b.getDouble(offset(r, c)) : b.getFloat(offset(r, c));
        }

        /** Writes a whole row (narrowed to float32 for a float32 matrix). */
        public void put(long r, double[] v) {
            ByteBuffer b = chunks[(int) (r / perChunk)];
            for (int c = 0; c < cols; c++) {
                if (es == 8) {
                    b.putDouble(offset(r, c), v[c]);
                } else {
                    b.putFloat(offset(r, c), (float) v[c]);
                }
            }
        }

        /** The first column of row r holding NaN or ±Inf, or −1. */
        public int firstNonFinite(long r) {
            for (int c = 0; c < cols; c++) {
                if (!Double.isFinite(get(r, c))) {
                    return c;
                }
            }
            return -1;
        }

        /** Copies row {@code from} over row {@code to}. */
        public void copy(long from, long to) {
            chunks[(int) (to / perChunk)].put(offset(to, 0), chunks[(int) (from / perChunk)], offset(from, 0), cols * es);
        }
    }

    /**
     * A small c-ordered float32/float64 array's memory as one buffer: bulk copies to and from a double[]
     * (float32 widened, narrowed back) and a finiteness scan, with no allocation per call.
     */
    public static final class Flat {
        private final INDArray array; // held: the buffers are views of its memory
        private final java.nio.DoubleBuffer d;
        private final java.nio.FloatBuffer f;
        private final int len;

        public Flat(INDArray a) {
            this.array = a;
            boolean dbl = a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
            this.len = (int) a.length();
            ByteBuffer bytes = rowChunks(a.reshape(1, a.length()), len * (dbl ? 8 : 4), 1)[0];
            this.d = dbl ? bytes.asDoubleBuffer() : null;
            this.f = dbl ? null : bytes.asFloatBuffer();
        }

        /** Copies every element into {@code out} and returns it. */
        public double[] read(double[] out) {
            if (d != null) {
                d.get(0, out, 0, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[i] = f.get(i);
                }
            }
            return out;
        }

        /** Copies {@code in} over every element. */
        public void write(double[] in) {
            if (d != null) {
                d.put(0, in, 0, len);
            } else {
                for (int i = 0; i < len; i++) {
                    f.put(i, (float) in[i]);
                }
            }
        }

        /** Whether no element is NaN or ±Inf: one linear scan. */
        public boolean allFinite() {
            for (int i = 0; i < len; i++) {
                if (!(d != null ? Double.isFinite(d.get(i)) : Float.isFinite(f.get(i)))) {
                    return false;
                }
            }
            return true;
        }
    }
}
