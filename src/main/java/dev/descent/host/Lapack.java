package dev.descent.host;

import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * Dense float64 linear algebra on native memory through the LAPACK and BLAS of the OpenBLAS build that
 * ND4J loads (one library in the process). Square matrices are row-major d×d with their upper triangle
 * referenced where a routine takes a symmetric one. Each method says which arguments it overwrites.
 */
public final class Lapack {
    static {
        // ND4J's backend first: it loads the OpenBLAS library that the presets' JNI code links against
        // (loaded the other way round, libjniopenblas finds no LAPACKE symbols).
        org.nd4j.linalg.factory.Nd4j.getBackend();
    }

    /**
     * Loads ND4J's OpenBLAS and the presets' JNI code now. A program that also runs code with its own BLAS
     * in this JVM (MLlib's netlib can load the system's libopenblas.so.0, which has no LAPACKE) calls this
     * first, so that the library the presets link against is the one ND4J ships.
     */
    public static void load() {
        org.bytedeco.javacpp.Loader.load(openblas.class);
    }

    private static final byte UPPER = 'U';
    private static final byte NO_VECTORS = 'N';
    private static final byte VECTORS = 'V';

    private Lapack() {
    }

    /**
     * Runs {@code work} with OpenBLAS on every core this JVM may use, then restores the thread count. The
     * training kernel runs its small per-batch products on one thread (faster there); the O(d³) dense
     * routines here gain from all of them (dsyrk at d = 2,001: 18 GFLOP/s on one core, 31 on two).
     * Not for use while another thread calls OpenBLAS.
     *
     * @throws IllegalArgumentException when OpenBLAS runs kernels whose LAPACK results are wrong ({@link OpenBlasKernels})
     */
    public static <T> T onAllCores(java.util.function.Supplier<T> work) {
        OpenBlasKernels.requireSoundLapack();
        int before = openblas_nolapack.blas_get_num_threads();
        int all = Runtime.getRuntime().availableProcessors();
        if (before >= all || before < 1) {
            return work.get();
        }
        openblas_nolapack.blas_set_num_threads(all);
        try {
            return work.get();
        } finally {
            openblas_nolapack.blas_set_num_threads(before);
        }
    }

    /** A zeroed native array of n doubles; the caller closes it (or leaves it to the garbage collector). */
    public static DoublePointer allocate(long n) {
        DoublePointer p = new DoublePointer(n);
        p.fill(0);
        return p;
    }

    /** C's upper triangle += Aᵀ·A for A rows×d (row-major, leading dimension d). A: not modified. C: modified. */
    public static void syrkUpper(int rows, int d, DoublePointer a, DoublePointer c) {
        openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, d, rows, 1.0, a, d, 1.0, c, d);
    }


    /** Copies the upper triangle onto the lower one, making a d×d matrix whole (d² &lt; 2³¹). a: modified. */
    public static void symmetrize(DoublePointer a, int d) {
        DoubleBuffer b = a.asBuffer();
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                b.put(j * d + i, b.get(i * d + j));
            }
        }
    }

    /** Ascending eigenvalues of the symmetric d×d matrix a (dsyevd, no vectors). a: overwritten. */
    public static double[] eigenvalues(DoublePointer a, int d) {
        try (DoublePointer w = new DoublePointer(d)) {
            check(openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, NO_VECTORS, UPPER, d, a, d, w), "dsyevd");
            double[] out = new double[d];
            w.get(out);
            return out;
        }
    }

    /**
     * Ascending eigenvalues of the symmetric d×d matrix a, with a overwritten by the orthonormal
     * eigenvectors, one per column, in the same order (dsyevd). a: overwritten.
     */
    public static double[] eigenvectors(DoublePointer a, int d) {
        try (DoublePointer w = new DoublePointer(d)) {
            check(openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, VECTORS, UPPER, d, a, d, w), "dsyevd");
            double[] out = new double[d];
            w.get(out);
            return out;
        }
    }

    /** The largest eigenvalue of the symmetric d×d matrix a (dsyevr for that one index). a: overwritten. */
    public static double largestEigenvalue(DoublePointer a, int d) {
        try (DoublePointer w = new DoublePointer(d); DoublePointer z = new DoublePointer(1);
                IntPointer found = new IntPointer(1); IntPointer support = new IntPointer(2)) {
            check(openblas.LAPACKE_dsyevr(LAPACK_ROW_MAJOR, NO_VECTORS, (byte) 'I', UPPER, d, a, d, 0, 0, d, d, 0, found,
                    w, z, 1, support), "dsyevr");
            return w.get(0);
        }
    }

    /** The 1-norm (largest column sum of |aᵢⱼ|) of the d×d matrix a. a: not modified. */
    public static double norm1(DoublePointer a, int d) {
        return openblas.LAPACKE_dlange(LAPACK_ROW_MAJOR, (byte) '1', d, d, a, d);
    }

    /**
     * The Cholesky factor U (A = UᵀU) in a's upper triangle (dpotrf). a: overwritten.
     *
     * @return true when A is positive definite, false when the factorization broke down
     */
    public static boolean cholesky(DoublePointer a, int d) {
        int info = openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, UPPER, d, a, d);
        if (info < 0) {
            check(info, "dpotrf");
        }
        return info == 0;
    }

    /** The reciprocal condition number (1-norm) of A from its Cholesky factor and ‖A‖₁ (dpocon). u: not modified. */
    public static double choleskyRcond(DoublePointer u, int d, double anorm) {
        try (DoublePointer rcond = new DoublePointer(1)) {
            check(openblas.LAPACKE_dpocon(LAPACK_ROW_MAJOR, UPPER, d, u, d, anorm, rcond), "dpocon");
            return rcond.get(0);
        }
    }

    /** Solves A·X = B for B d×m from A's Cholesky factor (dpotrs). u: not modified. b: overwritten by X. */
    public static void choleskySolve(DoublePointer u, int d, DoublePointer b, int m) {
        check(openblas.LAPACKE_dpotrs(LAPACK_ROW_MAJOR, UPPER, d, m, u, d, b, m), "dpotrs");
    }

    /**
     * The minimum-norm least-squares solution of A·X = B by the SVD (dgelsd), singular values at most
     * rcond × the largest counting as zero. A is rows×cols column-major; B is column-major with
     * ldb = max(rows, cols) rows and m columns, its first cols rows overwritten by X.
     * a: overwritten. b: overwritten.
     *
     * @return the effective rank
     */
    public static int minimumNormSolve(DoublePointer a, int rows, int cols, DoublePointer b, int m, double rcond) {
        int ldb = Math.max(rows, cols);
        try (DoublePointer s = new DoublePointer(Math.min(rows, cols)); IntPointer rank = new IntPointer(1)) {
            check(openblas.LAPACKE_dgelsd(LAPACK_COL_MAJOR, rows, cols, m, a, rows, b, ldb, s, rcond, rank), "dgelsd");
            return rank.get(0);
        }
    }

    /**
     * Replaces the m×n matrix a (m ≥ n, rows of a Java array) by the Q factor of its Householder QR, the
     * economic one (dgeqrf, dorgqr), as scipy's {@code qr(..., mode='economic')} computes it. a: overwritten.
     */
    public static void orthonormalize(double[][] a) {
        OpenBlasKernels.requireSoundLapack();
        int m = a.length;
        int n = a[0].length;
        try (DoublePointer p = new DoublePointer((long) m * n); DoublePointer tau = new DoublePointer(Math.min(m, n))) {
            for (int i = 0; i < m; i++) {
                p.position((long) i * n).put(a[i]);
            }
            p.position(0);
            check(openblas.LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, m, n, p, n, tau), "dgeqrf");
            check(openblas.LAPACKE_dorgqr(LAPACK_ROW_MAJOR, m, n, n, p, n, tau), "dorgqr");
            for (int i = 0; i < m; i++) {
                p.position((long) i * n).get(a[i]);
            }
            p.position(0);
        }
    }

    private static void check(int info, String routine) {
        if (info < 0) {
            throw new IllegalStateException(routine + ": argument " + (-info) + " is invalid");
        }
        if (info > 0) {
            throw new ArithmeticException(routine + " did not converge (info " + info + ")");
        }
    }
}
