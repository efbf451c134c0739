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
