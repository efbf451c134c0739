package dev.descent.gpu;

import java.lang.reflect.InvocationTargetException;
import org.nd4j.linalg.api.buffer.DataType;

/** Opens the CUDA device, whose code (JavaCPP's CUDA presets) only the {@code gpu} build carries. */
public final class Devices {
    /** The class the gpu profile compiles from src/gpu/java. */
    static final String CUDA_DEVICE = "dev.descent.gpu.CudaDevice";

    private Devices() {
    }

    /**
     * Opens the CUDA device, says what it is and closes it: the check a command makes before it writes
     * anything, when the device itself is opened later (by each training run).
     *
     * @throws IllegalArgumentException as {@link #cuda}
     */
    public static String describe(DataType dtype) {
        try (Device d = cuda(dtype)) {
            return d.describe();
        }
    }

    /**
     * The first CUDA device, computing in {@code dtype}.
     *
     * @throws IllegalArgumentException when this build has no CUDA code, or no device can be opened (one line: why)
     */
    public static Device cuda(DataType dtype) {
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("the cuda kernel trains in float32 or float64, not " + dtype);
        }
        Class<?> c;
        try {
            c = Class.forName(CUDA_DEVICE);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--kernel cuda needs the GPU build: run with DESCENT_PROFILE=gpu "
                    + "(or build with mvn -Pgpu); this build has no CUDA code");
        }
        try {
            return (Device) c.getMethod("open", boolean.class).invoke(null, dtype == DataType.DOUBLE);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
