package dev.descent.data;

import org.nd4j.linalg.factory.Nd4j;

/**
 * scikit-learn's {@code make_regression}, well conditioned ({@code effective_rank=None}) or low rank
 * ({@code make_low_rank_matrix}: X = U·diag(s)·Vᵀ, U and V the Q factors of Gaussian matrices by LAPACK's
 * Householder QR, s = (1−t)·exp(−(i/r)²) + t·exp(−0.1·i/r); equal to scikit-learn's within rounding),
 * reproducing sklearn 1.2's order of draws from numpy's legacy RandomState: X ~ standard_normal
 * (N×nX, row-major), coef[:n_informative] = 100·uniform (n_informative×n_targets), y = X·coef + bias,
 * y += normal(0, noise) when noise &gt; 0, then (shuffle) a permutation of the rows and one of the
 * features. With the same arguments X and coef are numpy's bit for bit; y agrees to the rounding of the
 * dot product (numpy's comes from BLAS, whose summation order is its own).
 */
public record MakeRegression(int nSamples, int nFeatures, int nInformative, int nTargets, double bias, double noise,
        boolean shuffle, long randomState, Double effectiveRank, double tailStrength) {

    /** The well-conditioned case ({@code effective_rank=None}). */
    public MakeRegression(int nSamples, int nFeatures, int nInformative, int nTargets, double bias, double noise, boolean shuffle,
            long randomState) {
        this(nSamples, nFeatures, nInformative, nTargets, bias, noise, shuffle, randomState, null, 0.5);
    }

    public MakeRegression {
        if (effectiveRank != null && !(effectiveRank > 0)) {
            throw new IllegalArgumentException("effective_rank must be > 0, got " + effectiveRank);
        }
        if (!(tailStrength >= 0 && tailStrength <= 1)) {
            throw new IllegalArgumentException("tail_strength must be in [0, 1], got " + tailStrength);
        }
        if (nSamples < 1 || nFeatures < 1 || nTargets < 1) {
            throw new IllegalArgumentException("n_samples, n_features and n_targets must be >= 1");
        }
        if (nInformative < 0) {
            throw new IllegalArgumentException("n_informative must be >= 0, got " + nInformative);
        }
        if (!(noise >= 0) || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("noise must be >= 0 and bias finite");
        }
    }

    /** X (N×nX), y (N×nT), coef (nX×nT), all float64, row-major. */
    public record Result(double[][] x, double[][] y, double[][] coef) {
        /** As a float64 dataset. */
        public Dataset dataset() {
            return new Dataset(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
        }
    }

    public Result generate() {
        RandomState rs = new RandomState(randomState);
        int n = nSamples;
        int p = nFeatures;
        int k = Math.min(nInformative, p); // numpy slicing clips
        double[][] x = effectiveRank != null ? lowRank(rs, n, p, effectiveRank, tailStrength) : gaussian(rs, n, p);
        double[][] coef = new double[p][nTargets];
        for (int i = 0; i < k; i++) {
            for (int t = 0; t < nTargets; t++) {
                coef[i][t] = 100 * rs.uniform(0.0, 1.0);
            }
        }
        double[][] y = new double[n][nTargets];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < nTargets; t++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    s += x[i][j] * coef[j][t];
                }
                y[i][t] = s + bias;
            }
        }
        if (noise > 0) { // y += normal(0, noise, size=y.shape), row-major
            double[] g = new double[n * nTargets];
            rs.standardNormal(g, 0, g.length);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < nTargets; t++) {
                    y[i][t] += 0.0 + noise * g[i * nTargets + t];
                }
            }
        }
        if (shuffle) {
            int[] rows = identity(n);
            rs.shuffle(rows);
            x = permuteRows(x, rows);
            y = permuteRows(y, rows);
            int[] cols = identity(p);
            rs.shuffle(cols);
            double[][] xs = new double[n][p];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    xs[i][j] = x[i][cols[j]];
                }
            }
            x = xs;
            coef = permuteRows(coef, cols);
        }
        return new Result(x, y, coef);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double[][] permuteRows(double[][] a, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]].clone();
        }
        return out;
    }

    /** n×p standard normal draws in numpy's (row-major) order, one native log call per 65,536. */
    private static double[][] gaussian(RandomState rs, int n, int p) {
        double[][] x = new double[n][p];
        double[] chunk = new double[1 << 16];
        long total = (long) n * p;
        for (long at = 0; at < total; at += chunk.length) {
            int len = (int) Math.min(chunk.length, total - at);
            rs.standardNormal(chunk, 0, len);
            for (int q = 0; q < len; q++) {
                long e = at + q;
                x[(int) (e / p)][(int) (e % p)] = chunk[q];
            }
        }
        return x;
    }

    /** sklearn's make_low_rank_matrix on the same generator: the draws for U, then for V, then U·diag(s)·Vᵀ. */
    private static double[][] lowRank(RandomState rs, int n, int p, double rank, double tail) {
        int k = Math.min(n, p);
        double[][] u = gaussian(rs, n, k);
        double[][] v = gaussian(rs, p, k);
        dev.descent.host.Lapack.orthonormalize(u);
        dev.descent.host.Lapack.orthonormalize(v);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = (1 - tail) * Math.exp(-1.0 * Math.pow(i / rank, 2)) + tail * Math.exp(-0.1 * i / rank);
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double sum = 0;
                for (int q = 0; q < k; q++) {
                    sum += u[i][q] * s[q] * v[j][q];
                }
                x[i][j] = sum;
            }
        }
        return x;
    }
}
