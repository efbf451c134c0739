package dev.descent.data;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.SeededTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RandomState and make_regression against files numpy 1.24 and scikit-learn 1.2.1 wrote
 * (src/test/resources/numpy/make_reference.py).
 */
class NumpyCompatTest extends SeededTest {
    static final Path DIR = Path.of("src/test/resources/numpy");

    static double[] flat(INDArray a) {
        return a.reshape(a.length()).toDoubleVector();
    }

    @Test
    void randomStateDrawsEqualNumpyBitForBit() throws Exception {
        Map<String, INDArray> ref = Npz.read(DIR.resolve("random_state.npz"), "random_sample", "standard_normal", "normal",
                "uniform", "shuffle", "standard_normal_after");
        RandomState rs = new RandomState(2024);
        double[] a = new double[7];
        for (int i = 0; i < a.length; i++) {
            a[i] = rs.randomSample();
        }
        assertArrayEquals(flat(ref.get("random_sample")), a, 0.0);
        double[] b = new double[5];
        for (int i = 0; i < b.length; i++) {
            b[i] = rs.standardNormal();
        }
        assertArrayEquals(flat(ref.get("standard_normal")), b, 0.0);
        double[] c = new double[4];
        for (int i = 0; i < c.length; i++) {
            c[i] = rs.normal(3.0, 0.5);
        }
        assertArrayEquals(flat(ref.get("normal")), c, 0.0);
        double[] d = new double[3];
        for (int i = 0; i < d.length; i++) {
            d[i] = rs.uniform(-2.0, 5.0);
        }
        assertArrayEquals(flat(ref.get("uniform")), d, 0.0);
        int[] idx = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        rs.shuffle(idx);
        assertArrayEquals(flat(ref.get("shuffle")), java.util.Arrays.stream(idx).asDoubleStream().toArray(), 0.0);
        double[] e = new double[3];
        for (int i = 0; i < e.length; i++) {
            e[i] = rs.standardNormal();
        }
        assertArrayEquals(flat(ref.get("standard_normal_after")), e, 0.0);
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(strings = {"a", "b", "c", "d", "readme", "large"})
    void makeRegressionEqualsScikitLearn(String name) throws Exception {
        JsonNode kw = new ObjectMapper().readTree(DIR.resolve("make_regression_cases.json").toFile()).get(name);
        MakeRegression.Result r = generate(kw);
        Map<String, INDArray> ref = Npz.read(DIR.resolve("make_regression_" + name + ".npz"), "X", "y", "coef");
        // X and coef: bit for bit.
        assertArrayEquals(flat(ref.get("X")), flatten(r.x()), 0.0, "X");
        assertArrayEquals(flat(ref.get("coef")), flatten(r.coef()), 0.0, "coef");
        // y: within the dot product's rounding bound, k·ε·Σ|x_j·coef_j| over the k informative features (numpy sums
        // in its BLAS's order, which depends on the machine), plus the noise's and bias's additions.
        double[] ry = flat(ref.get("y"));
        double[][] x = r.x();
        double[][] coef = r.coef();
        int k = Math.min(kw.get("n_informative").asInt(), coef.length);
        int m = kw.get("n_targets").asInt();
        assertEquals(ry.length, x.length * m);
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < m; t++) {
                double terms = 0;
                for (int j = 0; j < coef.length; j++) {
                    terms += Math.abs(x[i][j] * coef[j][t]);
                }
                double bound = (k + 2) * Math.ulp(1.0) * (terms + Math.abs(r.y()[i][t]));
                assertEquals(ry[i * m + t], r.y()[i][t], bound, "y[" + i + "][" + t + "]");
            }
        }
    }

    static MakeRegression.Result generate(JsonNode kw) {
        return new MakeRegression(kw.get("n_samples").asInt(), kw.get("n_features").asInt(), kw.get("n_informative").asInt(),
                kw.get("n_targets").asInt(), kw.get("bias").asDouble(), kw.get("noise").asDouble(), kw.get("shuffle").asBoolean(),
                kw.get("random_state").asLong(), kw.has("effective_rank") ? kw.get("effective_rank").asDouble() : null,
                kw.path("tail_strength").asDouble(0.5)).generate();
    }

    /**
     * The low-rank path: X = U·diag(s)·Vᵀ from LAPACK's QR and BLAS products, which round in their own order,
     * so X and y equal scikit-learn's within {@link #LOW_RANK} relative (measured: about 1e-15); coef, drawn
     * after the same number of Gaussians, bit for bit.
     */
    @ParameterizedTest(name = "case {0}")
    @ValueSource(strings = {"lowrank_tall", "lowrank_wide"})
    void lowRankMakeRegressionEqualsScikitLearnWithinRounding(String name) throws Exception {
        JsonNode kw = new ObjectMapper().readTree(DIR.resolve("make_regression_cases.json").toFile()).get(name);
        MakeRegression.Result r = generate(kw);
        Map<String, INDArray> ref = Npz.read(DIR.resolve("make_regression_" + name + ".npz"), "X", "y", "coef");
        assertArrayEquals(flat(ref.get("coef")), flatten(r.coef()), 0.0, "coef");
        assertTrue(relative(flat(ref.get("X")), flatten(r.x())) <= LOW_RANK, "X: " + relative(flat(ref.get("X")), flatten(r.x())));
        assertTrue(relative(flat(ref.get("y")), flatten(r.y())) <= LOW_RANK, "y: " + relative(flat(ref.get("y")), flatten(r.y())));
    }

    /** Relative tolerance of the low-rank path (QR and products in another LAPACK/BLAS). */
    static final double LOW_RANK = 1e-12;

    static double relative(double[] want, double[] got) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < want.length; i++) {
            d += (want[i] - got[i]) * (want[i] - got[i]);
            n += want[i] * want[i];
        }
        return Math.sqrt(d / n);
    }

    static double[] flatten(double[][] a) {
        return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
