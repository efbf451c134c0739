package dev.descent.data;

import java.util.BitSet;

/**
 * A seeded random choice of {@code chosen} of {@code rows} rows (a split's test rows) that any part of the
 * rows can decide on its own: Knuth's selection sampling (TAOCP vol. 2, 3.4.2, Algorithm S), which takes row
 * t when (N − t)·U_t &lt; k − m (m rows taken before it) and so takes exactly k rows, every k-subset alike.
 * U_t is drawn from the row's own index (SplitMix64 of seed + (t+1)·γ, the t-th double of a
 * {@code SplittableRandom(seed)}), so a range of rows needs only the number taken before it
 * ({@link #chosenBefore}): one machine, a streamed file and a cluster's partitions pick the same rows,
 * however the rows are divided.
 */
public record HoldOut(long rows, long chosen, long seed) implements java.io.Serializable {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    public HoldOut {
        if (rows < 0 || chosen < 0 || chosen > rows) {
            throw new IllegalArgumentException("cannot choose " + chosen + " of " + rows + " rows");
        }
    }

    /** U_t in [0, 1): SplitMix64's output for the row's index, top 53 bits. */
    private double uniform(long t) {
        long z = seed + (t + 1) * GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    private boolean takes(long t, long before) {
        return (rows - t) * uniform(t) < chosen - before;
    }

    /**
     * Rows taken before each of {@code starts} (ascending row numbers in [0, rows]), by one scan of the rows
     * up to the last of them.
     */
    public long[] chosenBefore(long... starts) {
        long[] out = new long[starts.length];
        long m = 0;
        long t = 0;
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] < t || starts[i] > rows) {
                throw new IllegalArgumentException("row starts must ascend within [0, " + rows + "], got " + starts[i]);
            }
            for (; t < starts[i] && m < chosen; t++) {
                if (takes(t, m)) {
                    m++;
                }
            }
            t = Math.max(t, starts[i]);
            out[i] = m;
        }
        return out;
    }

    /**
     * Which of rows [from, to) are taken (bit i: row from + i), given the {@code before} rows taken before
     * {@code from} ({@link #chosenBefore}).
     */
    public BitSet chosen(long from, long to, long before) {
        if (from < 0 || to < from || to > rows || to - from > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not a range of " + rows);
        }
        BitSet out = new BitSet((int) (to - from));
        long m = before;
        for (long t = from; t < to && m < chosen; t++) {
            if (takes(t, m)) {
                out.set((int) (t - from));
                m++;
            }
        }
        return out;
    }
}
