package dev.descent.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Gram matrix A = [X 1]ᵀ[X 1] and the moment C = [X 1]ᵀY, accumulated in float64 in one chunked
 * pass over X (so a float32 X of any size needs only a float64 chunk). From them: the least-squares
 * solution θ* = A⁻¹C (Cholesky), and the Hessian of the MSE, H = (2/(N·m))·A per output — the same
 * matrix for every output — whose largest eigenvalue bounds the learning rate.
 */
public final class NormalEquations {
    /** Largest nX+1 for the dense (nX+1)² Gram matrix (8,193² doubles = 537 MB). */
    public static final int MAX_DIMENSION = 8193;

    private final double[][] a;
    private final double[][] c;
    private final long n;
    private final int m;

    private NormalEquations(double[][] a, double[][] c, long n, int m) {
        this.a = a;
        this.c = c;
        this.n = n;
        this.m = m;
    }

    /** Accumulates A and C. X (N×nX), Y (N×nY): not modified. */
    public static NormalEquations of(INDArray x, INDArray y) {
        long n = x.rows();
        int nx = (int) x.columns();
        int ny = (int) y.columns();
        if (y.rows() != n) {
            throw new IllegalArgumentException("X has " + n + " rows but Y has " + y.rows());
        }
        int d = nx + 1;
        if (d > MAX_DIMENSION) {
            throw new IllegalArgumentException("the normal equations need a dense " + d + "×" + d + " matrix; at most "
                    + MAX_DIMENSION + " features are supported (least squares and step-size analysis)");
        }
        INDArray acc = Nd4j.zeros(DataType.DOUBLE, d, d);
        INDArray cacc = Nd4j.zeros(DataType.DOUBLE, d, ny);
        long chunk = Math.max(1, Math.min(n, (1L << 21) / d));
        INDArray xa = Nd4j.ones(DataType.DOUBLE, chunk, d);
        for (long s = 0; s < n; s += chunk) {
            long e = Math.min(n, s + chunk);
            INDArray xs = x.get(NDArrayIndex.interval(s, e), NDArrayIndex.all()).castTo(DataType.DOUBLE);
            INDArray ys = y.get(NDArrayIndex.interval(s, e), NDArrayIndex.all()).castTo(DataType.DOUBLE);
            INDArray block = e - s == chunk ? xa : Nd4j.ones(DataType.DOUBLE, e - s, d);
            block.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nx)).assign(xs);
            Nd4j.gemm(block, block, acc, true, false, 1.0, 1.0);
            Nd4j.gemm(block, ys, cacc, true, false, 1.0, 1.0);
        }
        return new NormalEquations(acc.toDoubleMatrix(), cacc.toDoubleMatrix(), n, ny);
    }

    /** The number of rows N. */
    public long rows() {
        return n;
    }

    /**
     * The least-squares θ* = [W*; B*] ((nX+1)×nY, float64) minimising the MSE.
     *
     * @throws IllegalStateException when [X 1] does not have full column rank
     */
    public INDArray solve() {
        int d = a.length;
        double[][] l = cholesky(a);
        double[][] theta = new double[d][m];
        for (int k = 0; k < m; k++) {
            double[] z = new double[d];
            for (int i = 0; i < d; i++) { // L z = c
                double s = c[i][k];
                for (int j = 0; j < i; j++) {
                    s -= l[i][j] * z[j];
                }
                z[i] = s / l[i][i];
            }
            for (int i = d - 1; i >= 0; i--) { // Lᵀ θ = z
                double s = z[i];
                for (int j = i + 1; j < d; j++) {
                    s -= l[j][i] * theta[j][k];
                }
                theta[i][k] = s / l[i][i];
            }
        }
        return Nd4j.createFromArray(theta);
    }

    /** The Hessian of the MSE, H = (2/(N·m))·[X 1]ᵀ[X 1], as a (nX+1)×(nX+1) array. */
    public double[][] hessian() {
        double f = 2.0 / ((double) n * m);
        double[][] h = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            h[i] = a[i].clone();
            for (int j = 0; j < h[i].length; j++) {
                h[i][j] *= f;
            }
        }
        return h;
    }

    /** The eigenvalues of H in ascending order (cyclic Jacobi; H is small: (nX+1)²). */
    public double[] hessianEigenvalues() {
        return SymmetricEigen.eigenvalues(hessian());
    }

    /**
     * The largest eigenvalue of H by power iteration (H is symmetric positive semi-definite), to a
     * relative change below 1e-12 or 10,000 iterations.
     */
    public double largestHessianEigenvalue() {
        double[][] h = hessian();
        int d = h.length;
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1 / Math.sqrt(d));
        double lambda = 0;
        for (int it = 0; it < 10_000; it++) {
            double[] hv = new double[d];
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += h[i][j] * v[j];
                }
                hv[i] = s;
            }
            double norm = 0;
            for (double e : hv) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            for (int i = 0; i < d; i++) {
                v[i] = hv[i] / norm;
            }
            if (Math.abs(norm - lambda) <= 1e-12 * norm) {
                return norm;
            }
            lambda = norm;
        }
        return lambda;
    }

    private static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 1e-12 * Math.max(1.0, a[i][i]))) {
                        throw new IllegalStateException("least squares has no unique solution: [X 1] is rank deficient"
                                + " (a feature is constant or a linear combination of others)");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
