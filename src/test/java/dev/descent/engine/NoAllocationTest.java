package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hot path (CPU kernel + optimizer step) allocates nothing per step: counted with the JVM's
 * per-thread allocation counter over many steps after warm-up. A single INDArray (or even its shape
 * object) per step would show up as hundreds of bytes per step.
 */
class NoAllocationTest extends SeededTest {
    private static final int STEPS = 20_000;
    /** Bytes per step tolerated on average: far below one small Java object per step. */
    private static final double MAX_BYTES_PER_STEP = 8;

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "ema", "momentum-torch", "momentum-keras", "nesterov-keras", "nesterov-torch"})
    void stepsAllocateNothing(String name) {
        Dataset d = new SyntheticData(1000, 8, 2, 0.1, DataType.FLOAT, 1).generate().data();
        GradientKernel k = KernelKind.BLAS.create(d, 32);
        Optimizer o = Optimizers.create(name, new Schedule.InverseTime(1e-3, 1e-4), 0.5, 0.1);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 9, 2);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 9, 2);
        o.init(theta.length(), DataType.FLOAT);
        int[] order = new int[1000];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 7) % 1000;
        }
        run(k, o, theta, grad, order, STEPS); // warm-up: JIT, bindings
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        run(k, o, theta, grad, order, STEPS);
        long bytes = mx.getThreadAllocatedBytes(tid) - before;
        double perStep = (double) bytes / STEPS;
        assertTrue(perStep <= MAX_BYTES_PER_STEP, name + ": " + perStep + " bytes allocated per step");
    }

    /** Shuffled batches large enough for the helper thread's prefetch: the caller still allocates nothing. */
    @org.junit.jupiter.api.Test
    void prefetchingGatherAllocatesNothing() {
        int b = 128; // 128 rows × 64 × 4 bytes = 32 KB
        Dataset d = new SyntheticData(4096, 64, 1, 0.1, DataType.FLOAT, 1).generate().data();
        GradientKernel k = KernelKind.BLAS.create(d, b);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 65, 1);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 65, 1);
        dev.descent.data.BatchOrder order = new dev.descent.data.BatchOrder(4096, b, true, false, 2);
        order.startEpoch(0);
        int steps = 2000;
        for (int t = 0; t < steps; t++) {
            k.gradient(theta, order.order(), (t % 32) * b, b, grad);
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int t = 0; t < steps; t++) {
            k.gradient(theta, order.order(), (t % 32) * b, b, grad);
        }
        double perStep = (double) (mx.getThreadAllocatedBytes(tid) - before) / steps;
        assertTrue(perStep <= MAX_BYTES_PER_STEP, perStep + " bytes allocated per prefetched step");
    }

    private static void run(GradientKernel k, Optimizer o, INDArray theta, INDArray grad, int[] order, int steps) {
        for (int t = 0; t < steps; t++) {
            int start = (t % 31) * 32;
            boolean shuffled = t % 2 == 0;
            k.gradient(theta, shuffled ? order : null, start, 32, grad);
            o.step(theta, grad, t, 0);
        }
    }
}
