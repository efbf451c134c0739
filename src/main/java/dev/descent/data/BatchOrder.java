package dev.descent.data;

/**
 * The order in which the rows of a training set are visited, and how it is cut into batches. With
 * shuffling on, epoch e visits the rows in a Fisher–Yates permutation of 0..N−1 drawn from SplitMix64
 * seeded with (seed, e) alone, so any epoch's order can be rebuilt without replaying the earlier ones —
 * which is what lets a run resume from a checkpoint bit for bit. With shuffling off the order is 0..N−1.
 */
public final class BatchOrder {
    private final int[] order;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;

    public BatchOrder(long n, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " training rows, got " + n);
        }
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException("batch size must be in [1, N=" + n + "], got " + batchSize);
        }
        this.order = new int[(int) n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Sets the order for epoch {@code epoch} (0-based); a pure function of (seed, epoch). */
    public void startEpoch(int epoch) {
        if (!shuffle) {
            return;
        }
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        rng = mix(seed ^ mix(0x9E3779B97F4A7C15L * (epoch + 1L)));
        for (int i = order.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private long rng;

    /** SplitMix64 (Steele, Lea &amp; Flood 2014): the next 32 random bits. */
    private long next32() {
        rng += 0x9E3779B97F4A7C15L;
        return mix(rng) >>> 32;
    }

    /** Uniform in [0, bound), exactly: Lemire's multiply-shift with rejection (2019). */
    private int nextInt(int bound) {
        long m = next32() * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = next32() * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Live view of the current order: row {@code order()[k]} is visited k-th. Not to be modified. */
    public int[] order() {
        return order;
    }

    public boolean shuffled() {
        return shuffle;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: ⌊N/b⌋ when the last partial batch is dropped, else ⌈N/b⌉. */
    public int batches() {
        int full = order.length / batchSize;
        return dropLast || order.length % batchSize == 0 ? full : full + 1;
    }

    /** Rows in batch k (the last may be partial). */
    public int size(int k) {
        return Math.min(batchSize, order.length - k * batchSize);
    }

    /** Rows visited per epoch. */
    public long rowsPerEpoch() {
        return dropLast ? (long) (order.length / batchSize) * batchSize : order.length;
    }
}
