package dev.descent.engine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            device = cudaDevices(env.get("cuda.devicesInformation"));
        }
        int threads = Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0")));
        return new Backend(cpu ? "CPU (nd4j-native)" : "CUDA (nd4j-cuda)", device, blas, threads);
    }

    /** "name (sm_XY), free/total GiB" per device, from ND4J's CUDA environment entries. */
    static String cudaDevices(Object info) {
        if (!(info instanceof List<?> list) || list.isEmpty()) {
            return "CUDA device (no device information)";
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(m.get("cuda.deviceName")).append(" (sm_").append(m.get("cuda.deviceMajor")).append(m.get("cuda.deviceMinor"))
                    .append(')');
            if (m.get("cuda.totalMemory") instanceof Number total) {
                Object free = m.get("cuda.freeMemory");
                sb.append(String.format(Locale.ROOT, ", %.1f of %.1f GiB free",
                        free instanceof Number f ? f.doubleValue() / (1L << 30) : Double.NaN, total.doubleValue() / (1L << 30)));
            }
        }
        return sb.toString();
    }
}
