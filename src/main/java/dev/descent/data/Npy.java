package dev.descent.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (versions 1.0–3.0): float32 and float64, C and Fortran order, little and
 * big endian, read into a c-ordered INDArray; written as version 1.0, C order, little endian — what
 * {@code numpy.load} reads. The declared size is checked against the bytes actually present before
 * anything is allocated, so a corrupt header cannot ask for memory it does not back.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A parsed header: element type, byte order, layout, shape and where the data starts. */
    record Header(DataType type, ByteOrder order, boolean fortran, long[] shape, int dataOffset) {
        long elements() {
            long n = 1;
            for (long s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }
    }

    /** Reads a file. 1-D arrays of length n come back as n×1 (a column). */
    public static INDArray read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.toString());
        }
    }

    /** Reads an array of {@code size} bytes from a stream; {@code name} goes into error messages. */
    public static INDArray read(InputStream in, long size, String name) throws IOException {
        Header h = header(in, name);
        long need;
        try {
            need = Math.multiplyExact(h.elements(), h.type() == DataType.DOUBLE ? 8L : 4L);
        } catch (ArithmeticException e) {
            throw new DataFormatException(name + ": shape " + Arrays.toString(h.shape()) + " overflows");
        }
        long memory = h.fortran() && h.shape().length == 2 ? 2 * need : need; // a Fortran array is copied once
        if (memory > dev.descent.host.MemoryBudget.availableBytes()) {
            throw new DataFormatException(String.format(java.util.Locale.ROOT,
                    "%s: shape %s of %s needs %.2f GB of memory; %.2f GB is available", name, Arrays.toString(h.shape()),
                    dtypeName(h), memory / 1e9, dev.descent.host.MemoryBudget.availableBytes() / 1e9));
        }
        if (size >= 0 && size - h.dataOffset() != need) {
            throw new DataFormatException(name + ": header declares shape " + Arrays.toString(h.shape()) + " of "
                    + dtypeName(h) + " (" + need + " bytes) but the file holds " + Math.max(0, size - h.dataOffset())
                    + " bytes of data (truncated or corrupt)");
        }
        long rows = h.shape().length == 0 ? 1 : h.shape()[0];
        long cols = h.shape().length == 2 ? h.shape()[1] : 1;
        if (rows < 1 || cols < 1) {
            throw new DataFormatException(name + ": empty array of shape " + Arrays.toString(h.shape()));
        }
        // Fortran order is C order of the transposed shape.
        INDArray a = h.fortran() && h.shape().length == 2 ? Nd4j.createUninitialized(h.type(), cols, rows)
                : Nd4j.createUninitialized(h.type(), rows, cols);
        fill(a, in, h, name);
        return h.fortran() && h.shape().length == 2 ? a.transpose().dup('c') : a;
    }

    private static void fill(INDArray a, InputStream in, Header h, String name) throws IOException {
        int es = h.type() == DataType.DOUBLE ? 8 : 4;
        long total = a.length() * es;
        long base = new BytePointer(a.data().addressPointer()).address();
        byte[] buf = new byte[1 << 16];
        long done = 0;
        while (done < total) {
            int want = (int) Math.min(buf.length, total - done);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw new DataFormatException(name + ": data ends after " + (done + got) + " of " + total + " bytes (truncated)");
            }
            long at = base + done;
            ByteBuffer dst = new BytePointer() {
                {
                    address = at;
                }
            }.capacity(got).asByteBuffer().order(ByteOrder.nativeOrder());
            convert(ByteBuffer.wrap(buf, 0, got).order(h.order()), dst, es);
            done += got;
        }
        java.lang.ref.Reference.reachabilityFence(a); // written through a raw address only
    }

    /** Parses the magic, version and header dictionary. */
    static Header header(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new DataFormatException(name + ": not a .npy file (no \\x93NUMPY magic; file too short or another format)");
        }
        int major = magic[6] & 0xff;
        int lenBytes = major == 1 ? 2 : major == 2 || major == 3 ? 4 : -1;
        if (lenBytes < 0) {
            throw new DataFormatException(name + ": unsupported .npy version " + major + "." + (magic[7] & 0xff)
                    + " (expected 1.0, 2.0 or 3.0)");
        }
        byte[] lb = in.readNBytes(lenBytes);
        if (lb.length < lenBytes) {
            throw new DataFormatException(name + ": truncated .npy header");
        }
        long hlen = lenBytes == 2 ? (lb[0] & 0xff) | (lb[1] & 0xff) << 8
                : (lb[0] & 0xffL) | (lb[1] & 0xffL) << 8 | (lb[2] & 0xffL) << 16 | (lb[3] & 0xffL) << 24;
        if (hlen > 1 << 20) {
            throw new DataFormatException(name + ": .npy header length " + hlen + " is implausible (corrupt header)");
        }
        byte[] hb = in.readNBytes((int) hlen);
        if (hb.length < hlen) {
            throw new DataFormatException(name + ": truncated .npy header (" + hb.length + " of " + hlen + " bytes)");
        }
        String dict = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataFormatException(name + ": corrupt .npy header (expected 'descr', 'fortran_order' and 'shape'): "
                    + (dict.strip().length() > 120 ? dict.strip().substring(0, 117) + "..." : dict.strip()));
        }
        String descr = d.group(1);
        DataType type;
        ByteOrder order;
        switch (descr) {
            case "<f4" -> { type = DataType.FLOAT; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f4" -> { type = DataType.FLOAT; order = ByteOrder.BIG_ENDIAN; }
            case "<f8" -> { type = DataType.DOUBLE; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f8" -> { type = DataType.DOUBLE; order = ByteOrder.BIG_ENDIAN; }
            default -> throw new DataFormatException(name + ": unsupported dtype '" + descr
                    + "' (expected float32 or float64: <f4, >f4, <f8, >f8)");
        }
        String[] parts = s.group(1).split(",");
        long[] shape = Arrays.stream(parts).map(String::strip).filter(p -> !p.isEmpty()).mapToLong(p -> {
            try {
                return Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw new DataFormatException(name + ": corrupt .npy shape (" + s.group(1) + ")");
            }
        }).toArray();
        if (shape.length > 2) {
            throw new DataFormatException(name + ": " + shape.length + "-dimensional array of shape " + Arrays.toString(shape)
                    + " (expected 1 or 2 dimensions)");
        }
        for (long x : shape) {
            if (x < 0) {
                throw new DataFormatException(name + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        return new Header(type, order, f.group(1).equals("True"), shape, 8 + lenBytes + (int) hlen);
    }

    private static String dtypeName(Header h) {
        return h.type() == DataType.DOUBLE ? "float64" : "float32";
    }

    /** Writes a 1-D or 2-D float32/float64 array atomically (temporary file, then rename). Not modified. */
    public static void write(Path file, INDArray a) throws IOException {
        AtomicFiles.write(file, out -> write(out, a));
    }

    /** Writes version 1.0, C order, little endian. {@code a}: not modified. */
    public static void write(OutputStream out, INDArray a) throws IOException {
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("only float32/float64 arrays are written, got " + a.dataType());
        }
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        writeHeader(out, c.dataType(), c.rank() == 1 ? new long[] {c.length()} : new long[] {c.size(0), c.size(1)});
        writeData(out, c);
    }

    /**
     * Writes a version 1.0 header for a C-ordered little-endian array of {@code shape} (1-D or 2-D): the
     * data may follow in pieces ({@link #writeData}), so arrays larger than memory can be written.
     */
    public static void writeHeader(OutputStream out, DataType type, long[] shape) throws IOException {
        String dims = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
        String dict = "{'descr': '" + (type == DataType.DOUBLE ? "<f8" : "<f4") + "', 'fortran_order': False, 'shape': "
                + dims + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64; // total header a multiple of 64, ending in \n
        String header = dict + " ".repeat(pad % 64) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes the elements of {@code c} (c-ordered, contiguous) little-endian. Not modified. */
    public static void writeData(OutputStream out, INDArray c) throws IOException {
        boolean contiguous = c.rank() == 1 ? c.length() == 1 || c.stride(0) == 1
                : c.rank() == 2 && (c.rows() == 1 || c.stride(0) == c.columns()) && (c.columns() == 1 || c.stride(1) == 1);
        if (!contiguous) { // a column [n, 1] is contiguous whatever its nominal order
            throw new IllegalArgumentException("writeData needs a contiguous c-ordered array, got shape " + java.util.Arrays.toString(c.shape()) + " strides " + java.util.Arrays.toString(c.stride()) + " order " + c.ordering());
        }
        int es = c.dataType() == DataType.DOUBLE ? 8 : 4;
        long total = c.length() * es;
        long base = new BytePointer(c.data().addressPointer()).address();
        byte[] buf = new byte[1 << 16];
        for (long done = 0; done < total; done += buf.length) {
            int n = (int) Math.min(buf.length, total - done);
            long at = base + done;
            ByteBuffer src = new BytePointer() {
                {
                    address = at;
                }
            }.capacity(n).asByteBuffer().order(ByteOrder.nativeOrder());
            convert(src, ByteBuffer.wrap(buf, 0, n).order(ByteOrder.LITTLE_ENDIAN), es);
            out.write(buf, 0, n);
        }
        java.lang.ref.Reference.reachabilityFence(c); // read through a raw address only (it may be a temporary copy)
    }

    /** Copies elements of {@code es} bytes from src to dst, converting between their byte orders. */
    private static void convert(ByteBuffer src, ByteBuffer dst, int es) {
        if (src.order() == dst.order()) {
            dst.put(src);
        } else if (es == 8) {
            while (src.hasRemaining()) {
                dst.putDouble(src.getDouble());
            }
        } else {
            while (src.hasRemaining()) {
                dst.putFloat(src.getFloat());
            }
        }
    }
}
