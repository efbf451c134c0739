package dev.descent.compare;

import dev.descent.data.BatchOrder;
import dev.descent.engine.Cores;
import dev.descent.engine.RowGather;
import dev.descent.engine.Tuning;
import dev.descent.host.HostMemory;
import dev.descent.host.RawRows;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's own limits, measured on the CPU backend with the same BLAS and thread settings the engine
 * uses, so an epoch can be set against them:
 * <ul>
 * <li>{@link #streamRead}: one sequential pass over an array's bytes (OpenBLAS asum, which reads every
 * element once and keeps only a scalar): the bandwidth bound of an in-order epoch;</li>
 * <li>{@link #gather}: copying whole rows in a shuffled order into batch buffers, as a shuffled epoch must:
 * the random-access bound, on as many threads as the engine gathers on ({@link #GATHER_THREADS});</li>
 * <li>{@link #gemm}: a square gemm's FLOP/s, the compute bound.</li>
 * </ul>
 * Each probe is repeated and the best time kept (as STREAM does): the bound is what the machine can do.
 */
public final class MachineProbes {
    /** The engine gathers a large shuffled batch on two threads: the caller and one helper. */
    public static final int GATHER_THREADS = 2;

    private MachineProbes() {
    }

    /** One probe's outcome: seconds of the best repetition and the bytes or FLOPs it moved. */
    public record Probe(String name, double seconds, double work) {

        /** work / seconds / 1e9: GB/s for the memory probes, GFLOP/s for gemm. */
        public double ratePerSecond() {
            return work / seconds / 1e9;
        }
    }

    private static void requireCpu() {
        if (!HostMemory.cpuBackend()) {
            throw new IllegalArgumentException("the machine probes read host memory: they need the CPU backend");
        }
    }

    /** Best of {@code repeats} sequential reads of all of {@code a}'s bytes (a c-ordered matrix), on one thread. Not modified. */
    public static Probe streamRead(INDArray a, int repeats) {
        return streamRead(a, repeats, 1);
    }

    /**
     * Best of {@code repeats} sequential reads of all of {@code a}'s bytes (a c-ordered matrix) on {@code threads}
     * threads, each reading a contiguous part (starting the threads is timed too). Not modified.
     */
    public static Probe streamRead(INDArray a, int repeats, int threads) {
        requireCpu();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        INDArray c = HostMemory.rowContiguousOrCopy(a);
        boolean dbl = c.dataType() == DataType.DOUBLE;
        long n = c.length();
        long base = HostMemory.pointer(c).address();
        int es = dbl ? 8 : 4;
        double[] sinks = new double[threads];
        Runnable[] readers = new Runnable[threads];
        for (int t = 0; t < threads; t++) {
            int part = t;
            long from = n * t / threads;
            long to = n * (t + 1) / threads;
            readers[t] = () -> {
                for (long off = from; off < to; off += Integer.MAX_VALUE / 2) {
                    int len = (int) Math.min(Integer.MAX_VALUE / 2, to - off);
                    long addr = base + off * es;
                    sinks[part] += dbl ? openblas.cblas_dasum(len, new DoublePointer() { { address = addr; } }.capacity(len), 1)
                            : openblas.cblas_sasum(len, new FloatPointer() { { address = addr; } }.capacity(len), 1);
                }
            };
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            runAll(readers, "descent-read-probe-");
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        if (Double.isNaN(java.util.Arrays.stream(sinks).sum())) { // keeps the reads observable
            best = Math.nextUp(best);
        }
        java.lang.ref.Reference.reachabilityFence(c); // its memory was read through a raw address
        return new Probe(threads == 1 ? "stream read" : "stream read on " + threads + " threads", best, (double) n * es);
    }

    /** Runs {@code work[0]} here and the others on threads of their own; returns when all are done. */
    private static void runAll(Runnable[] work, String name) {
        Thread[] running = new Thread[work.length - 1];
        for (int t = 1; t < work.length; t++) {
            running[t - 1] = new Thread(work[t], name + t);
            running[t - 1].start();
        }
        work[0].run();
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing", e);
            }
        }
    }

    /**
     * Best of {@code repeats} passes copying every row of {@code a} in the order of a seeded shuffle (the
     * engine's {@link BatchOrder}), on {@code threads} threads that each take a contiguous part of the order
     * into their own {@code batch}-row buffer: the memory cost of a shuffled epoch before any arithmetic.
     * Starting the threads is timed too (tens of microseconds). Not modified.
     */
    public static Probe gather(INDArray a, int batch, long seed, int repeats, int threads) {
        return gather(a, null, batch, seed, repeats, threads);
    }

    /**
     * As {@link #gather(INDArray, int, long, int, int)}, with each row's target row of {@code y} copied too
     * (first, as the engine's gather does): what a shuffled step must fetch. {@code y}: null for X alone.
     */
    public static Probe gather(INDArray a, INDArray y, int batch, long seed, int repeats, int threads) {
        requireCpu();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        INDArray c = HostMemory.rowContiguousOrCopy(a);
        int es = c.dataType() == DataType.DOUBLE ? 8 : 4;
        int rowBytes = (int) c.columns() * es;
        int perChunk = HostMemory.rowsPerChunk(rowBytes);
        RawRows rows = new RawRows(HostMemory.rowChunks(c, rowBytes, perChunk), perChunk, rowBytes);
        INDArray cy = y == null ? null : HostMemory.rowContiguousOrCopy(y);
        int yRowBytes = cy == null ? 0 : (int) cy.columns() * es;
        int yPerChunk = cy == null ? 1 : HostMemory.rowsPerChunk(yRowBytes);
        RawRows yRows = cy == null ? null : new RawRows(HostMemory.rowChunks(cy, yRowBytes, yPerChunk), yPerChunk, yRowBytes);
        int b = (int) Math.min(batch, c.rows());
        INDArray[] bufs = new INDArray[threads];
        INDArray[] yBufs = new INDArray[threads];
        Runnable[] copiers = new Runnable[threads];
        BatchOrder order = new BatchOrder(c.rows(), b, true, false, seed);
        int[] ord = order.order(); // refilled in place by startEpoch
        for (int t = 0; t < threads; t++) {
            // The engine's own row copy (RawRows), into one batch-sized buffer per thread
            bufs[t] = Nd4j.createUninitialized(c.dataType(), b, c.columns());
            ByteBuffer dst = HostMemory.rowChunks(bufs[t], rowBytes, b)[0];
            long dstAt = RawRows.addressOf(dst);
            yBufs[t] = cy == null ? null : Nd4j.createUninitialized(c.dataType(), b, cy.columns());
            ByteBuffer yDst = cy == null ? null : HostMemory.rowChunks(yBufs[t], yRowBytes, b)[0];
            long yDstAt = cy == null ? 0 : RawRows.addressOf(yDst);
            int from = (int) ((long) ord.length * t / threads);
            int to = (int) ((long) ord.length * (t + 1) / threads);
            copiers[t] = () -> {
                for (int i = from; yRows != null && i < to; i++) {
                    yRows.copy(ord[i], yDst, yDstAt, ((i - from) % b) * yRowBytes);
                }
                for (int i = from; i < to; i++) {
                    rows.copy(ord[i], dst, dstAt, ((i - from) % b) * rowBytes);
                }
            };
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            order.startEpoch(r);
            long t0 = System.nanoTime();
            runAll(copiers, "descent-gather-probe-");
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        // The arrays were used only through buffers over their memory: keep them alive until here, or the
        // collector may free them (and ND4J their memory) while the copies run.
        java.lang.ref.Reference.reachabilityFence(bufs);
        java.lang.ref.Reference.reachabilityFence(yBufs);
        java.lang.ref.Reference.reachabilityFence(c);
        java.lang.ref.Reference.reachabilityFence(cy);
        return new Probe(threads == 1 ? "shuffled row gather" : "shuffled row gather on " + threads + " threads", best,
                (double) c.rows() * (rowBytes + yRowBytes));
    }

    /**
     * Best of {@code repeats} passes of the engine's own shuffled gather ({@link RowGather}: its helper thread
     * fetches the next request while this thread takes the current one) in the requests the kernel makes for
     * batches of {@code batch} rows (a group of small batches, or a large batch's blocks), with every cache line
     * of the gathered X and Y rows read once on this thread: what an epoch costs when one core does a shuffled
     * batch's arithmetic, the arithmetic left out. The rows the helper copied reach this core from the other's
     * cache; {@link #gather} leaves each copy where it was made. Two threads (one on a one-core machine, as the
     * kernel). Not modified.
     */
    public static Probe handOff(INDArray x, INDArray y, int batch, long seed, int repeats) {
        requireCpu();
        INDArray cx = HostMemory.rowContiguousOrCopy(x);
        INDArray cy = HostMemory.rowContiguousOrCopy(y);
        int es = cx.dataType() == DataType.DOUBLE ? 8 : 4;
        int xRowBytes = (int) cx.columns() * es;
        int yRowBytes = (int) cy.columns() * es;
        int xPerChunk = HostMemory.rowsPerChunk(xRowBytes);
        int yPerChunk = HostMemory.rowsPerChunk(yRowBytes);
        int b = (int) Math.min(batch, cx.rows());
        boolean grouped = (long) b * xRowBytes < Tuning.PREFETCH_MIN_BYTES;
        int blocks = grouped ? 1 : (b + Tuning.blockRows(xRowBytes) - 1) / Tuning.blockRows(xRowBytes);
        int request = grouped ? Tuning.groupRows(b, xRowBytes) : (b + blocks - 1) / blocks;
        INDArray[] xs = {Nd4j.createUninitialized(cx.dataType(), request, cx.columns()),
            Nd4j.createUninitialized(cx.dataType(), request, cx.columns())};
        INDArray[] ys = {Nd4j.createUninitialized(cy.dataType(), request, cy.columns()),
            Nd4j.createUninitialized(cy.dataType(), request, cy.columns())};
        ByteBuffer[] xSlots = {HostMemory.rowChunks(xs[0], xRowBytes, request)[0], HostMemory.rowChunks(xs[1], xRowBytes, request)[0]};
        ByteBuffer[] ySlots = {HostMemory.rowChunks(ys[0], yRowBytes, request)[0], HostMemory.rowChunks(ys[1], yRowBytes, request)[0]};
        RowGather g = new RowGather(HostMemory.rowChunks(cx, xRowBytes, xPerChunk), xPerChunk, xRowBytes,
                HostMemory.rowChunks(cy, yRowBytes, yPerChunk), yPerChunk, yRowBytes, xSlots, ySlots, request,
                Cores.available() > 1, new Object[] {xs, ys, cx, cy});
        BatchOrder order = new BatchOrder(cx.rows(), b, true, false, seed);
        int[] ord = order.order();
        // The kernel's requests over an epoch: whole groups, or each batch's equal blocks. Each call names the
        // next request's length exactly, as the kernel does, so that every prefetch is used.
        java.util.List<int[]> requests = new java.util.ArrayList<>();
        for (int start = 0; start < ord.length; ) {
            int bs = grouped ? Math.min(request, ord.length - start) : Math.min(b, ord.length - start);
            int parts = grouped ? 1 : Math.min(blocks, bs);
            for (int k = 0; k < parts; k++) {
                int s = (int) ((long) k * bs / parts);
                requests.add(new int[] {start + s, (int) ((long) (k + 1) * bs / parts) - s});
            }
            start += bs;
        }
        long sink = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            order.startEpoch(r);
            long t0 = System.nanoTime();
            for (int i = 0; i < requests.size(); i++) {
                int[] q = requests.get(i);
                int slot = g.gather(ord, q[0], q[1], i + 1 < requests.size() ? requests.get(i + 1)[1] : 0);
                sink += readLines(xSlots[slot], q[1] * xRowBytes) + readLines(ySlots[slot], q[1] * yRowBytes);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        java.lang.ref.Reference.reachabilityFence(xs);
        java.lang.ref.Reference.reachabilityFence(ys);
        java.lang.ref.Reference.reachabilityFence(cx);
        java.lang.ref.Reference.reachabilityFence(cy);
        linesRead = sink;
        return new Probe("shuffled gather, rows handed to the reading thread", best, (double) cx.rows() * (xRowBytes + yRowBytes));
    }

    /** Where {@link #handOff} leaves the sum of what it read, so that its loads are not optimised away. */
    @SuppressWarnings("unused")
    private static volatile long linesRead;

    /** One load from each 64-byte line of bytes 0..len of {@code b}: their sum, so that the loads are not dropped. */
    private static long readLines(ByteBuffer b, int len) {
        long sum = 0;
        for (int i = 0; i + 8 <= len; i += 64) {
            sum += b.getLong(i);
        }
        return sum;
    }

    /** Best of {@code repeats} square gemms C ← A·B of order {@code n} in {@code dtype}: 2n³ FLOPs each. */
    public static Probe gemm(int n, DataType dtype, int repeats) {
        requireCpu();
        INDArray a = Nd4j.rand(dtype, n, n);
        INDArray b = Nd4j.rand(dtype, n, n);
        INDArray c = Nd4j.createUninitialized(dtype, n, n);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            if (dtype == DataType.DOUBLE) {
                openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1.0,
                        new DoublePointer(HostMemory.pointer(a)), n, new DoublePointer(HostMemory.pointer(b)), n, 0.0,
                        new DoublePointer(HostMemory.pointer(c)), n);
            } else {
                openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f,
                        new FloatPointer(HostMemory.pointer(a)), n, new FloatPointer(HostMemory.pointer(b)), n, 0f,
                        new FloatPointer(HostMemory.pointer(c)), n);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        java.lang.ref.Reference.reachabilityFence(a); // used through raw pointers only
        java.lang.ref.Reference.reachabilityFence(b);
        java.lang.ref.Reference.reachabilityFence(c);
        return new Probe("gemm " + n, best, 2.0 * n * n * n);
    }
}
