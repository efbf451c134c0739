package dev.descent.data;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.SeededTest;
import dev.descent.model.LinearModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScalerTest extends SeededTest {
    private static final INDArray A = Nd4j.createFromArray(new double[][] {{1, 10, 5}, {3, 30, 5}, {2, 20, 5}});

    @Test
    void minMaxByHand() {
        Scaler s = Scaler.fit("minmax", A);
        assertArrayEquals(new double[] {1, 10, 5}, s.offset(), 0.0);
        assertArrayEquals(new double[] {2, 20, 1}, s.scale(), 0.0); // constant column: scale 1
        INDArray c = A.dup();
        s.applyInPlace(c);
        assertArrayEquals(new double[][] {{0, 0, 0}, {1, 1, 0}, {0.5, 0.5, 0}}, c.toDoubleMatrix());
    }

    @Test
    void standardByHand() {
        Scaler s = Scaler.fit("standard", A);
        assertArrayEquals(new double[] {2, 20, 5}, s.offset(), ROUNDING_F64);
        // population std of {1, 2, 3} = sqrt(2/3)
        assertArrayEquals(new double[] {Math.sqrt(2.0 / 3), 10 * Math.sqrt(2.0 / 3), 1}, s.scale(), ROUNDING_F64);
    }

    /**
     * The by-hand columns fitted in two pieces (row 0 and rows 1-2, each from a copy of the fitting as its pass
     * starts, as a cluster's partitions fit them) and merged: the same scaler as one fit.
     */
    @Test
    void piecesFittedApartAndMergedAreOneFit() throws Exception {
        for (String kind : new String[] {"minmax", "standard"}) {
            Scaler.Fitting whole = new Scaler.Fitting(kind, 3);
            for (int pass = 0; pass < whole.passes(); pass++) {
                java.util.List<double[]> parts = new java.util.ArrayList<>();
                for (long[] rows : new long[][] {{0, 1}, {1, 3}}) {
                    Scaler.Fitting copy = roundTrip(whole);
                    copy.add(pass, A, rows[0], rows[1]);
                    parts.add(copy.sums());
                }
                for (double[] sums : parts) {
                    whole.merge(pass, sums);
                }
            }
            Scaler merged = whole.result();
            Scaler one = Scaler.fit(kind, A);
            assertArrayEquals(one.offset(), merged.offset(), ROUNDING_F64, kind);
            assertArrayEquals(one.scale(), merged.scale(), ROUNDING_F64, kind);
        }
    }

    /** A copy as a Spark task gets it: serialized and read back. */
    private static Scaler.Fitting roundTrip(Scaler.Fitting f) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (Scaler.Fitting) in.readObject();
        }
    }

    @Test
    void unscaledModelPredictsWhatTheScaledOneDoesOnScaledData() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 50, 3).muli(7).addi(3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 50, 2).muli(4).subi(1);
        Scaler xs = Scaler.fit("standard", x);
        Scaler ys = Scaler.fit("minmax", y);
        LinearModel scaledModel = new LinearModel(Nd4j.randn(DataType.DOUBLE, 3, 2), Nd4j.randn(DataType.DOUBLE, 2));
        INDArray xsc = x.dup();
        xs.applyInPlace(xsc);
        INDArray ps = scaledModel.predict(xsc); // in scaled y units
        INDArray back = ps.mulRowVector(Nd4j.createFromArray(ys.scale())).addiRowVector(Nd4j.createFromArray(ys.offset()));
        INDArray direct = scaledModel.unscaled(xs, ys).predict(x);
        assertEquals(0.0, back.sub(direct).amaxNumber().doubleValue(), 1e-10);
    }
}
