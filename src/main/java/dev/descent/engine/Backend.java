package dev.descent.engine;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend in use, described for run headers and records. */
public record Backend(String name, String device, String blas, int threads) {

    /** Reads ND4J's environment information (loads the backend on first call). */
    public static Backend current() {
        boolean cpu = dev.descent.host.HostMemory.cpuBackend();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "?"));
        // Read by OpenBLAS when it loads (bin/descent-env.sh). Named as asked: OpenBLAS falls back to its own
        // choice, with a warning, for a name it does not know.
        String core = System.getenv("OPENBLAS_CORETYPE");
        if (cpu && core != null && !core.isBlank()) {
            blas += " (OPENBLAS_CORETYPE=" + core + ")";
        }
        String device;
        if (cpu) {
            device = Runtime.getRuntime().availableProcessors() + " cores, "
                    + env.getOrDefault("omp.threads", "?") + " OpenMP threads";
        } else {
            device = Nd4j.getBackend().getClass().getSimpleName();
        }
        int threads = Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0")));
        return new Backend(cpu ? "CPU (nd4j-native)" : "ND4J " + Nd4j.getBackend().getClass().getSimpleName(), device, blas, threads);
    }
}
