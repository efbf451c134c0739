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
public record Scaler(String kind, double[] offset, double[] scale) implements java.io.Serializable {

    /** The kinds {@link #fit} accepts. */
    public static final java.util.List<String> KINDS = java.util.List.of("none", "minmax", "standard");

    /** Rows [from, to) of {@code a} as a new float64 array (a copy, to be closed by the caller). */
    private static INDArray rowsAsDouble(INDArray a, long from, long to) {
        return a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .castTo(DataType.DOUBLE).dup('c');
    }

    /** Fits a scaler of {@code kind} (none, minmax, standard) to the columns of {@code a}. Not modified. */
    public static Scaler fit(String kind, INDArray a) {
        Fitting f = new Fitting(kind, (int) a.columns());
        for (int pass = 0; pass < f.passes(); pass++) {
            f.add(pass, a);
        }
        return f.result();
    }

    /**
     * A scaler fitted over rows given piece by piece, for data read in chunks: {@link #passes} passes over
     * every row (two for standard: the mean, then Σ(x − mean)², which loses nothing to cancellation), each
     * pass's pieces given to {@link #add} in turn. Pieces fitted apart (a cluster's partitions, each with a copy of
     * this fitting as it stood before the pass) are combined by {@link #merge} of their {@link #sums}.
     */
    public static final class Fitting implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String kind;
        private final int c;
        private final double[] a; // min, or Σx then the mean
        private final double[] b; // max, or Σ(x − mean)²
        private long n;
        private transient INDArray mean;

        public Fitting(String kind, int columns) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("scaling must be none, minmax or standard, got '" + kind + "'");
            }
            this.kind = kind;
            this.c = columns;
            this.a = new double[c];
            this.b = new double[c];
            if (kind.equals("minmax")) {
                java.util.Arrays.fill(a, Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(b, Double.NEGATIVE_INFINITY);
            }
        }

        /** Passes over the data that the fit needs (0 for none). */
        public int passes() {
            return switch (kind) {
                case "minmax" -> 1;
                case "standard" -> 2;
                default -> 0;
            };
        }

        /**
         * Every row of {@code x} in pass {@code pass}, in blocks of rows: statistics in float64 without a float64 copy of
         * the whole array beside it. x: not modified.
         */
        public void add(int pass, INDArray x) {
            long n = x.rows();
            int block = (int) Math.max(1, Math.min(n, (1 << 24) / Math.max(1, x.columns())));
            for (long r = 0; r < n; r += block) {
                add(pass, x, r, Math.min(n, r + block));
            }
        }

        /** Rows [from, to) of {@code x} in pass {@code pass}. x: not modified. */
        public void add(int pass, INDArray x, long from, long to) {
            INDArray d = rowsAsDouble(x, from, to);
            if (kind.equals("minmax")) {
                double[] lo = d.min(0).toDoubleVector();
                double[] hi = d.max(0).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    a[j] = Math.min(a[j], lo[j]);
                    b[j] = Math.max(b[j], hi[j]);
                }
            } else if (pass == 0) {
                double[] sum = d.sum(0).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    a[j] += sum[j];
                }
                n += to - from;
            } else {
                toMean();
                d.subiRowVector(mean);
                double[] sq = d.muli(d).sum(0).toDoubleVector();
                for (int j = 0; j < c; j++) {
                    b[j] += sq[j];
                }
            }
            d.close();
        }

        /** Standard's second pass: Σx becomes the mean, once. */
        private void toMean() {
            if (mean == null) {
                for (int j = 0; j < c; j++) {
                    a[j] /= n;
                }
                mean = org.nd4j.linalg.factory.Nd4j.createFromArray(a);
            }
        }

        /** This piece's statistics so far, for {@link #merge}: [rows, a…, b…]. */
        public double[] sums() {
            double[] s = new double[1 + 2 * c];
            s[0] = n;
            System.arraycopy(a, 0, s, 1, c);
            System.arraycopy(b, 0, s, 1 + c, c);
            return s;
        }

        /**
         * Adds the {@link #sums} of pass {@code pass} over other rows, fitted from a copy of this fitting as it
         * stood before the pass: min and max (minmax), Σx and rows (standard's first pass), Σ(x − mean)² (its second).
         */
        public void merge(int pass, double[] sums) {
            if (sums.length != 1 + 2 * c) {
                throw new IllegalArgumentException("sums of " + (sums.length - 1) / 2 + " columns, this fits " + c);
            }
            for (int j = 0; j < c; j++) {
                if (kind.equals("minmax")) {
                    a[j] = Math.min(a[j], sums[1 + j]);
                    b[j] = Math.max(b[j], sums[1 + c + j]);
                } else if (pass == 0) {
                    a[j] += sums[1 + j];
                } else {
                    b[j] += sums[1 + c + j];
                }
            }
            if (kind.equals("standard") && pass == 0) {
                n += (long) sums[0];
            } else if (kind.equals("standard")) {
                toMean();
            }
        }

        /** The fitted scaler (after every pass). */
        public Scaler result() {
            double[] off = new double[c];
            double[] sc = new double[c];
            switch (kind) {
                case "minmax" -> {
                    for (int j = 0; j < c; j++) {
                        off[j] = a[j];
                        sc[j] = b[j] > a[j] ? b[j] - a[j] : 1.0;
                    }
                }
                case "standard" -> {
                    for (int j = 0; j < c; j++) {
                        double std = Math.sqrt(b[j] / n);
                        off[j] = a[j];
                        sc[j] = std > 0 ? std : 1.0;
                    }
                }
                default -> java.util.Arrays.fill(sc, 1.0);
            }
            return new Scaler(kind, off, sc);
        }
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
