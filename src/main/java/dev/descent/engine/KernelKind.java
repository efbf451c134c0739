package dev.descent.engine;

import dev.descent.data.Dataset;
import dev.descent.host.HostMemory;
import org.nd4j.linalg.factory.Nd4j;

/** Which gradient kernel to use. {@link #AUTO} picks the fastest one for the backend in use. */
public enum KernelKind {
    /** OpenBLAS on the CPU backend, ND4J ops on any other. */
    AUTO,
    /** OpenBLAS called directly on host memory (CPU backend only). */
    BLAS,
    /** ND4J ops only: portable to every backend. */
    ND4J,
    /**
     * cuBLAS on an NVIDIA GPU ({@link dev.descent.gpu.DeviceBlock}; the {@code gpu} build): training only, with
     * the data in memory. What runs on the host (a test set's MSE, the stop rules' full-set losses) uses
     * {@link #BLAS}.
     */
    CUDA;

    /** The kind AUTO stands for on this backend. */
    public KernelKind resolve() {
        return this == AUTO ? (HostMemory.cpuBackend() ? BLAS : ND4J) : this;
    }

    /** A kernel over {@code data} for batches of up to {@code maxBatch} rows. */
    public GradientKernel create(Dataset data, int maxBatch) {
        return create(data, maxBatch, 1);
    }

    /**
     * A kernel over {@code data} for batches of up to {@code maxBatch} rows, each split over {@code threads}
     * threads ({@link ThreadedKernel}; the blas kernel only): 1 is the one-thread kernel with its gather helper.
     */
    public GradientKernel create(Dataset data, int maxBatch, int threads) {
        checkThreads(threads);
        if (threads > 1) {
            requireCpuBackend();
            return new ThreadedKernel(data, maxBatch, threads);
        }
        return switch (resolve()) {
            case BLAS -> {
                requireCpuBackend();
                yield new CpuBlasKernel(data, maxBatch);
            }
            case ND4J -> new Nd4jKernel(data, maxBatch);
            case CUDA -> BLAS.create(data, maxBatch);
            case AUTO -> throw new AssertionError("resolved above");
        };
    }

    /** Refuses a thread count this kernel cannot split a batch over: at least 1, and more only for the blas kernel. */
    public void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads > 1 && resolve() != BLAS) {
            throw new IllegalArgumentException("more than one thread per batch needs the blas kernel, not "
                    + resolve().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void requireCpuBackend() {
        if (!HostMemory.cpuBackend()) {
            throw new IllegalArgumentException("the blas kernel needs the CPU backend; this is "
                    + Nd4j.getBackend().getClass().getSimpleName());
        }
    }
}
