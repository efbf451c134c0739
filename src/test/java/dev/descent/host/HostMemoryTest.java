package dev.descent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Npy;
import dev.descent.data.NpyRowSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostMemoryTest {
    @TempDir
    Path tmp;

    /** ND4J marks a row range of a one-column matrix 'f'; its rows are contiguous all the same, and are read into in place. */
    @Test
    void rowRangesOfAColumnAreRowContiguous() throws Exception {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3000, 1);
        INDArray part = y.get(NDArrayIndex.interval(1000, 2000), NDArrayIndex.all());
        assertTrue(HostMemory.rowContiguous(part), part.ordering() + " " + java.util.Arrays.toString(part.stride()));
        assertFalse(HostMemory.rowContiguous(Nd4j.zeros(DataType.DOUBLE, 4, 3).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1))),
                "one column of a wider matrix is strided");
        assertFalse(HostMemory.rowContiguous(Nd4j.zeros(DataType.DOUBLE, 4, 3).transpose()), "a transposed matrix");

        Path xf = tmp.resolve("x.npy");
        Path yf = tmp.resolve("y.npy");
        double[] counting = new double[6000];
        for (int i = 0; i < counting.length; i++) {
            counting[i] = i;
        }
        Npy.write(xf, Nd4j.createFromArray(counting).reshape(3000, 2));
        Npy.write(yf, Nd4j.createFromArray(java.util.Arrays.copyOf(counting, 3000)).reshape(3000, 1));
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 3000, 2);
        try (NpyRowSource src = new NpyRowSource(xf, yf)) {
            src.read(1000, 1000, x.get(NDArrayIndex.interval(1000, 2000), NDArrayIndex.all()), part);
        }
        assertEquals(0.0, y.getDouble(999, 0));
        assertEquals(1000.0, y.getDouble(1000, 0));
        assertEquals(1999.0, y.getDouble(1999, 0));
        assertEquals(0.0, y.getDouble(2000, 0));
        assertEquals(2001.0, x.getDouble(1000, 1));
    }
}
