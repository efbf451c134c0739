package dev.descent.model;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = X·W + B with W of shape nX×nY and B of length nY, in float32 or float64. Immutable: the
 * constructor copies its arguments and the accessors hand out copies, never live buffers.
 */
public final class LinearModel {
    private final INDArray w;
    private final INDArray b;

    /** W: nX×nY, B: length nY (vector or 1×nY). Not modified (copied). */
    public LinearModel(INDArray w, INDArray b) {
        Objects.requireNonNull(w, "W");
        Objects.requireNonNull(b, "B");
        if (w.rank() != 2) {
            throw new IllegalArgumentException("W must be a matrix nX×nY, got shape " + shape(w));
        }
        if (b.length() != w.columns()) {
            throw new IllegalArgumentException("B must have nY = " + w.columns() + " elements, got " + b.length());
        }
        if (w.dataType() != b.dataType() || !isSupported(w.dataType())) {
            throw new IllegalArgumentException("W and B must both be FLOAT or DOUBLE, got "
                    + w.dataType() + " and " + b.dataType());
        }
        this.w = w.dup('c');
        this.b = b.reshape(b.length()).dup('c');
    }

    /** A model from the stacked parameter matrix θ = [W; B] of shape (nX+1)×nY. Not modified. */
    public static LinearModel fromStacked(INDArray theta) {
        long nx = theta.rows() - 1;
        return new LinearModel(theta.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, nx),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), theta.getRow(nx));
    }

    /** W = 0, B = 0. */
    public static LinearModel zeros(long nx, long ny, DataType dtype) {
        return new LinearModel(Nd4j.zeros(dtype, nx, ny), Nd4j.zeros(dtype, ny));
    }

    public static boolean isSupported(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE;
    }

    public long inputs() {
        return w.rows();
    }

    public long outputs() {
        return w.columns();
    }

    public DataType dataType() {
        return w.dataType();
    }

    /** A copy of W (nX×nY). */
    public INDArray weights() {
        return w.dup();
    }

    /** A copy of B (length nY). */
    public INDArray bias() {
        return b.dup();
    }

    /** θ = [W; B] as a new (nX+1)×nY matrix, the engine's parameter layout. */
    public INDArray stacked() {
        return Nd4j.vstack(w, b.reshape(1, b.length())).dup('c');
    }

    /**
     * This model, trained on scaled data x_s = (x − a)/s, y_s = (y − c)/d, rewritten in original units:
     * W[i][k] = W_s[i][k]·d[k]/s[i], B[k] = c[k] + d[k]·(B_s[k] − Σᵢ (a[i]/s[i])·W_s[i][k]). Exact up to
     * rounding (computed in float64), so predictions need no scaling step.
     */
    public LinearModel unscaled(dev.descent.data.Scaler x, dev.descent.data.Scaler y) {
        // Flat row-major copies: toDoubleMatrix() makes a view per row, which at nX = 10⁶ took seconds and GBs.
        double[] ws = w.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] bs = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int nx = (int) w.rows();
        int ny = bs.length;
        double[] wo = new double[nx * ny];
        double[] bo = new double[ny];
        for (int k = 0; k < ny; k++) {
            double shift = 0;
            for (int i = 0; i < nx; i++) {
                wo[i * ny + k] = ws[i * ny + k] * y.scale()[k] / x.scale()[i];
                shift += x.offset()[i] / x.scale()[i] * ws[i * ny + k];
            }
            bo[k] = y.offset()[k] + y.scale()[k] * (bs[k] - shift);
        }
        return new LinearModel(Nd4j.create(wo, new long[] {nx, ny}, DataType.DOUBLE).castTo(dataType()),
                Nd4j.createFromArray(bo).castTo(dataType()));
    }

    /** X·W + B as a new N×nY array. X: not modified. */
    public INDArray predict(INDArray x) {
        requireInputs(x);
        return x.mmul(w).addiRowVector(b);
    }

    /** The mean squared error over all N·nY elements, accumulated in float64. X, Y: not modified. */
    public double mse(INDArray x, INDArray y) {
        requireInputs(x);
        if (y.rows() != x.rows() || y.columns() != outputs()) {
            throw new IllegalArgumentException("Y must be " + x.rows() + "×" + outputs() + ", got " + shape(y));
        }
        // Chunked so that a large X needs only a chunk-sized residual.
        long n = x.rows();
        long chunk = Math.max(1, Math.min(n, (1L << 22) / Math.max(1, x.columns())));
        double sum = 0;
        for (long s = 0; s < n; s += chunk) {
            long e = Math.min(n, s + chunk);
            var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(s, e);
            INDArray r = x.get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all()).mmul(w).addiRowVector(b)
                    .subi(y.get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all())).castTo(DataType.DOUBLE);
            sum += r.mul(r).sumNumber().doubleValue();
        }
        return sum / ((double) n * outputs());
    }

    private void requireInputs(INDArray x) {
        if (x.rank() != 2 || x.columns() != inputs()) {
            throw new IllegalArgumentException("X must be N×" + inputs() + ", got " + shape(x));
        }
    }

    static String shape(INDArray a) {
        return java.util.Arrays.toString(a.shape());
    }
}
