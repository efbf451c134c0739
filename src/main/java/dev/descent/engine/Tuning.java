package dev.descent.engine;

/**
 * The engine's tuning constants, in one place (as EJML keeps its thresholds): sizes picked by measurement
 * on x86-64 machines with 512 KiB–2 MiB of L2 per core (docs/performance.md). None changes a result's
 * bits except where said; they move only the speed.
 */
public final class Tuning {
    private Tuning() {
    }

    /**
     * Rows of a large batch are processed in equal blocks of at most this many bytes of X, small enough to stay
     * in L2 between the forward and the backward product. Changes the float rounding of the gradient's
     * accumulation for batches larger than a block, so it is part of a run's bits.
     */
    public static final int BLOCK_BYTES = 192 * 1024;

    /** The least rows per block, whatever nX. */
    public static final int BLOCK_MIN_ROWS = 64;

    /**
     * A shuffled batch is gathered one block ahead on a helper thread only when it holds at least this many
     * bytes of X: below it the hand-off costs more than it hides.
     */
    public static final long PREFETCH_MIN_BYTES = 32 * 1024;
    /**
     * Bytes of X in a group of small batches (each below {@link #PREFETCH_MIN_BYTES}) gathered at once, the next
     * group on the helper thread (CpuBlasKernel). 128 KB beat 32 KB at batch 32 (docs/performance.md).
     */
    public static final long GROUP_BYTES = 128 * 1024;

    /**
     * With {@code --threads T}, a batch is split into at most T shares of at least this many bytes of X each
     * (and {@link #SHARE_MIN_ROWS} rows); one that holds less than two runs on one thread and its gather
     * helper, as with T = 1. At nX 100 float32 (61 rows of 24 KB) two threads on two cores beat one from batch
     * 128 on, and lost at 32 and 64 (docs/performance.md). Part of a run's bits: it decides how a batch is split.
     */
    public static final int SHARE_MIN_BYTES = 24 * 1024;

    /**
     * And at least this many rows a share: at nX 1000, batch 32 cut into two 16-row shares lost to one thread
     * (nY 10: 0.63 against 0.83 M samples/s float32, 0.40 against 0.44 float64; nY 1 even), while 128-row shares
     * won at batch 256. 64 is between the two, not measured finer. Part of a run's bits, as above.
     */
    public static final int SHARE_MIN_ROWS = 64;

    /** Bytes of X per chunk the gather's threads claim: a few microseconds of copying, far more than a claim costs. */
    public static final int GATHER_CHUNK_BYTES = 8 * 1024;

    /** The gather helper spins this long for work before it yields, then sleeps after {@link #GATHER_IDLE_NANOS}. */
    public static final long GATHER_SPIN_NANOS = 50_000L;

    public static final long GATHER_IDLE_NANOS = 200_000_000L;

    /** Rows of X in a block of a large batch ({@link #BLOCK_BYTES}, at least {@link #BLOCK_MIN_ROWS}). */
    public static int blockRows(int xRowBytes) {
        return Math.max(BLOCK_MIN_ROWS, BLOCK_BYTES / xRowBytes);
    }

    /** Rows in a group of batches of b rows each below {@link #PREFETCH_MIN_BYTES}: whole batches, at least {@link #GROUP_BYTES}. */
    public static int groupRows(int b, int xRowBytes) {
        long batchBytes = (long) b * xRowBytes;
        return (int) Math.min(Integer.MAX_VALUE, b * ((GROUP_BYTES + batchBytes - 1) / batchBytes));
    }

    /** The test set is evaluated in batches of at least this many rows (the training batch size when larger). */
    public static final int EVAL_BATCH = 4096;
}
