package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.descent.SeededTest;
import dev.descent.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Block-wise generation: the same bits however the rows are drawn, and Y = X·W + B + noise·ε. */
class SyntheticDataTest extends SeededTest {

    @Test
    void blocksDrawnAloneEqualTheWholeDataset() {
        long n = SyntheticData.BLOCK_ROWS * 2L + 123;
        SyntheticData g = new SyntheticData(n, 3, 2, 0.5, DataType.FLOAT, 9);
        assertEquals(3, g.blocks());
        Dataset whole = g.generate().data();
        SyntheticData again = new SyntheticData(n, 3, 2, 0.5, DataType.FLOAT, 9);
        for (long k = g.blocks() - 1; k >= 0; k--) { // another instance, blocks in another order
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, SyntheticData.BLOCK_ROWS, 3);
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, SyntheticData.BLOCK_ROWS, 2);
            again.block(k, x, y);
            long r0 = k * SyntheticData.BLOCK_ROWS;
            int rows = g.blockRows(k);
            var part = NDArrayIndex.interval(0, rows);
            var in = NDArrayIndex.interval(r0, r0 + rows);
            assertEquals(whole.x().get(in, NDArrayIndex.all()), x.get(part, NDArrayIndex.all()), "X block " + k);
            assertEquals(whole.y().get(in, NDArrayIndex.all()), y.get(part, NDArrayIndex.all()), "Y block " + k);
        }
        assertEquals(123, g.blockRows(2));
        assertNotEquals(whole.x().getRow(0), whole.x().getRow(SyntheticData.BLOCK_ROWS), "blocks are drawn independently");
    }

    @Test
    void noiselessTargetsAreTheLinearModel() {
        SyntheticData g = new SyntheticData(1000, 4, 3, 0, DataType.DOUBLE, 2);
        SyntheticData.Generated d = g.generate();
        INDArray expected = d.data().x().mmul(d.trueW()).addiRowVector(d.trueB());
        assertEquals(0, expected.sub(d.data().y()).amaxNumber().doubleValue(), Tolerances.ROUNDING_F64);
        double sd = d.data().x().stdNumber().doubleValue();
        assertEquals(1.0, sd, 0.05, "X ~ N(0, 1)");
    }
}
