package dev.descent.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU stand-in for a GPU: {@link Device}'s calls run on host arrays with cuBLAS's column-major
 * meaning, every argument is checked the way cuBLAS and the gather kernel would need it (dimensions,
 * leading dimensions, every element read or written inside its allocation, gather indices inside the
 * source), and every call is recorded by name. In float32 each result is rounded to float.
 */
final class HostDevice implements Device {
    private final boolean doubles;
    private final long freeBytes;
    final List<String> calls = new ArrayList<>();
    int downloads;
    int uploads;
    private boolean closed;

    HostDevice(boolean doubles) {
        this(doubles, 1L << 40);
    }

    /** A device with {@code freeBytes} of memory free (small: the data is staged batch by batch). */
    HostDevice(boolean doubles, long freeBytes) {
        this.doubles = doubles;
        this.freeBytes = freeBytes;
    }

    static final class Values extends Mem {
        final double[] v;

        Values(long length) {
            super(length);
            v = new double[Math.toIntExact(length)];
        }
    }

    static final class Ints extends Mem {
        final int[] v;

        Ints(long length) {
            super(length);
            v = new int[Math.toIntExact(length)];
        }
    }

    @Override
    public String describe() {
        return "host stand-in";
    }

    @Override
    public boolean doubles() {
        return doubles;
    }

    @Override
    public Mem alloc(long length) {
        open();
        return new Values(length);
    }

    @Override
    public Mem allocInts(long length) {
        open();
        return new Ints(length);
    }

    @Override
    public void upload(ByteBuffer src, Mem dst, long offset) {
        calls.add("upload");
        uploads++;
        ByteBuffer b = src.duplicate().order(ByteOrder.nativeOrder());
        int es = doubles ? 8 : 4;
        int n = b.remaining() / es;
        double[] v = values(dst);
        in(dst, offset, n, "upload");
        for (int i = 0; i < n; i++) {
            v[(int) offset + i] = doubles ? b.getDouble() : b.getFloat();
        }
    }

    @Override
    public void upload(int[] src, Mem dst) {
        calls.add("upload");
        uploads++;
        in(dst, 0, src.length, "upload");
        System.arraycopy(src, 0, ints(dst), 0, src.length);
    }

    @Override
    public void download(Mem src, long offset, double[] dst) {
        calls.add("download");
        downloads++;
        in(src, offset, dst.length, "download");
        System.arraycopy(values(src), (int) offset, dst, 0, dst.length);
    }

    @Override
    public void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, Mem a, long aOff, int lda, Mem b, long bOff,
            int ldb, double beta, Mem c, long cOff, int ldc) {
        calls.add("gemm");
        positive("gemm", m, n, k);
        int aRows = ta ? k : m;
        int bRows = tb ? n : k;
        lead("gemm A", lda, aRows);
        lead("gemm B", ldb, bRows);
        lead("gemm C", ldc, m);
        matrix(a, aOff, aRows, ta ? m : k, lda, "gemm A");
        matrix(b, bOff, bRows, tb ? k : n, ldb, "gemm B");
        matrix(c, cOff, m, n, ldc, "gemm C");
        double[] av = values(a);
        double[] bv = values(b);
        double[] cv = values(c);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? av[(int) (aOff + p + (long) i * lda)] : av[(int) (aOff + i + (long) p * lda)];
                    double y = tb ? bv[(int) (bOff + j + (long) p * ldb)] : bv[(int) (bOff + p + (long) j * ldb)];
                    s += x * y;
                }
                int ci = (int) (cOff + i + (long) j * ldc);
                cv[ci] = round(beta == 0 ? alpha * s : alpha * s + beta * cv[ci]);
            }
        }
    }

    @Override
    public void gemv(boolean trans, int m, int n, double alpha, Mem a, long aOff, int lda, Mem x, long xOff, double beta, Mem y,
            long yOff) {
        calls.add("gemv");
        positive("gemv", m, n, 1);
        lead("gemv A", lda, m);
        matrix(a, aOff, m, n, lda, "gemv A");
        int xLen = trans ? m : n;
        int yLen = trans ? n : m;
        in(x, xOff, xLen, "gemv x");
        in(y, yOff, yLen, "gemv y");
        double[] av = values(a);
        double[] xv = values(x);
        double[] yv = values(y);
        for (int i = 0; i < yLen; i++) {
            double s = 0;
            for (int p = 0; p < xLen; p++) {
                double e = trans ? av[(int) (aOff + p + (long) i * lda)] : av[(int) (aOff + i + (long) p * lda)];
                s += e * xv[(int) xOff + p];
            }
            int yi = (int) yOff + i;
            yv[yi] = round(beta == 0 ? alpha * s : alpha * s + beta * yv[yi]);
        }
    }

    @Override
    public void ger(int m, int n, double alpha, Mem x, long xOff, Mem y, long yOff, Mem a, long aOff, int lda) {
        calls.add("ger");
        positive("ger", m, n, 1);
        lead("ger A", lda, m);
        in(x, xOff, m, "ger x");
        in(y, yOff, n, "ger y");
        matrix(a, aOff, m, n, lda, "ger A");
        double[] xv = values(x);
        double[] yv = values(y);
        double[] av = values(a);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                int ai = (int) (aOff + i + (long) j * lda);
                av[ai] = round(av[ai] + alpha * xv[(int) xOff + i] * yv[(int) yOff + j]);
            }
        }
    }

    @Override
    public void axpy(int n, double alpha, Mem x, long xOff, Mem y, long yOff) {
        calls.add("axpy");
        positive("axpy", n, 1, 1);
        in(x, xOff, n, "axpy x");
        in(y, yOff, n, "axpy y");
        double[] xv = values(x);
        double[] yv = values(y);
        for (int i = 0; i < n; i++) {
            yv[(int) yOff + i] = round(Math.fma(alpha, xv[(int) xOff + i], yv[(int) yOff + i]));
        }
    }

    @Override
    public void scal(int n, double alpha, Mem x, long xOff) {
        calls.add("scal");
        positive("scal", n, 1, 1);
        in(x, xOff, n, "scal x");
        double[] xv = values(x);
        for (int i = 0; i < n; i++) {
            xv[(int) xOff + i] = round(alpha * xv[(int) xOff + i]);
        }
    }

    @Override
    public void copy(int n, Mem x, long xOff, Mem y, long yOff) {
        calls.add("copy");
        positive("copy", n, 1, 1);
        in(x, xOff, n, "copy x");
        in(y, yOff, n, "copy y");
        System.arraycopy(values(x), (int) xOff, values(y), (int) yOff, n);
    }

    @Override
    public void dot(int n, Mem x, long xOff, Mem y, long yOff, Mem result, long rOff) {
        calls.add("dot");
        positive("dot", n, 1, 1);
        in(x, xOff, n, "dot x");
        in(y, yOff, n, "dot y");
        in(result, rOff, 1, "dot result");
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values(x)[(int) xOff + i] * values(y)[(int) yOff + i];
        }
        values(result)[(int) rOff] = round(s);
    }

    @Override
    public void gatherRows(Mem src, int width, Mem order, int start, int rows, Mem dst) {
        calls.add("gather");
        positive("gather", width, rows, 1);
        in(order, start, rows, "gather order");
        in(dst, 0, (long) rows * width, "gather dst");
        long srcRows = src.length / width;
        int[] o = ints(order);
        for (int i = 0; i < rows; i++) {
            int row = o[start + i];
            if (row < 0 || row >= srcRows) {
                throw new AssertionError("gather: row " + row + " outside the source's " + srcRows);
            }
            System.arraycopy(values(src), row * width, values(dst), i * width, width);
        }
    }

    @Override
    public long freeBytes() {
        return freeBytes;
    }

    @Override
    public ByteBuffer pinned(long bytes) {
        open();
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }

    @Override
    public void stage(ByteBuffer src, long bytes, Mem dst, int slot) {
        calls.add("stage");
        if (slot != 0 && slot != 1) {
            throw new AssertionError("stage: slot " + slot);
        }
        int es = doubles ? 8 : 4;
        if (bytes % es != 0 || bytes > src.capacity()) {
            throw new AssertionError("stage: " + bytes + " bytes from a pinned buffer of " + src.capacity());
        }
        ByteBuffer b = src.duplicate().order(ByteOrder.nativeOrder());
        int n = (int) (bytes / es);
        in(dst, 0, n, "stage");
        double[] v = values(dst);
        for (int i = 0; i < n; i++) {
            v[i] = doubles ? b.getDouble(i * 8) : b.getFloat(i * 4);
        }
    }

    @Override
    public void awaitStaged() {
        calls.add("awaitStaged");
    }

    @Override
    public double time(Runnable work) {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1e9;
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    private void open() {
        if (closed) {
            throw new AssertionError("the device was closed");
        }
    }

    private double round(double v) {
        return doubles ? v : (float) v;
    }

    private double[] values(Mem m) {
        open();
        if (!(m instanceof Values v)) {
            throw new AssertionError("expected a " + (doubles ? "float64" : "float32") + " allocation, got ints");
        }
        return v.v;
    }

    private int[] ints(Mem m) {
        if (!(m instanceof Ints v)) {
            throw new AssertionError("expected an int allocation");
        }
        return v.v;
    }

    private static void positive(String what, int a, int b, int c) {
        if (a < 1 || b < 1 || c < 1) {
            throw new AssertionError(what + ": dimensions must be ≥ 1, got " + a + ", " + b + ", " + c);
        }
    }

    private static void lead(String what, int ld, int rows) {
        if (ld < Math.max(1, rows)) {
            throw new AssertionError(what + ": leading dimension " + ld + " < rows " + rows);
        }
    }

    private static void matrix(Mem m, long off, int rows, int cols, int ld, String what) {
        in(m, off, (long) (cols - 1) * ld + rows, what);
    }

    private static void in(Mem m, long off, long n, String what) {
        if (off < 0 || n < 0 || off + n > m.length) {
            throw new AssertionError(what + ": elements " + off + ".." + (off + n) + " outside an allocation of " + m.length);
        }
    }
}
