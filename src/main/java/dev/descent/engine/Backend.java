package dev.descent.engine;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend in use, described for run headers and records. */
public record Backend(String name, String device, String blas, int threads) {

    /** Reads ND4J's environment information (loads the backend on first call). */
    public static Backend current() {
        boolean cpu = dev.descent.data.HostMemory.cpuBackend();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "?"));
        String device;
        if (cpu) {
            device = Runtime.getRuntime().availableProcessors() + " cores, "
                    + env.getOrDefault("omp.threads", "?") + " OpenMP threads";
        } else {
            device = String.valueOf(env.getOrDefault("cuda.devicesInformation", "CUDA device"));
        }
        int threads = Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0")));
        return new Backend(cpu ? "CPU (nd4j-native)" : "CUDA (nd4j-cuda)", device, blas, threads);
    }
}
