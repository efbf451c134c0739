package dev.descent.engine;

import dev.descent.data.Dataset;
import dev.descent.host.Blas;
import dev.descent.host.HostMemory;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU gradient kernel with every batch split over up to T threads: a batch of b rows is cut into
 * S = min(T, ⌊b / r⌋) shares, r being the rows of {@link Tuning#SHARE_MIN_BYTES} of X and at least
 * {@link Tuning#SHARE_MIN_ROWS}; thread s gathers and multiplies rows ⌈s·b/S⌉ … ⌈(s+1)·b/S⌉ − 1 of the batch
 * (in a {@link CpuBlasKernel} of its own, without a gather helper) into a partial gradient, and the partials
 * are added in the order s = 0, 1, …, S − 1 (each already scaled by 2/(b·m)); the batch's Σ r² likewise. A
 * batch too small for two shares runs on the one-thread kernel and its gather helper, as with T = 1. How a
 * batch is cut and the order of the sums depend on T, b and the row's width alone, so a given T gives the
 * same bits run to run, whichever thread finishes first; another T adds in another order and differs in the
 * last bits.
 *
 * <p>The calling thread computes share 0; T − 1 workers ({@link HelperThread}s) wait for a step by spinning
 * briefly, then parking (the caller wakes a parked one), and end after {@link Tuning#GATHER_IDLE_NANOS} without
 * work, so an abandoned kernel leaks no thread (a later call starts them again). Nothing is allocated per batch.
 */
final class ThreadedKernel implements GradientKernel {
    private final CpuBlasKernel whole; // a batch too small to split, with the gather helper
    private final CpuBlasKernel[] shares;
    private final int minShareRows;
    private final INDArray[] partials; // share t's gradient (t ≥ 1; share 0 writes the caller's)
    private final Pointer[] partialPtr;
    private final Blas blas;
    private final int length; // elements of θ
    private final int m; // outputs
    private INDArray gradArray; // the gradient last written, and its pointer (rebound when the array changes)
    private Pointer gradPtr;
    private final int maxBatch;
    private final long rows;
    private final Worker[] workers; // workers[t − 1] computes share t

    // The step being computed: written by the caller before `generation` publishes it, and read only by the
    // workers of its shares, for whom the caller waits before it writes the next.
    private INDArray taskTheta;
    private int[] taskOrder;
    private int taskStart;
    private int taskB;
    private boolean taskGradient; // else a forward pass only (squaredError)
    private double taskScale;
    /** Steps published so far (above bit 16) and the current step's share count S (below): a worker whose
     * share is not among them learns it from this word alone, without reading the task. */
    private volatile long generation;
    /**
     * More threads than this JVM may run at once (as under {@code taskset}): a spinning wait would hold the core
     * the awaited thread needs, so waits yield it instead and workers do not spin before they park.
     */
    private final boolean oversubscribed;

    ThreadedKernel(Dataset data, int maxBatch, int threads) {
        if (threads < 2 || threads > 1024) {
            throw new IllegalArgumentException("a threaded kernel takes 2..1024 threads, got " + threads);
        }
        this.maxBatch = maxBatch;
        this.rows = data.size();
        this.oversubscribed = threads > Cores.available();
        this.blas = Blas.of(data.dataType());
        int rowBytes = data.inputs() * (data.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? 8 : 4);
        this.minShareRows = Math.max(Tuning.SHARE_MIN_ROWS, Tuning.SHARE_MIN_BYTES / rowBytes);
        // The largest share: ⌈b/T⌉ once b holds T shares; below, S = ⌊b/r⌋ shares of fewer than 2r rows each
        int share = (int) Math.min(maxBatch, Math.max((maxBatch + (long) threads - 1) / threads, 2L * minShareRows));
        this.whole = new CpuBlasKernel(data, maxBatch);
        this.shares = new CpuBlasKernel[threads];
        this.partials = new INDArray[threads];
        this.partialPtr = new Pointer[threads];
        for (int t = 0; t < threads; t++) {
            shares[t] = new CpuBlasKernel(data, share, 1, false);
            if (t > 0) {
                partials[t] = Nd4j.zeros(data.dataType(), data.inputs() + 1, data.outputs());
                partialPtr[t] = blas.typed(HostMemory.pointer(partials[t]));
            }
        }
        this.m = data.outputs();
        this.length = (data.inputs() + 1) * m;
        this.workers = new Worker[threads - 1];
        for (int t = 1; t < threads; t++) {
            workers[t - 1] = new Worker(t);
        }
    }

    /** Threads a batch is split over. */
    int threads() {
        return shares.length;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public double gradient(INDArray theta, int[] order, int start, int b, INDArray grad) {
        GradientKernel.checkBatch(b, maxBatch);
        int s = shares(b);
        if (s == 1) {
            return whole.gradient(theta, order, start, b, grad);
        }
        double sq = run(theta, order, start, b, s, true, 2.0 / ((double) b * m), grad);
        if (grad != gradArray) { // share 0 has checked its shape
            gradPtr = blas.typed(HostMemory.pointer(grad));
            gradArray = grad;
        }
        for (int t = 1; t < s; t++) { // no share is empty: each holds at least minShareRows
            blas.axpy(length, 1.0, partialPtr[t], gradPtr); // 1·x is x: one rounding per element
        }
        return sq / ((double) b * m);
    }

    @Override
    public double squaredError(INDArray theta, int start, int b) {
        GradientKernel.checkBatch(b, maxBatch);
        int s = shares(b);
        return s == 1 ? whole.squaredError(theta, start, b) : run(theta, null, start, b, s, false, 0, null);
    }

    /** Shares a batch of b rows is cut into: S = min(T, ⌊b / minShareRows⌋), at least 1. */
    int shares(int b) {
        return Math.max(1, Math.min(shares.length, b / minShareRows));
    }

    /** Share 0 here, shares 1 … s − 1 on the workers; Σ r² of the shares in order. */
    private double run(INDArray theta, int[] order, int start, int b, int s, boolean gradient, double scale, INDArray grad) {
        taskTheta = theta;
        taskOrder = order;
        taskStart = start;
        taskB = b;
        taskGradient = gradient;
        taskScale = scale;
        long g = ((generation >>> 16) + 1) << 16 | s;
        generation = g; // publishes the task
        for (int t = 1; t < s; t++) {
            workers[t - 1].wake();
        }
        double sq = compute(0, s, grad);
        for (int t = 1; t < s; t++) {
            Worker w = workers[t - 1];
            while (w.done != g) {
                Throwable f = w.thread.failure();
                if (f != null) {
                    throw new IllegalStateException("a gradient thread failed: " + f, f);
                }
                HelperThread.pause(oversubscribed);
            }
            sq += w.result;
        }
        return sq;
    }

    /** Share t of the published task; its partial gradient goes to {@code grad} (share 0) or its own buffer. */
    private double compute(int t, int s, INDArray grad) {
        int lo = from(t, taskB, s);
        int len = from(t + 1, taskB, s) - lo;
        CpuBlasKernel k = shares[t];
        if (!taskGradient) {
            return k.squaredError(taskTheta, taskStart + lo, len);
        }
        return k.share(taskTheta, taskOrder, taskStart + lo, len, t == 0 ? grad : partials[t], null, taskScale);
    }

    /** The first row of share t of s in a batch of b rows: ⌈t·b/s⌉. */
    private static int from(int t, int b, int s) {
        return (int) (((long) t * b + s - 1) / s);
    }

    /** Computes share {@link #share} of each step published; its thread spins, parks and ends as {@link HelperThread}'s do. */
    private final class Worker implements HelperThread.Work {
        private final int share;
        final HelperThread thread;
        private long seen; // the last generation taken: kept here, so a restarted thread goes on from it
        private double result; // written before done
        private volatile long done;

        Worker(int share) {
            this.share = share;
            this.thread = new HelperThread("descent-gradient-" + share, this, oversubscribed);
        }

        void wake() {
            thread.wake();
        }

        @Override
        public boolean run() {
            long g = generation;
            if (g == seen) {
                return false;
            }
            int s = (int) (g & 0xFFFF);
            result = share < s ? compute(share, s, null) : 0;
            seen = g;
            done = g;
            return true;
        }

        @Override
        public boolean pending() {
            return generation != seen;
        }
    }
}
