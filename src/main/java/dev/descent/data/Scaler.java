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
    public static Scaler fit(String kind, INDArray a) {
        int c = (int) a.columns();
        double[] off = new double[c];
        double[] sc = new double[c];
        INDArray d = a.castTo(DataType.DOUBLE);
        switch (kind) {
            case "none" -> java.util.Arrays.fill(sc, 1.0);
            case "minmax" -> {
                double[] min = d.min(0).toDoubleVector();
                double[] max = d.max(0).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    off[j] = min[j];
                    sc[j] = max[j] > min[j] ? max[j] - min[j] : 1.0;
                }
            }
            case "standard" -> {
                double[] mean = d.mean(0).toDoubleVector();
                double[] std = d.std(false, 0).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    off[j] = mean[j];
                    sc[j] = std[j] > 0 ? std[j] : 1.0;
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
