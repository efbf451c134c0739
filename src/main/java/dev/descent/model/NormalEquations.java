package dev.descent.model;

import dev.descent.host.Blas;
import dev.descent.host.Lapack;
import dev.descent.host.MemoryBudget;
import java.nio.DoubleBuffer;
import java.util.Locale;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Gram matrix A = [X 1]ᵀ[X 1] and the moment C = [X 1]ᵀY, accumulated in float64 in one chunked
 * pass over X (BLAS syrk and gemm on float64 row blocks, so a float32 X of any size needs only a float64
 * block). From them, by LAPACK: the least-squares solution (Cholesky while A is well conditioned, else the
 * minimum-norm solution by the SVD of [X 1] with its effective rank), and the Hessian of the MSE,
 * H = (2/(N·m))·A per output — the same matrix for every output — whose eigenvalues bound the step sizes.
 *
 * <p>The data is kept by reference (not modified) for the SVD path. Native memory (A and C, d² + d·m
 * doubles) is accounted for against {@link MemoryBudget} before it is allocated.
 */
public final class NormalEquations {
    /**
     * Cholesky on the normal equations while rcond₁(A) is at least this: its relative error is about
     * κ(A)·ε = κ([X 1])²·ε, so this keeps it near 1e-8; worse-conditioned problems go to the SVD of [X 1].
     */
    public static final double CHOLESKY_MIN_RCOND = 1e-8;
    /** Rows per float64 block of [X 1] in the accumulation (about 16 MB at most). */
    private static final long BLOCK_DOUBLES = 1L << 21;

    /** How the least-squares solution was found. */
    public enum Method {
        CHOLESKY("Cholesky on the normal equations"),
        SVD("minimum norm, SVD of [X 1] (dgelsd)"),
        EIGEN("minimum norm, eigen-decomposition of [X 1]ᵀ[X 1]");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * A least-squares solution θ = [W; B] ((nX+1)×nY, float64) with the effective rank of [X 1] (of
     * {@code dimension} = nX+1 columns) and the method that found it.
     */
    public record Solution(INDArray theta, int rank, int dimension, Method method) {
        public boolean fullRank() {
            return rank == dimension;
        }

        /** "Cholesky on the normal equations, rank 21 of 21". */
        public String describe() {
            return String.format(Locale.ROOT, "%s, rank %d of %d", method.description(), rank, dimension);
        }
    }

    private final DoublePointer a; // d×d, whole
    private final DoublePointer c; // d×m
    private final int d;
    private final int m;
    private final long n;
    private final INDArray x;
    private final INDArray y;

    private NormalEquations(DoublePointer a, DoublePointer c, int d, int m, long n, INDArray x, INDArray y) {
        this.a = a;
        this.c = c;
        this.d = d;
        this.m = m;
        this.n = n;
        this.x = x;
        this.y = y;
    }

    /** Bytes of native memory that the normal equations for nX inputs and nY outputs take, with one working copy of A. */
    public static long bytesNeeded(long nx, long ny) {
        long d = nx + 1;
        return 8 * (2 * d * d + d * ny + BLOCK_DOUBLES + Math.max(1, BLOCK_DOUBLES / d) * ny);
    }

    /**
     * Accumulates A and C. X (N×nX), Y (N×nY): not modified (kept by reference for the SVD path).
     *
     * @throws IllegalArgumentException when the shapes disagree or A and a working copy do not fit in memory
     */
    public static NormalEquations of(INDArray x, INDArray y) {
        return Lapack.onAllCores(() -> accumulate(x, y));
    }

    private static NormalEquations accumulate(INDArray x, INDArray y) {
        if (y.rows() != x.rows()) {
            throw new IllegalArgumentException("X has " + x.rows() + " rows but Y has " + y.rows());
        }
        Accumulator acc = new Accumulator(x.columns(), (int) y.columns());
        acc.add(x, y);
        return acc.finish(x, y);
    }

    /**
     * [X 1]ᵀ[X 1] and [X 1]ᵀY summed over the rows given piece by piece (for data read in chunks), in
     * float64 blocks with dsyrk and gemm. Not thread-safe; {@link #finish} once.
     */
    public static final class Accumulator {
        private final int d;
        private final int ny;
        private final long nx;
        private final DoublePointer a;
        private final DoublePointer c;
        private final long chunk;
        private final INDArray block;
        private final INDArray yBlock;
        private final DoublePointer blockPtr;
        private final DoublePointer yPtr;
        private long n;

        /** @throws IllegalArgumentException when A and a working copy do not fit in memory */
        public Accumulator(long nx, int ny) {
            if ((nx + 1) * (nx + 1) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the normal equations for " + nx + " features need more than 2³¹ elements");
            }
            MemoryBudget.require(bytesNeeded(nx, ny), "the normal equations for " + nx + " features ((nX+1)² float64 twice)",
                    "skip them with --no-exact");
            this.nx = nx;
            this.ny = ny;
            this.d = (int) nx + 1;
            this.a = Lapack.allocate((long) d * d);
            this.c = Lapack.allocate((long) d * ny);
            this.chunk = Math.max(1, BLOCK_DOUBLES / d);
            this.block = Nd4j.ones(DataType.DOUBLE, chunk, d);
            this.yBlock = Nd4j.zeros(DataType.DOUBLE, chunk, ny);
            this.blockPtr = new DoublePointer(block.data().addressPointer());
            this.yPtr = new DoublePointer(yBlock.data().addressPointer());
        }

        /** Adds the rows of xs (k×nX) and ys (k×nY). Not modified. */
        public void add(INDArray xs, INDArray ys) {
            long k = xs.rows();
            if (xs.columns() != nx || ys.columns() != ny || ys.rows() != k) {
                throw new IllegalArgumentException("rows of " + xs.columns() + "→" + ys.columns() + " added to normal equations of "
                        + nx + "→" + ny);
            }
            for (long s = 0; s < k; s += chunk) {
                long e = Math.min(k, s + chunk);
                int rows = (int) (e - s);
                block.get(NDArrayIndex.interval(0, rows), NDArrayIndex.interval(0, nx))
                        .assign(xs.get(NDArrayIndex.interval(s, e), NDArrayIndex.all()));
                yBlock.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())
                        .assign(ys.get(NDArrayIndex.interval(s, e), NDArrayIndex.all()));
                Lapack.syrkUpper(rows, d, blockPtr, a); // A += [Xs 1]ᵀ[Xs 1]
                Blas.F64.gemm(true, d, ny, rows, 1.0, blockPtr, d, yPtr, ny, 1.0, c, ny); // C += [Xs 1]ᵀYs
            }
            n += k;
        }

        /**
         * The sums so far as plain arrays: A's upper triangle and C, row-major ((nX+1)², (nX+1)·nY), and the
         * row count last; what a cluster's partitions send to be {@link #merge}d. A is not yet symmetrized.
         */
        public double[] sums() {
            double[] out = new double[d * d + d * ny + 1];
            a.get(out, 0, d * d);
            c.get(out, d * d, d * ny);
            out[out.length - 1] = n;
            return out;
        }

        /** Adds sums from {@link #sums} of another accumulator of the same shape. */
        public void merge(double[] sums) {
            if (sums.length != d * d + d * ny + 1) {
                throw new IllegalArgumentException("sums of " + sums.length + " values merged into normal equations of "
                        + (d * d + d * ny + 1));
            }
            for (int i = 0; i < d * d; i++) {
                a.put(i, a.get(i) + sums[i]);
            }
            for (int i = 0; i < d * ny; i++) {
                c.put(i, c.get(i) + sums[d * d + i]);
            }
            n += (long) sums[sums.length - 1];
        }

        /**
         * The normal equations of every row added. {@code x}, {@code y}: the whole data when it is in memory
         * (kept by reference for the SVD path), or null when it was read in pieces (then the eigen path
         * stands in for the SVD).
         */
        public NormalEquations finish(INDArray x, INDArray y) {
            Lapack.symmetrize(a, d);
            return new NormalEquations(a, c, d, ny, n, x, y);
        }
    }

    /** The number of rows N. */
    public long rows() {
        return n;
    }

    /** The least-squares θ* = [W; B] ((nX+1)×nY, float64): the minimum-norm one when [X 1] is rank deficient. */
    public INDArray solve() {
        return solution().theta();
    }

    /**
     * The least-squares solution minimising the MSE: by Cholesky (dpotrf/dpotrs) when A is positive definite
     * with rcond₁(A) ≥ {@value #CHOLESKY_MIN_RCOND}; otherwise the minimum-norm solution, by the SVD of the
     * float64 [X 1] (dgelsd, singular values below max(N, nX+1)·ε·σmax counted as zero, as numpy's
     * {@code lstsq} does) when [X 1] fits in memory, else by the eigen-decomposition of A (eigenvalues below
     * max(N, nX+1)·ε·λmax counted as zero).
     */
    public Solution solution() {
        return Lapack.onAllCores(this::solveOnce);
    }

    private Solution solveOnce() {
        try (DoublePointer u = copy(a, (long) d * d)) {
            if (Lapack.cholesky(u, d) && Lapack.choleskyRcond(u, d, Lapack.norm1(a, d)) >= CHOLESKY_MIN_RCOND) {
                DoublePointer theta = copy(c, (long) d * m);
                Lapack.choleskySolve(u, d, theta, m);
                return new Solution(toArray(theta, d, m), d, d, Method.CHOLESKY);
            }
        }
        long svdBytes = 8 * (n * d + Math.max(n, d) * m + 2L * d * d + 64L * d);
        if (x != null && n * d <= Integer.MAX_VALUE && svdBytes <= MemoryBudget.availableBytes()) {
            return svd();
        }
        return eigen();
    }

    /** The solution by one method, whatever the conditioning (for tests of each path). */
    Solution solveBy(Method method) {
        return Lapack.onAllCores(() -> switch (method) {
            case CHOLESKY -> {
                Solution s = solveOnce();
                if (s.method() != Method.CHOLESKY) {
                    throw new IllegalStateException("A is not well conditioned enough for Cholesky");
                }
                yield s;
            }
            case SVD -> svd();
            case EIGEN -> eigen();
        });
    }

    private Solution svd() {
        int rows = (int) n;
        int ldb = Math.max(rows, d);
        INDArray a1 = Nd4j.create(DataType.DOUBLE, new long[] {rows, d}, 'f').assign(1.0); // [X 1], column-major
        a1.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d - 1)).assign(x);
        INDArray b = Nd4j.create(DataType.DOUBLE, new long[] {ldb, m}, 'f').assign(0.0);
        b.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).assign(y);
        double rcond = Math.max(rows, d) * Math.ulp(1.0);
        int rank = Lapack.minimumNormSolve(new DoublePointer(a1.data().addressPointer()), rows, d,
                new DoublePointer(b.data().addressPointer()), m, rcond);
        INDArray theta = b.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()).dup('c');
        return new Solution(theta, rank, d, Method.SVD);
    }

    private Solution eigen() {
        try (DoublePointer v = copy(a, (long) d * d); DoublePointer t = Lapack.allocate((long) d * m)) {
            double[] lambda = Lapack.eigenvectors(v, d); // A = V·diag(λ)·Vᵀ, ascending
            double tol = Math.max(n, d) * Math.ulp(1.0) * Math.max(0, lambda[d - 1]);
            Blas.F64.gemm(true, d, m, d, 1.0, v, d, c, m, 0.0, t, m); // T = Vᵀ·C
            DoubleBuffer tb = t.asBuffer();
            int rank = 0;
            for (int k = 0; k < d; k++) { // T ← diag(1/λ)·T over the kept λ, rows of the others zeroed
                double f = lambda[k] > tol ? 1 / lambda[k] : 0;
                rank += f != 0 ? 1 : 0;
                for (int j = 0; j < m; j++) {
                    tb.put(k * m + j, tb.get(k * m + j) * f);
                }
            }
            DoublePointer theta = Lapack.allocate((long) d * m);
            Blas.F64.gemm(false, d, m, d, 1.0, v, d, t, m, 0.0, theta, m); // θ = V·T
            return new Solution(toArray(theta, d, m), rank, d, Method.EIGEN);
        }
    }

    /** The eigenvalues of H in ascending order (LAPACK dsyevd on a float64 copy). */
    public double[] hessianEigenvalues() {
        try (DoublePointer h = hessianCopy()) {
            return Lapack.onAllCores(() -> Lapack.eigenvalues(h, d));
        }
    }

    /** The largest eigenvalue of H (LAPACK dsyevr for that one eigenvalue). */
    public double largestHessianEigenvalue() {
        try (DoublePointer h = hessianCopy()) {
            return Lapack.onAllCores(() -> Lapack.largestEigenvalue(h, d));
        }
    }

    private DoublePointer hessianCopy() {
        DoublePointer h = copy(a, (long) d * d);
        org.bytedeco.openblas.global.openblas.cblas_dscal(d * d, 2.0 / ((double) n * m), h, 1);
        return h;
    }

    private static DoublePointer copy(DoublePointer from, long count) {
        DoublePointer to = new DoublePointer(count);
        org.bytedeco.javacpp.Pointer.memcpy(to, from, count * 8);
        return to;
    }

    private static INDArray toArray(DoublePointer p, int rows, int cols) {
        double[] v = new double[rows * cols];
        p.get(v);
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
