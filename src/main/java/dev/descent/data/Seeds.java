package dev.descent.data;

/**
 * The one place where a run's seeds are derived from the one the user gives ({@code --seed s}): the
 * data from s, the initial W, B from s+1, the shuffle from s+2, a file's test split from s+3, and a
 * streamed file's chunk order from the shuffle's seed. Changing any of these changes every recorded
 * run's bits, which is why they are written down once.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The synthetic data's (and any data generator's) seed. */
    public static long data(long seed) {
        return seed;
    }

    /** The seeded initial W, B. */
    public static long init(long seed) {
        return seed + 1;
    }

    /** The batch order (shuffle). */
    public static long shuffle(long seed) {
        return seed + 2;
    }

    /** A file's random train/test split. */
    public static long split(long seed) {
        return seed + 3;
    }

    /** A streamed file's chunk order, from the shuffle's seed (so that it differs from the rows' order within a chunk). */
    public static long chunkOrder(long shuffleSeed) {
        return shuffleSeed ^ 0x5DEECE66DL;
    }
}
