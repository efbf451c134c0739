package dev.descent.data;

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
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
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
