package dev.descent.host;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The platform C library's natural logarithm, reached through ND4J's native {@code log} op (libnd4jcpu
 * calls the C library's {@code log}). numpy's legacy Gaussian calls the same function, and Java's
 * {@code Math.log}/{@code StrictMath.log} differ from glibc's by one ulp for some arguments (5.7 % of 2·10⁶
 * polar-method arguments measured here), so a numpy-exact generator takes its logarithms from here. One
 * native call per array: batch the arguments.
 */
public final class Libm {
    private Libm() {
    }

    /** out[i] = log(in[i]) for i in [0, n). in: not modified. out: modified (may be in). */
    public static void log(double[] in, double[] out, int n) {
        if (n == 0) {
            return;
        }
        INDArray a = Nd4j.createFromArray(n == in.length ? in : java.util.Arrays.copyOf(in, n)); // float64
        Transforms.log(a, false);
        System.arraycopy(a.toDoubleVector(), 0, out, 0, n);
    }

    /** log(x) for one argument (a native call each: batch where there are many). */
    public static double log(double x) {
        double[] v = {x};
        log(v, v, 1);
        return v[0];
    }
}
