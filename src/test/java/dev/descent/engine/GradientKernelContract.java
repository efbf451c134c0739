package dev.descent.engine;

import static dev.descent.Tolerances.FD_STEP;
import static dev.descent.Tolerances.FINITE_DIFF_F64;
import static dev.descent.Tolerances.ROUNDING_F32;
import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The contract every {@link GradientKernel} meets; subclasses say which kernel. */
abstract class GradientKernelContract extends SeededTest {

    abstract KernelKind kind();

    /** The kernel under test over {@code d}, for batches of up to {@code maxBatch} rows. */
    GradientKernel create(Dataset d, int maxBatch) {
        return kind().create(d, maxBatch);
    }

    static Dataset data(long n, int nx, int ny, DataType t, long seed) {
        return new SyntheticData(n, nx, ny, 0.5, t, seed).generate().data();
    }

    /** The batch MSE computed plainly with ND4J ops in float64, for finite differences. */
    static double batchMse(Dataset d, int[] rows, INDArray theta) {
        INDArray x = d.x().getRows(rows).castTo(DataType.DOUBLE);
        INDArray y = d.y().getRows(rows).castTo(DataType.DOUBLE);
        INDArray th = theta.castTo(DataType.DOUBLE);
        long nx = x.columns();
        INDArray r = x.mmul(th.get(NDArrayIndex.interval(0, nx), NDArrayIndex.all())).addiRowVector(th.getRow(nx)).subi(y);
        return r.mul(r).sumNumber().doubleValue() / r.length();
    }

    @ParameterizedTest(name = "nY={1}, batch {2} of N={0}, shuffled={3}")
    @CsvSource({"40, 1, 16, false", "40, 3, 16, false", "40, 3, 16, true", "37, 2, 10, true", "37, 1, 10, false"})
    void gradientMatchesFiniteDifferences(int n, int ny, int batch, boolean shuffled) {
        int nx = 4;
        Dataset d = data(n, nx, ny, DataType.DOUBLE, 7);
        GradientKernel k = create(d, batch);
        INDArray theta = Nd4j.randn(DataType.DOUBLE, nx + 1, ny);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, nx + 1, ny);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = shuffled ? (i * 7 + 3) % n : i; // a permutation when gcd(7, n) = 1
        }
        int lastStart = (n / batch) * batch; // the last, partial batch when N is not a multiple
        int start = lastStart < n ? lastStart : n - batch;
        int b = n - start;
        double loss = k.gradient(theta, shuffled ? order : null, start, b, grad);
        int[] rows = java.util.Arrays.copyOfRange(order, start, start + b);
        assertEquals(batchMse(d, rows, theta), loss, ROUNDING_F64, "batch loss");
        for (int i = 0; i <= nx; i++) {
            for (int j = 0; j < ny; j++) {
                double orig = theta.getDouble(i, j);
                theta.putScalar(i, j, orig + FD_STEP);
                double up = batchMse(d, rows, theta);
                theta.putScalar(i, j, orig - FD_STEP);
                double down = batchMse(d, rows, theta);
                theta.putScalar(i, j, orig);
                assertEquals((up - down) / (2 * FD_STEP), grad.getDouble(i, j), FINITE_DIFF_F64,
                        "∂L/∂θ[" + i + "," + j + "]");
            }
        }
    }

    /**
     * R = fl(fl(fl(X·W) + B) − Y), the order of DL4J's output layer (preOut = X·W + b, then preOut − y). In
     * float32 (spacing 8 at 1e8) with X·W = 1e8, B = 4, Y = 99999992: 1e8 + 4 ties to 1e8 (even), so R = 8;
     * the other grouping, X·W + (B − Y), ties 4 − 99999992 to −99999984 and gives R = 16.
     */
    @ParameterizedTest(name = "nY={0}, shuffled={1}")
    @CsvSource({"1, false", "1, true", "2, false", "2, true"})
    void residualIsRoundedInDl4jOrder(int ny, boolean shuffled) {
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, 1);
        INDArray y = Nd4j.valueArrayOf(new long[] {1, ny}, 99999992f);
        GradientKernel k = create(new Dataset(x, y), 1);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 2, ny);
        theta.getRow(0).assign(1e8f);
        theta.getRow(1).assign(4f);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 2, ny);
        double loss = k.gradient(theta, shuffled ? new int[] {0} : null, 0, 1, grad);
        assertEquals(64.0, loss, 0.0, "mean of R² with R = 8");
        float g = 2f / ny * 8f; // (2/(b·m))·Xᵀ·R and (2/(b·m))·Σ R
        for (int j = 0; j < ny; j++) {
            assertEquals(g, grad.getFloat(0, j), 0f, "gW");
            assertEquals(g, grad.getFloat(1, j), 0f, "gB");
        }
    }

    @Test
    void mseOverWholeSetEqualsPlainComputation() {
        Dataset d = data(101, 3, 2, DataType.DOUBLE, 11);
        GradientKernel k = create(d, 16);
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 4, 2);
        int[] all = new int[101];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        assertEquals(batchMse(d, all, theta), k.mse(theta), ROUNDING_F64);
    }

    @Test
    void float32AgreesWithFloat64() {
        Dataset d64 = data(64, 5, 2, DataType.DOUBLE, 3);
        Dataset d32 = new Dataset(d64.x().castTo(DataType.FLOAT), d64.y().castTo(DataType.FLOAT));
        INDArray th64 = Nd4j.randn(DataType.DOUBLE, 6, 2);
        INDArray th32 = th64.castTo(DataType.FLOAT);
        INDArray g64 = Nd4j.zeros(DataType.DOUBLE, 6, 2);
        INDArray g32 = Nd4j.zeros(DataType.FLOAT, 6, 2);
        double l64 = create(d64, 32).gradient(th64, null, 32, 32, g64);
        double l32 = create(d32, 32).gradient(th32, null, 32, 32, g32);
        assertEquals(l64, l32, ROUNDING_F32 * l64);
        double maxRel = g64.sub(g32.castTo(DataType.DOUBLE)).norm2Number().doubleValue() / g64.norm2Number().doubleValue();
        assertTrue(maxRel < ROUNDING_F32, "float32 gradient relative error " + maxRel);
    }

    @Test
    void viewsOfLargerArraysAreReadAtTheirOffset() {
        Dataset whole = data(50, 3, 1, DataType.DOUBLE, 5);
        Dataset tail = whole.rows(20, 50); // a view with a non-zero offset
        Dataset copy = new Dataset(tail.x().dup(), tail.y().dup());
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 4, 1);
        INDArray g1 = Nd4j.zeros(DataType.DOUBLE, 4, 1);
        INDArray g2 = Nd4j.zeros(DataType.DOUBLE, 4, 1);
        int[] order = {29, 3, 17, 0, 8, 21, 12, 5, 26, 1};
        double l1 = create(tail, 10).gradient(theta, order, 0, 10, g1);
        double l2 = create(copy, 10).gradient(theta, order, 0, 10, g2);
        assertEquals(l2, l1, 0.0);
        assertEquals(g2, g1);
    }

    @Test
    void onlyTheGradientIsWritten() {
        Dataset d = data(37, 4, 3, DataType.DOUBLE, 9);
        INDArray x0 = d.x().dup();
        INDArray y0 = d.y().dup();
        GradientKernel k = create(d, 10);
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 5, 3);
        INDArray theta0 = theta.dup();
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        int[] order = new int[37];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 7 + 3) % 37;
        }
        int[] order0 = order.clone();
        k.gradient(theta, order, 30, 7, grad);
        k.gradient(theta, null, 0, 10, grad);
        k.mse(theta);
        k.squaredError(theta, 5, 10);
        assertEquals(theta0, theta, "θ");
        assertTrue(java.util.Arrays.equals(order0, order), "order");
        assertEquals(x0, d.x(), "X");
        assertEquals(y0, d.y(), "Y");
        assertTrue(grad.amaxNumber().doubleValue() > 0, "the gradient is written");
    }
}
