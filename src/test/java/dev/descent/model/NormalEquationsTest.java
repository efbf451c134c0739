package dev.descent.model;

import static dev.descent.Tolerances.EIGEN_F64;
import static dev.descent.Tolerances.LEAST_SQUARES_F64;
import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Npz;
import dev.descent.host.MemoryBudget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * Eigenvalues and least squares against numpy 1.24's {@code eigvalsh} and {@code lstsq} (minimum norm) on
 * well-conditioned, ill-conditioned, rank-deficient and wide data (src/test/resources/lapack/make_reference.py).
 */
class NormalEquationsTest extends SeededTest {
    static final Path DIR = Path.of("src/test/resources/lapack");

    static Map<String, INDArray> reference(String name) throws Exception {
        return Npz.read(DIR.resolve(name + ".npz"), "X", "Y", "eig", "theta", "rank");
    }

    static double relativeDistance(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).norm2Number().doubleValue()
                / b.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"well_conditioned", "ill_conditioned", "rank_deficient", "constant_feature", "wide"})
    void hessianEigenvaluesEqualNumpys(String name) throws Exception {
        Map<String, INDArray> ref = reference(name);
        double[] expected = ref.get("eig").toDoubleVector();
        NormalEquations ne = NormalEquations.of(ref.get("X"), ref.get("Y"));
        double[] ev = ne.hessianEigenvalues();
        double lambdaMax = expected[expected.length - 1];
        assertEquals(expected.length, ev.length);
        for (int i = 0; i < ev.length; i++) {
            assertEquals(expected[i], ev[i], EIGEN_F64 * lambdaMax, name + " eigenvalue " + i);
        }
        assertEquals(lambdaMax, ne.largestHessianEigenvalue(), EIGEN_F64 * lambdaMax);
    }

    @ParameterizedTest
    @CsvSource({"well_conditioned, CHOLESKY", "ill_conditioned, SVD", "rank_deficient, SVD", "constant_feature, SVD",
        "wide, SVD"})
    void leastSquaresEqualsNumpysMinimumNormSolution(String name, NormalEquations.Method method) throws Exception {
        Map<String, INDArray> ref = reference(name);
        INDArray x = ref.get("X");
        INDArray y = ref.get("Y");
        INDArray x0 = x.dup();
        INDArray y0 = y.dup();
        NormalEquations.Solution s = NormalEquations.of(x, y).solution();
        assertEquals(method, s.method(), name);
        assertEquals((int) ref.get("rank").getDouble(0), s.rank(), name + " rank");
        assertEquals(x.columns() + 1, s.dimension());
        assertTrue(relativeDistance(s.theta(), ref.get("theta")) <= LEAST_SQUARES_F64,
                name + ": ‖θ − θnumpy‖/‖θnumpy‖ = " + relativeDistance(s.theta(), ref.get("theta")));
        assertEquals(x0, x, "X: not modified");
        assertEquals(y0, y, "Y: not modified");
    }

    @ParameterizedTest
    @ValueSource(strings = {"well_conditioned", "rank_deficient", "constant_feature", "wide"})
    void eigenDecompositionFallbackGivesTheSameMinimumNormSolution(String name) throws Exception {
        Map<String, INDArray> ref = reference(name);
        NormalEquations.Solution s = NormalEquations.of(ref.get("X"), ref.get("Y")).solveBy(NormalEquations.Method.EIGEN);
        assertEquals((int) ref.get("rank").getDouble(0), s.rank(), name + " rank");
        assertTrue(relativeDistance(s.theta(), ref.get("theta")) <= LEAST_SQUARES_F64,
                name + ": " + relativeDistance(s.theta(), ref.get("theta")));
    }

    @Test
    void handCheckedDuplicateColumnSplitsTheWeightEvenly() {
        // y = 3·a exactly, with b = a: every (w, 3 − w) fits; the minimum-norm one is (1.5, 1.5), B = 0.
        INDArray a = Nd4j.createFromArray(new double[] {1, 2, 3, 4, 5}).reshape(5, 1);
        INDArray x = Nd4j.hstack(a, a);
        NormalEquations.Solution s = NormalEquations.of(x, a.mul(3)).solution();
        assertEquals(2, s.rank());
        assertEquals(1.5, s.theta().getDouble(0, 0), ROUNDING_F64);
        assertEquals(1.5, s.theta().getDouble(1, 0), ROUNDING_F64);
        assertEquals(0.0, s.theta().getDouble(2, 0), ROUNDING_F64);
    }

    @Test
    void beyondTheOldEightThousandFeatureLimitTheMinimumNormSolutionInterpolates() {
        // 12 rows, 8,200 features: [X 1] has rank 12, and the minimum-norm θ = X1ᵀ(X1·X1ᵀ)⁻¹Y (closed form).
        int n = 12;
        int nx = 8200;
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, nx);
        INDArray y = Nd4j.randn(DataType.DOUBLE, n, 1);
        NormalEquations.Solution s = NormalEquations.of(x, y).solution();
        assertEquals(n, s.rank());
        INDArray x1 = Nd4j.hstack(x, Nd4j.ones(DataType.DOUBLE, n, 1));
        INDArray closed = x1.transpose().mmul(InvertMatrix.invert(x1.mmul(x1.transpose()), false).mmul(y));
        assertTrue(relativeDistance(s.theta(), closed) <= LEAST_SQUARES_F64, "" + relativeDistance(s.theta(), closed));
    }

    @Test
    void refusesWithTheFiguresWhenMemoryIsShort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.require(Long.MAX_VALUE / 2, "the test's matrix", "use less"));
        assertTrue(e.getMessage().matches("the test's matrix needs [0-9.]+ GB of memory; [0-9.]+ GB is available \\(use less\\)"),
                e.getMessage());
        assertTrue(MemoryBudget.availableBytes() > 0);
    }
}
