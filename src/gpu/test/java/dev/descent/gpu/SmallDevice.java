package dev.descent.gpu;

import java.nio.ByteBuffer;

/** A device that says it has little memory free, so that training stages the data batch by batch. */
final class SmallDevice implements Device {
    private final Device d;
    private final long free;

    SmallDevice(Device d, long free) {
        this.d = d;
        this.free = free;
    }

    @Override
    public long freeBytes() {
        return free;
    }

    @Override
    public String describe() {
        return d.describe();
    }

    @Override
    public boolean doubles() {
        return d.doubles();
    }

    @Override
    public Mem alloc(long length) {
        return d.alloc(length);
    }

    @Override
    public Mem allocInts(long length) {
        return d.allocInts(length);
    }

    @Override
    public void upload(ByteBuffer src, Mem dst, long offset) {
        d.upload(src, dst, offset);
    }

    @Override
    public void upload(int[] src, Mem dst) {
        d.upload(src, dst);
    }

    @Override
    public void download(Mem src, long offset, double[] dst) {
        d.download(src, offset, dst);
    }

    @Override
    public void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, Mem a, long aOff, int lda, Mem b, long bOff,
            int ldb, double beta, Mem c, long cOff, int ldc) {
        d.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemv(boolean trans, int m, int n, double alpha, Mem a, long aOff, int lda, Mem x, long xOff, double beta, Mem y,
            long yOff) {
        d.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public void ger(int m, int n, double alpha, Mem x, long xOff, Mem y, long yOff, Mem a, long aOff, int lda) {
        d.ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
    }

    @Override
    public void axpy(int n, double alpha, Mem x, long xOff, Mem y, long yOff) {
        d.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scal(int n, double alpha, Mem x, long xOff) {
        d.scal(n, alpha, x, xOff);
    }

    @Override
    public void copy(int n, Mem x, long xOff, Mem y, long yOff) {
        d.copy(n, x, xOff, y, yOff);
    }

    @Override
    public void dot(int n, Mem x, long xOff, Mem y, long yOff, Mem result, long rOff) {
        d.dot(n, x, xOff, y, yOff, result, rOff);
    }

    @Override
    public void gatherRows(Mem src, int width, Mem order, int start, int rows, Mem dst) {
        d.gatherRows(src, width, order, start, rows, dst);
    }

    @Override
    public ByteBuffer pinned(long bytes) {
        return d.pinned(bytes);
    }

    @Override
    public void stage(ByteBuffer src, long bytes, Mem dst, int slot) {
        d.stage(src, bytes, dst, slot);
    }

    @Override
    public void awaitStaged() {
        d.awaitStaged();
    }

    @Override
    public double time(Runnable work) {
        return d.time(work);
    }

    @Override
    public void close() {
        d.close();
    }
}
