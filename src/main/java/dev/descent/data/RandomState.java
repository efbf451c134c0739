package dev.descent.data;

import dev.descent.host.Libm;

/**
 * numpy's legacy {@code numpy.random.RandomState} seeded from an int, draw for draw: the Mersenne
 * Twister MT19937 (Matsumoto &amp; Nishimura 1998) seeded by {@code init_genrand}, 53-bit doubles from two
 * 32-bit outputs, the polar (Marsaglia) Gaussian that caches its second value, and {@code shuffle} by
 * Fisher–Yates with masked rejection sampling. The same seed gives numpy's numbers bit for bit.
 */
public final class RandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** {@code RandomState(seed)} for 0 ≤ seed &lt; 2³². */
    public RandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The next 32-bit output (as an unsigned value in a long). */
    public long nextUint32() {
        if (pos >= N) {
            generate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void generate() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** {@code random_sample()}: a double in [0, 1) with 53 random bits. */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** {@code standard_normal()}: the polar method; every second call returns the cached value. */
    public double standardNormal() {
        double[] one = new double[1];
        standardNormal(one, 0, 1);
        return one[0];
    }

    /**
     * {@code count} successive {@code standard_normal()} draws into {@code out[from..from+count)}, the same
     * numbers as that many single calls. Each pair's uniforms are drawn in numpy's order; the logarithms of
     * all the pairs' r² are then taken in one call to the C library's {@code log} ({@link Libm}), which numpy
     * uses and Java's {@code Math.log} does not always equal. out: modified.
     */
    public void standardNormal(double[] out, int from, int count) {
        int i = from;
        int end = from + count;
        if (hasGauss && i < end) {
            out[i++] = gauss;
            hasGauss = false;
        }
        int pairs = (end - i + 1) / 2;
        double[] x1 = new double[pairs];
        double[] x2 = new double[pairs];
        double[] r2 = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            double a;
            double b;
            double r;
            do {
                a = 2.0 * randomSample() - 1.0;
                b = 2.0 * randomSample() - 1.0;
                r = a * a + b * b;
            } while (r >= 1.0 || r == 0.0);
            x1[p] = a;
            x2[p] = b;
            r2[p] = r;
        }
        double[] log = new double[pairs];
        Libm.log(r2, log, pairs);
        for (int p = 0; p < pairs; p++) {
            double f = Math.sqrt(-2.0 * log[p] / r2[p]);
            out[i++] = f * x2[p];
            if (i < end) {
                out[i++] = f * x1[p];
            } else {
                gauss = f * x1[p];
                hasGauss = true;
            }
        }
    }

    /** {@code normal(loc, scale)}. */
    public double normal(double loc, double scale) {
        return loc + scale * standardNormal();
    }

    /** {@code uniform(low, high)}. */
    public double uniform(double low, double high) {
        return low + (high - low) * randomSample();
    }

    /** A uniform integer in [0, max] by masked rejection (numpy's {@code random_interval}). */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        if (max <= 0xffffffffL) {
            long v;
            while ((v = nextUint32() & mask) > max) {
                // reject
            }
            return v;
        }
        long v;
        while ((v = ((nextUint32() << 32) | nextUint32()) & mask) > max) {
            // reject
        }
        return v;
    }

    /** {@code shuffle(x)} of a 1-D array in place. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}
