package dev.descent.data;

import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-column affine scaling z = (v − offset) / scale, fitted on the training data only: min-max to [0, 1]
 * (offset = min, scale = max − min) or standardization (offset = mean, scale = population standard
 * deviation, as scikit-learn's StandardScaler). A constant column gets scale 1. Statistics in float64.
 */
public record Scaler(String kind, double[] offset, double[] scale) {

    /** The kinds {@link #fit} accepts. */
    public static final java.util.List<String> KINDS = java.util.List.of("none", "minmax", "standard");

    /** Fits a scaler of {@code kind} (none, minmax, standard) to the columns of {@code a}. Not modified. */
    /** Rows [from, to) of {@code a} as a new float64 array (a copy, to be closed by the caller). */
    private static INDArray rowsAsDouble(INDArray a, long from, long to) {
        return a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .castTo(DataType.DOUBLE).dup('c');
    }

    public static Scaler fit(String kind, INDArray a) {
        int c = (int) a.columns();
        double[] off = new double[c];
        double[] sc = new double[c];
        // Statistics in float64 over blocks of rows: never a float64 copy of the whole array beside it.
        long n = a.rows();
        int block = (int) Math.max(1, Math.min(n, (1 << 24) / Math.max(1, c)));
        switch (kind) {
            case "none" -> java.util.Arrays.fill(sc, 1.0);
            case "minmax" -> {
                double[] min = new double[c];
                double[] max = new double[c];
                java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
                for (long r = 0; r < n; r += block) {
                    INDArray d = rowsAsDouble(a, r, Math.min(n, r + block));
                    double[] lo = d.min(0).toDoubleVector();
                    double[] hi = d.max(0).toDoubleVector();
                    d.close();
                    for (int j = 0; j < c; j++) {
                        min[j] = Math.min(min[j], lo[j]);
                        max[j] = Math.max(max[j], hi[j]);
                    }
                }
                for (int j = 0; j < c; j++) {
                    off[j] = min[j];
                    sc[j] = max[j] > min[j] ? max[j] - min[j] : 1.0;
                }
            }
            case "standard" -> {
                double[] mean = new double[c];
                for (long r = 0; r < n; r += block) {
                    INDArray d = rowsAsDouble(a, r, Math.min(n, r + block));
                    double[] sum = d.sum(0).toDoubleVector();
                    d.close();
                    for (int j = 0; j < c; j++) {
                        mean[j] += sum[j];
                    }
                }
                for (int j = 0; j < c; j++) {
                    mean[j] /= n;
                }
                double[] ss = new double[c];
                INDArray m = org.nd4j.linalg.factory.Nd4j.createFromArray(mean);
                for (long r = 0; r < n; r += block) { // two passes: Σ(x − mean)² loses nothing to cancellation
                    INDArray d = rowsAsDouble(a, r, Math.min(n, r + block));
                    d.subiRowVector(m);
                    double[] sq = d.muli(d).sum(0).toDoubleVector();
                    d.close();
                    for (int j = 0; j < c; j++) {
                        ss[j] += sq[j];
                    }
                }
                for (int j = 0; j < c; j++) {
                    double std = Math.sqrt(ss[j] / n);
                    off[j] = mean[j];
                    sc[j] = std > 0 ? std : 1.0;
                }
            }
            default -> throw new IllegalArgumentException("scaling must be none, minmax or standard, got '" + kind + "'");
        }
        return new Scaler(kind, off, sc);
    }

    public boolean isIdentity() {
        return kind.equals("none");
    }

    /** a ← (a − offset) / scale, column-wise. a: modified. */
    public void applyInPlace(INDArray a) {
        if (isIdentity()) {
            return;
        }
        a.subiRowVector(Nd4j.createFromArray(offset).castTo(a.dataType()));
        a.diviRowVector(Nd4j.createFromArray(scale).castTo(a.dataType()));
    }

    /** For run records and model files. */
    public Map<String, Object> describe() {
        return Map.of("kind", kind, "offset", offset, "scale", scale);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s", kind, isIdentity() ? "" : " (fitted on the training rows)");
    }
}
