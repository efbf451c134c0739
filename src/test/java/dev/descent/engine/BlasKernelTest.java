package dev.descent.engine;

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
}
