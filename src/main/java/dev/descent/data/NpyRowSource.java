package dev.descent.data;

import dev.descent.host.HostMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * X and Y in two .npy files, read in row ranges with positional reads straight into the destination
 * arrays' memory: the files may be larger than memory. Reads go through the page cache and nothing is
 * mapped, so the process's resident memory stays at the destination buffers (a mapping would add every
 * page it touched to the resident set until the mapping was dropped, which Java cannot do on demand).
 */
public final class NpyRowSource implements RowSource {
    private final String xFile;
    private final String yFile;
    private final SeekableByteChannel xc;
    private final SeekableByteChannel yc;
    private final Npy.Header xh;
    private final Npy.Header yh;
    private final long rows;
    private final int nx;
    private final int ny;
    private final int es;

    public NpyRowSource(Path xFile, Path yFile) throws IOException {
        this(openBoth(xFile, yFile), xFile.toString(), yFile.toString());
    }

    private NpyRowSource(SeekableByteChannel[] xy, String xName, String yName) throws IOException {
        this(xy[0], xName, xy[1], yName);
    }

    /** Both files' channels; X's is closed again when Y's cannot be opened. */
    private static SeekableByteChannel[] openBoth(Path xFile, Path yFile) throws IOException {
        FileChannel x = FileChannel.open(xFile, StandardOpenOption.READ);
        try {
            return new SeekableByteChannel[] {x, FileChannel.open(yFile, StandardOpenOption.READ)};
        } catch (IOException | RuntimeException e) {
            x.close();
            throw e;
        }
    }

    /**
     * X and Y from two open channels (a file's, or a Hadoop file system's: see the Spark build), named in errors
     * as {@code xName} and {@code yName}; closed by {@link #close}, and here when their headers are refused.
     */
    public NpyRowSource(SeekableByteChannel x, String xName, SeekableByteChannel y, String yName) throws IOException {
        this.xFile = xName;
        this.yFile = yName;
        this.xc = x;
        this.yc = y;
        try {
            this.xh = header(xc, xFile);
            this.yh = header(yc, yFile);
            if (xh.type() != yh.type()) {
                throw new DataFormatException(yFile + ": dtype " + name(yh.type()) + " differs from " + xFile + "'s " + name(xh.type()));
            }
            this.rows = xh.shape()[0];
            this.nx = xh.shape().length == 2 ? (int) xh.shape()[1] : 1;
            this.ny = yh.shape().length == 2 ? (int) yh.shape()[1] : 1;
            if (yh.shape()[0] != rows) {
                throw new DataFormatException(yFile + ": " + yh.shape()[0] + " rows, but " + xFile + " has " + rows);
            }
            this.es = xh.type() == DataType.DOUBLE ? 8 : 4;
            check(xc, xh, xFile, (long) nx);
            check(yc, yh, yFile, (long) ny);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static String name(DataType t) {
        return t == DataType.DOUBLE ? "float64" : "float32";
    }

    private static Npy.Header header(SeekableByteChannel c, String file) throws IOException {
        InputStream in = Channels.newInputStream(c.position(0));
        Npy.Header h = Npy.header(in, file);
        if (h.shape().length == 0 || h.shape()[0] < 1) {
            throw new DataFormatException(file + ": expected a 1-D or 2-D array with rows, got shape " + java.util.Arrays.toString(h.shape()));
        }
        if (h.fortran() && h.shape().length == 2 && h.shape()[1] > 1) {
            throw new DataFormatException(file + ": Fortran-ordered; streaming reads whole rows: save it in C order (np.ascontiguousarray)");
        }
        if (h.order() != ByteOrder.nativeOrder()) {
            throw new DataFormatException(file + ": big-endian data; streaming reads raw rows: save it little-endian ('<f4'/'<f8')");
        }
        return h;
    }

    private void check(SeekableByteChannel c, Npy.Header h, String file, long cols) throws IOException {
        long need = rows * cols * es;
        if (c.size() - h.dataOffset() != need) {
            throw new DataFormatException(file + ": header declares " + rows + "×" + cols + " " + name(h.type()) + " (" + need
                    + " bytes) but the file holds " + Math.max(0, c.size() - h.dataOffset()) + " bytes of data (truncated or corrupt)");
        }
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int inputs() {
        return nx;
    }

    @Override
    public int outputs() {
        return ny;
    }

    @Override
    public DataType dataType() {
        return xh.type();
    }

    @Override
    public String describe() {
        return xFile + " + " + yFile;
    }

    @Override
    public void read(long from, int count, INDArray x, INDArray y) throws IOException {
        if (from < 0 || count < 0 || from + count > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + (from + count) + ") outside [0, " + rows + ")");
        }
        fill(xc, xh.dataOffset() + from * nx * es, (long) count * nx * es, x, xFile);
        fill(yc, yh.dataOffset() + from * ny * es, (long) count * ny * es, y, yFile);
    }

    private static void fill(SeekableByteChannel c, long position, long bytes, INDArray dst, String file) throws IOException {
        if (!HostMemory.rowContiguous(dst) || dst.length() * (dst.dataType() == DataType.DOUBLE ? 8L : 4L) < bytes) {
            throw new IllegalArgumentException("destination must be a c-ordered array of at least " + bytes + " bytes");
        }
        long base = HostMemory.pointer(dst).address();
        long done = 0;
        while (done < bytes) {
            int len = (int) Math.min(1 << 30, bytes - done);
            long at = base + done;
            ByteBuffer buf = new org.bytedeco.javacpp.BytePointer() {
                {
                    address = at;
                }
            }.capacity(len).asByteBuffer();
            while (buf.hasRemaining()) {
                int got = readAt(c, buf, position + done + buf.position());
                if (got < 0) {
                    throw new DataFormatException(file + ": ended early (truncated while reading)");
                }
            }
            done += len;
        }
        java.lang.ref.Reference.reachabilityFence(dst); // written through a raw address only
    }

    /** A read at {@code position}: positional on a file's channel (several readers may share it), else seek and read. */
    private static int readAt(SeekableByteChannel c, ByteBuffer buf, long position) throws IOException {
        if (c instanceof FileChannel f) {
            return f.read(buf, position);
        }
        synchronized (c) {
            c.position(position);
            return c.read(buf);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            xc.close();
        } finally {
            yc.close();
        }
    }
}
