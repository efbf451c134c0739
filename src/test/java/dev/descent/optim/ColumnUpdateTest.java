package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The column form of every rule against the rule run on one model by BLAS: two models side by side in
 * one 3×4 θ (two columns each), each with its own rate and momentum, over five steps of a decaying
 * schedule, must equal the two models stepped alone.
 */
class ColumnUpdateTest extends SeededTest {

    static java.util.stream.Stream<String> names() {
        return Optimizers.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void eachModelsColumnsFollowItsOwnRun(String name) {
        int rows = 3;
        int m = 2;
        double[] lrs = {0.05, 0.2};
        double[] mus = {0.3, 0.9};
        double[] lrc = {lrs[0], lrs[0], lrs[1], lrs[1]};
        double[] muc = {mus[0], mus[0], mus[1], mus[1]};
        ColumnUpdate columns = new ColumnUpdate(Optimizers.create(name, new Schedule.InverseTime(1, 0.1), 0, 0.25), lrc, muc, rows);
        Random r = new Random(4);
        double[] theta = new double[rows * 4];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextGaussian();
        }
        INDArray[] alone = new INDArray[2];
        Optimizer[] opts = new Optimizer[2];
        for (int k = 0; k < 2; k++) {
            alone[k] = block(theta, rows, k, m);
            opts[k] = Optimizers.create(name, new Schedule.InverseTime(lrs[k], 0.1), mus[k], 0.25);
            opts[k].init(rows * m, DataType.DOUBLE);
        }
        for (int t = 0; t < 5; t++) {
            double[] g = new double[rows * 4];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextGaussian();
            }
            double[] g0 = g.clone();
            columns.step(theta, g, t, 0);
            assertArrayEquals(g0, g, 0.0, "the gradient is not modified");
            for (int k = 0; k < 2; k++) {
                opts[k].step(alone[k], block(g, rows, k, m), t, 0);
            }
        }
        for (int k = 0; k < 2; k++) {
            double[] mine = block(theta, rows, k, m).data().asDouble();
            double[] theirs = alone[k].data().asDouble();
            for (int i = 0; i < mine.length; i++) {
                assertEquals(theirs[i], mine[i], 1e-15 * Math.max(1, Math.abs(theirs[i])), name + " model " + k + " element " + i);
            }
        }
    }

    /** Columns k·m … (k+1)·m of a row-major rows×(2m) matrix, as a c-ordered rows×m array. */
    private static INDArray block(double[] a, int rows, int k, int m) {
        double[] out = new double[rows * m];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * 2 * m + k * m, out, i * m, m);
        }
        return Nd4j.createFromArray(out).reshape(rows, m);
    }

    @Test
    void frozenColumnsStayPutAndTheirStateIsCleared() {
        ColumnUpdate u = new ColumnUpdate(new HeavyBallKeras(new Schedule.Constant(1), 0.5), new double[] {0.1, 0.1},
                new double[] {0.5, 0.5}, 1);
        double[] theta = {1, 1};
        u.step(theta, new double[] {Double.POSITIVE_INFINITY, 1}, 0, 0);
        u.step(theta, new double[] {Double.POSITIVE_INFINITY, 1}, 1, 0);
        assertTrue(!u.stateFinite(0) && u.stateFinite(1));
        u.freeze(0);
        theta[0] = 0;
        u.step(theta, new double[] {3, 1}, 2, 0);
        assertEquals(0.0, theta[0], 0.0);
        assertTrue(u.stateFinite(0));
    }

    @Test
    void lengthsMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> new ColumnUpdate(new Sgd(1), new double[2], new double[3], 1));
    }
}
