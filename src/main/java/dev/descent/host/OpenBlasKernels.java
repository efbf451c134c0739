package dev.descent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether the LAPACK of ND4J's OpenBLAS 0.3.19 can be trusted in this process. Its AVX-512 kernels
 * (SkylakeX, Cooperlake) give wrong results in that DYNAMIC_ARCH build: on a Sapphire Rapids Xeon the
 * Cholesky factorization behind least squares returned NaN or values off by 1e36 under both, and was right
 * under Haswell's kernels (OpenBLAS issues 2986 and 3454, fixed in 0.3.21). OpenBLAS picks its kernels
 * once, when it loads, from {@code OPENBLAS_CORETYPE} or the CPU: on Intel CPUs with AVX-512 it picks the
 * wrong ones. {@code ./descent} (bin/descent-env.sh) sets Haswell's there; a JVM started another way is
 * told so before it computes anything with LAPACK (least squares, eigenvalues, make_regression's QR).
 * Training itself (gemv/gemm) gave the same results to the printed digits under Haswell's and SkylakeX's kernels.
 */
public final class OpenBlasKernels {
    private static final String PROBLEM = lapackProblem(System.getenv("OPENBLAS_CORETYPE"), cpuinfo());

    private OpenBlasKernels() {
    }

    /**
     * Throws, in one line, when OpenBLAS runs kernels whose LAPACK results are wrong.
     *
     * @throws IllegalArgumentException naming the kernels and the setting that avoids them
     */
    public static void requireSoundLapack() {
        if (PROBLEM != null) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    /** The reason LAPACK is wrong under this setting and CPU, or null. */
    public static String problem() {
        return PROBLEM;
    }

    /**
     * @param coreType OPENBLAS_CORETYPE as set (null or blank when unset)
     * @param cpuinfo /proc/cpuinfo's text (empty when unknown)
     * @return why LAPACK's results are wrong under the kernels OpenBLAS 0.3.19 loads here, or null
     */
    static String lapackProblem(String coreType, String cpuinfo) {
        String kernels;
        if (coreType != null && !coreType.isBlank()) {
            String c = coreType.trim().toLowerCase(Locale.ROOT);
            if (!c.equals("skylakex") && !c.equals("cooperlake")) {
                return null;
            }
            kernels = coreType.trim();
        } else if (field(cpuinfo, "vendor_id").equals("GenuineIntel") && flags(cpuinfo).contains(" avx512f ")) {
            kernels = flags(cpuinfo).contains(" avx512_bf16 ") ? "Cooperlake or SkylakeX" : "SkylakeX";
        } else {
            return null; // AMD CPUs with AVX-512 get the Zen kernels from 0.3.19, which predates Zen 4
        }
        return "OpenBLAS runs its " + kernels + " kernels here, whose LAPACK results are wrong in the OpenBLAS 0.3.19"
                + " that ND4J ships; start Java with OPENBLAS_CORETYPE=Haswell (./descent does: bin/descent-env.sh)";
    }

    private static String flags(String cpuinfo) {
        return " " + field(cpuinfo, "flags") + " ";
    }

    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
