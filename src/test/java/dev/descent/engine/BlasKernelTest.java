package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlasKernelTest extends GradientKernelContract {
    @Override
    KernelKind kind() {
        return KernelKind.BLAS;
    }

    /** Tiled models (a sweep's) round the residual as a single model does: see residualIsRoundedInDl4jOrder. */
    @ParameterizedTest(name = "nY={0}, {1} models")
    @CsvSource({"1, 3", "2, 2"})
    void tiledResidualIsRoundedInDl4jOrder(int ny, int tile) {
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, 1);
        INDArray y = Nd4j.valueArrayOf(new long[] {1, ny}, 99999992f);
        CpuBlasKernel k = new CpuBlasKernel(new Dataset(x, y), 1, tile);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 2, ny * tile);
        theta.getRow(0).assign(1e8f);
        theta.getRow(1).assign(4f);
        double[] sums = new double[ny * tile];
        k.columnSquaredErrors(theta, 0, 1, sums);
        for (double s : sums) {
            assertEquals(64.0, s, 0.0, "R = 8 in every column");
        }
    }

    /**
     * One output reads the targets of an in-order batch from Y's own memory, which is cut into chunks of
     * under 2 GiB: a batch across two chunks (here 7 rows each) gives the bits of a batch within one.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void inOrderTargetsAcrossChunksAreReadInPlace(DataType t) {
        Dataset d = data(50, 4, 1, t, 5);
        CpuBlasKernel whole = new CpuBlasKernel(d, 16, 1, true);
        CpuBlasKernel cut = new CpuBlasKernel(d, 16, 1, true, 7);
        INDArray theta = Nd4j.rand(t, 5, 1).subi(0.5);
        for (int start : new int[] {0, 3, 6, 13, 34}) {
            INDArray g1 = Nd4j.zeros(t, 5, 1);
            INDArray g2 = Nd4j.zeros(t, 5, 1);
            double l1 = whole.gradient(theta, null, start, 16, g1);
            double l2 = cut.gradient(theta, null, start, 16, g2);
            assertEquals(l1, l2, 0.0, "loss from row " + start);
            assertArrayEquals(g1.data().asDouble(), g2.data().asDouble(), 0.0, "gradient from row " + start);
            assertEquals(whole.squaredError(theta, start, 16), cut.squaredError(theta, start, 16), 0.0);
        }
        assertEquals(batchMse(d, java.util.stream.IntStream.range(0, 50).toArray(), theta), cut.mse(theta), 1e-6);
    }
}
