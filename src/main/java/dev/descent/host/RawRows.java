package dev.descent.host;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;

/**
 * The rows of a matrix's native memory (given as {@link HostMemory#rowChunks}), copied one row at a time
 * to a buffer: the inner loop of a shuffled gather. A row is copied by address ({@code sun.misc.Unsafe}, as
 * JavaCPP's own indexers and Spark's {@code Platform} do): ByteBuffer's absolute bulk put costs enough per
 * call that, at 400-byte rows, a two-thread gather of random rows ran at 17.5 M rows/s through it and at
 * 23.8 M by address, the same copies (this machine's `descent bench` probe, 1M × 100 float32). The row
 * number and the destination are checked before an address is formed, so a bad row throws
 * {@link IndexOutOfBoundsException} as a buffer would. Where the JVM refuses Unsafe's memory access (a
 * later JDK's default, {@code --sun-misc-unsafe-memory-access=deny}) the rows go through the buffers.
 * Bytes are copied as they are (a 4- or 8-byte row as one load and store), whatever the buffers' byte order.
 * Instances hold no mutable state: one may serve several threads.
 */
public final class RawRows {
    private static final sun.misc.Unsafe UNSAFE = usableUnsafe();
    /** Whether rows are copied by address (else through ByteBuffers). */
    public static final boolean BY_ADDRESS = UNSAFE != null;

    private final ByteBuffer[] chunks; // read with absolute gets only: safe to share
    private final long[] address; // each chunk's first byte
    private final int perChunk;
    private final int rowBytes;
    private final long rows;
    private final boolean byAddress;

    /**
     * @param chunks the rows, {@code perChunk} to a chunk (the last may hold fewer), each {@code rowBytes} long
     */
    public RawRows(ByteBuffer[] chunks, int perChunk, int rowBytes) {
        this(chunks, perChunk, rowBytes, BY_ADDRESS);
    }

    /** As above; {@code byAddress} false copies through the buffers (tests: the path without Unsafe). */
    public RawRows(ByteBuffer[] chunks, int perChunk, int rowBytes, boolean byAddress) {
        if (byAddress && !BY_ADDRESS) {
            throw new IllegalStateException("this JVM does not allow sun.misc.Unsafe's memory access");
        }
        this.chunks = chunks.clone();
        this.perChunk = perChunk;
        this.rowBytes = rowBytes;
        this.address = new long[chunks.length];
        long n = 0;
        for (int k = 0; k < chunks.length; k++) {
            if (!chunks[k].isDirect()) {
                throw new IllegalArgumentException("row chunks must be direct buffers");
            }
            address[k] = addressOf(chunks[k]);
            n += chunks[k].capacity() / rowBytes;
        }
        this.rows = n;
        this.byAddress = byAddress;
    }

    /** The address of a direct buffer's first byte. */
    public static long addressOf(ByteBuffer direct) {
        return new BytePointer(direct).address();
    }

    public long rows() {
        return rows;
    }

    /**
     * Copies row {@code row} to bytes {@code at..at+rowBytes} of {@code dst}, whose first byte is at address
     * {@code dstAddress} ({@link #addressOf}).
     */
    public void copy(int row, ByteBuffer dst, long dstAddress, int at) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        if (at < 0 || at > dst.capacity() - rowBytes) {
            throw new IndexOutOfBoundsException("destination byte " + at + " of " + dst.capacity());
        }
        int c = row / perChunk;
        int off = (row - c * perChunk) * rowBytes;
        if (byAddress) {
            long from = address[c] + off;
            long to = dstAddress + at;
            switch (rowBytes) { // one float or double: a plain load and store
                case 4 -> UNSAFE.putInt(to, UNSAFE.getInt(from));
                case 8 -> UNSAFE.putLong(to, UNSAFE.getLong(from));
                default -> UNSAFE.copyMemory(from, to, rowBytes);
            }
        } else {
            ByteBuffer src = chunks[c];
            if (rowBytes == 4 && src.order() == dst.order()) {
                dst.putInt(at, src.getInt(off));
            } else if (rowBytes == 8 && src.order() == dst.order()) {
                dst.putLong(at, src.getLong(off));
            } else {
                dst.put(at, src, off, rowBytes);
            }
        }
    }

    /** The Unsafe instance if this JVM lets it read and write native memory, else null. */
    private static sun.misc.Unsafe usableUnsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            ByteBuffer probe = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            long a = addressOf(probe);
            u.putLong(a, 0x0123456789abcdefL);
            u.copyMemory(a, a + 8, 8);
            return probe.getLong(8) == 0x0123456789abcdefL ? u : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
