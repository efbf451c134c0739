package dev.descent.host;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Typed BLAS on native memory, row-major, through the OpenBLAS that ND4J loads: the one set of wrappers
 * that the gradient kernel, the optimizers and the normal equations call. {@link #F32} and {@link #F64}
 * take pointers of their type ({@link #typed}); scalars are given as doubles and narrowed for float32.
 * No allocation per call.
 */
public final class Blas {
    static {
        Lapack.load(); // ND4J's OpenBLAS before the presets' JNI code (see Lapack.load)
    }

    public static final Blas F32 = new Blas(false);
    public static final Blas F64 = new Blas(true);

    private final boolean dbl;

    private Blas(boolean dbl) {
        this.dbl = dbl;
    }

    /** The wrappers for arrays of {@code t} (float32 or float64). */
    public static Blas of(DataType t) {
        return switch (t) {
            case DOUBLE -> F64;
            case FLOAT -> F32;
            default -> throw new IllegalArgumentException("BLAS runs on float32 or float64, not " + t);
        };
    }

    /** A pointer of this type at {@code raw}'s address. */
    public Pointer typed(Pointer raw) {
        return dbl ? new DoublePointer(raw) : new FloatPointer(raw);
    }

    /** y ← alpha·op(A)·x + beta·y, A rows×cols with leading dimension lda. */
    public void gemv(boolean trans, int rows, int cols, double alpha, Pointer a, int lda, Pointer x, double beta, Pointer y) {
        int t = trans ? CblasTrans : CblasNoTrans;
        if (dbl) {
            openblas.cblas_dgemv(CblasRowMajor, t, rows, cols, alpha, (DoublePointer) a, lda, (DoublePointer) x, 1,
                    beta, (DoublePointer) y, 1);
        } else {
            openblas.cblas_sgemv(CblasRowMajor, t, rows, cols, (float) alpha, (FloatPointer) a, lda, (FloatPointer) x,
                    1, (float) beta, (FloatPointer) y, 1);
        }
    }

    /** C ← alpha·op(A)·B + beta·C with op(A) of shape rows×k and C rows×cols. */
    public void gemm(boolean transA, int rows, int cols, int k, double alpha, Pointer a, int lda, Pointer b, int ldb,
            double beta, Pointer c, int ldc) {
        int t = transA ? CblasTrans : CblasNoTrans;
        if (dbl) {
            openblas.cblas_dgemm(CblasRowMajor, t, CblasNoTrans, rows, cols, k, alpha, (DoublePointer) a, lda,
                    (DoublePointer) b, ldb, beta, (DoublePointer) c, ldc);
        } else {
            openblas.cblas_sgemm(CblasRowMajor, t, CblasNoTrans, rows, cols, k, (float) alpha, (FloatPointer) a, lda,
                    (FloatPointer) b, ldb, (float) beta, (FloatPointer) c, ldc);
        }
    }

    /** A ← A + x·yᵀ for the rows×cols matrix A (lda = cols). */
    public void ger(int rows, int cols, Pointer x, Pointer y, Pointer a) {
        if (dbl) {
            openblas.cblas_dger(CblasRowMajor, rows, cols, 1.0, (DoublePointer) x, 1, (DoublePointer) y, 1, (DoublePointer) a, cols);
        } else {
            openblas.cblas_sger(CblasRowMajor, rows, cols, 1f, (FloatPointer) x, 1, (FloatPointer) y, 1, (FloatPointer) a, cols);
        }
    }

    /** y ← alpha·x + y over n elements. */
    public void axpy(int n, double alpha, Pointer x, Pointer y) {
        if (dbl) {
            openblas.cblas_daxpy(n, alpha, (DoublePointer) x, 1, (DoublePointer) y, 1);
        } else {
            openblas.cblas_saxpy(n, (float) alpha, (FloatPointer) x, 1, (FloatPointer) y, 1);
        }
    }

    /** x ← alpha·x over n elements. */
    public void scal(int n, double alpha, Pointer x) {
        if (dbl) {
            openblas.cblas_dscal(n, alpha, (DoublePointer) x, 1);
        } else {
            openblas.cblas_sscal(n, (float) alpha, (FloatPointer) x, 1);
        }
    }

    /** y ← x over n elements. */
    public void copy(int n, Pointer x, Pointer y) {
        if (dbl) {
            openblas.cblas_dcopy(n, (DoublePointer) x, 1, (DoublePointer) y, 1);
        } else {
            openblas.cblas_scopy(n, (FloatPointer) x, 1, (FloatPointer) y, 1);
        }
    }

    /** Σ aᵢbᵢ over n elements, accumulated in double also for float32 (dsdot). */
    public double dot(int n, Pointer a, Pointer b) {
        return dbl ? openblas.cblas_ddot(n, (DoublePointer) a, 1, (DoublePointer) b, 1)
                : openblas.cblas_dsdot(n, (FloatPointer) a, 1, (FloatPointer) b, 1);
    }
}
