package dev.descent.data;

import org.nd4j.linalg.factory.Nd4j;

/**
 * scikit-learn's {@code make_regression} (the well-conditioned case, {@code effective_rank=None}),
 * reproducing sklearn 1.2's order of draws from numpy's legacy RandomState: X ~ standard_normal
 * (N×nX, row-major), coef[:n_informative] = 100·uniform (n_informative×n_targets), y = X·coef + bias,
 * y += normal(0, noise) when noise &gt; 0, then (shuffle) a permutation of the rows and one of the
 * features. With the same arguments X and coef are numpy's bit for bit; y agrees to the rounding of the
 * dot product (numpy's comes from BLAS, whose summation order is its own).
 */
public record MakeRegression(int nSamples, int nFeatures, int nInformative, int nTargets, double bias, double noise,
        boolean shuffle, long randomState) {

    public MakeRegression {
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
        double[][] x = new double[n][p];
        double[] chunk = new double[1 << 16]; // row-major draws, one native log call per chunk
        long total = (long) n * p;
        for (long at = 0; at < total; at += chunk.length) {
            int len = (int) Math.min(chunk.length, total - at);
            rs.standardNormal(chunk, 0, len);
            for (int q = 0; q < len; q++) {
                long e = at + q;
                x[(int) (e / p)][(int) (e % p)] = chunk[q];
            }
        }
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
}
