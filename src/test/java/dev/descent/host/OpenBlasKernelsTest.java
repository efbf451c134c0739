package dev.descent.host;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which OpenBLAS kernel choices make descent refuse LAPACK (OpenBlasKernels). */
class OpenBlasKernelsTest {
    private static String cpu(String vendor, String flags) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: 6\nflags\t\t: fpu sse2 avx avx2 fma " + flags
                + "\n\nprocessor\t: 1\n";
    }

    private static final String SAPPHIRE_RAPIDS = cpu("GenuineIntel", "avx512f avx512dq avx512_bf16 amx_tile");
    private static final String SKYLAKE_SP = cpu("GenuineIntel", "avx512f avx512dq avx512cd avx512bw avx512vl");
    private static final String ZEN4 = cpu("AuthenticAMD", "avx512f avx512dq avx512_bf16");
    private static final String HASWELL = cpu("GenuineIntel", "bmi2");

    @Test
    void intelCpusWithAvx512AndNoSettingGetTheWrongKernels() {
        String p = OpenBlasKernels.lapackProblem(null, SAPPHIRE_RAPIDS);
        assertNotNull(p);
        assertTrue(p.contains("OPENBLAS_CORETYPE=Haswell") && !p.contains("\n"), p);
        assertNotNull(OpenBlasKernels.lapackProblem("", SKYLAKE_SP));
    }

    @Test
    void haswellsKernelsOrAnotherCpuAreSound() {
        assertNull(OpenBlasKernels.lapackProblem("Haswell", SAPPHIRE_RAPIDS));
        assertNull(OpenBlasKernels.lapackProblem("haswell", SKYLAKE_SP));
        assertNull(OpenBlasKernels.lapackProblem(null, ZEN4)); // 0.3.19 gives Zen 4 its Zen kernels
        assertNull(OpenBlasKernels.lapackProblem(null, HASWELL));
        assertNull(OpenBlasKernels.lapackProblem(null, ""));
    }

    @Test
    void askingForTheAvx512KernelsIsRefusedOnAnyCpu() {
        assertTrue(OpenBlasKernels.lapackProblem("SkylakeX", ZEN4).contains("SkylakeX kernels"));
        assertTrue(OpenBlasKernels.lapackProblem("COOPERLAKE", HASWELL).contains("COOPERLAKE kernels"));
    }

    @Test
    void thisProcessWasStartedWithSoundKernels() {
        // Maven runs the tests through bin/java-env, which sets Haswell's kernels on AVX-512 CPUs
        assertNull(OpenBlasKernels.problem());
    }
}
