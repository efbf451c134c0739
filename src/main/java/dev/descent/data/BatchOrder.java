package dev.descent.data;

import java.util.SplittableRandom;

/**
 * The order in which the rows of a training set are visited, and how it is cut into batches.
 * Shuffling is a Fisher–Yates permutation from a {@link SplittableRandom} seeded once, so the
 * sequence of epochs' orders is fixed by the seed. With shuffling off the order is 0..N−1.
 */
public final class BatchOrder {
    private final int[] order;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final SplittableRandom rng;

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
        this.rng = new SplittableRandom(seed);
    }

    /** Starts an epoch: reshuffles if shuffling is on. */
    public void nextEpoch() {
        if (!shuffle) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
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
