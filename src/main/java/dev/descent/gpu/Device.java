package dev.descent.gpu;

import java.nio.ByteBuffer;

/**
 * What the GPU training path asks of a device: memory, copies (and staged copies on a second stream), the cuBLAS calls the CPU kernel makes
 * (column-major, as cuBLAS takes them), and the one kernel of descent's own (the shuffled gather,
 * {@code kernels.cu}). Every element is of the device's one dtype ({@link #doubles()}), offsets and
 * lengths count elements. Calls are queued in order on one stream; only {@link #download} waits.
 *
 * <p>Two implementations: {@code CudaDevice} (cuBLAS, the CUDA runtime and NVRTC through JavaCPP; built by
 * the {@code gpu} profile) and, in the tests, a host stand-in that runs the same calls on the CPU and checks
 * every argument.
 */
public interface Device extends AutoCloseable {

    /** Device memory of {@code length} elements, of the device's dtype or 32-bit ints. */
    abstract class Mem {
        public final long length;

        protected Mem(long length) {
            this.length = length;
        }
    }

    /** The device's name, compute capability and memory, for run headers. */
    String describe();

    /** True for float64 arithmetic, false for float32. */
    boolean doubles();

    /** {@code length} elements of the dtype, zeroed. */
    Mem alloc(long length);

    /** {@code length} 32-bit ints, zeroed. */
    Mem allocInts(long length);

    /** dst[offset …] ← the elements in {@code src} (host memory in the device's dtype, native order). */
    void upload(ByteBuffer src, Mem dst, long offset);

    /** dst[0 … src.length) ← src (ints). */
    void upload(int[] src, Mem dst);

    /** dst ← src[offset … offset + dst.length), after all queued work: the one call that waits. */
    void download(Mem src, long offset, double[] dst);

    /** C ← α·op(A)·op(B) + β·C, column-major (cublas?gemm). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Mem a, long aOff, int lda, Mem b, long bOff,
            int ldb, double beta, Mem c, long cOff, int ldc);

    /** y ← α·op(A)·x + β·y, A m×n column-major, unit strides (cublas?gemv). */
    void gemv(boolean trans, int m, int n, double alpha, Mem a, long aOff, int lda, Mem x, long xOff, double beta, Mem y,
            long yOff);

    /** A ← α·x·yᵀ + A, A m×n column-major (cublas?ger). */
    void ger(int m, int n, double alpha, Mem x, long xOff, Mem y, long yOff, Mem a, long aOff, int lda);

    /** y ← α·x + y (cublas?axpy). */
    void axpy(int n, double alpha, Mem x, long xOff, Mem y, long yOff);

    /** x ← α·x (cublas?scal). */
    void scal(int n, double alpha, Mem x, long xOff);

    /** y ← x (cublas?copy). */
    void copy(int n, Mem x, long xOff, Mem y, long yOff);

    /** result[rOff] ← x·y, written in device memory (cublas?dot in device pointer mode): no copy to the host. */
    void dot(int n, Mem x, long xOff, Mem y, long yOff, Mem result, long rOff);

    /**
     * Row i of dst ← row order[start + i] of src, for i &lt; rows; rows {@code width} elements wide
     * (descent's gather kernel).
     */
    void gatherRows(Mem src, int width, Mem order, int start, int rows, Mem dst);

    /** Bytes of device memory free now. */
    long freeBytes();

    /**
     * Page-locked host memory of {@code bytes} (freed on close): what {@link #stage} copies from while the host
     * goes on.
     */
    ByteBuffer pinned(long bytes);

    /**
     * dst[0 …) ← the first {@code bytes} of {@code src} (from {@link #pinned}), copied on a second stream
     * while earlier work computes. Calls after it wait for the copy; the copy waits for the work queued
     * before the previous {@code stage} of the other slot, the last that can read what {@code slot}'s
     * buffers held ({@code slot} 0 or 1: double buffering).
     */
    void stage(ByteBuffer src, long bytes, Mem dst, int slot);

    /** Waits until every {@link #stage}d copy is done: their pinned memory may then be written again. */
    void awaitStaged();

    /** Seconds the device took for the work {@code work} queues, timed on the device (CUDA events); waits for it. */
    double time(Runnable work);

    /** Frees every allocation. */
    @Override
    void close();
}
