package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each batch split over T threads ({@link ThreadedKernel}): the kernel contract with T = 3; the result is
 * exactly the one-thread kernel's shares added in the order t = 0 … T − 1; the same bits run to run; batches
 * smaller than T; a failing share reported, not waited for; workers that ended while idle start again.
 */
class ThreadedKernelTest extends GradientKernelContract {
    @Override
    KernelKind kind() {
        return KernelKind.BLAS;
    }

    @Override
    GradientKernel create(Dataset d, int maxBatch) {
        return KernelKind.BLAS.create(d, maxBatch, 3);
    }

    private static int[] permutation(int n, int step) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (((long) i * step + 5) % n); // a permutation when gcd(step, n) = 1
        }
        return order;
    }

    /**
     * Against the one-thread kernel run share by share on the same rows (⌈s·b/S⌉ on), each share's terms
     * scaled by 2/(b·m) of the whole batch and added in share order: equal to the bit, float32 and float64,
     * shuffled and in order, batches of many blocks (nX 1000: 48 rows a block in float32) included. S is
     * min(T, ⌊b / r⌋), r = max(64, rows of 24 KB).
     */
    @ParameterizedTest(name = "T={0} nX={1} nY={2} batch {3} {4} shuffled={5}: {6} shares")
    @CsvSource({"4, 100, 1, 256, FLOAT, true, 4", "4, 100, 1, 128, FLOAT, true, 2", "3, 200, 3, 150, DOUBLE, true, 2",
        "4, 200, 2, 300, DOUBLE, false, 4", "3, 1000, 1, 700, FLOAT, true, 3", "2, 1000, 2, 900, DOUBLE, false, 2",
        "5, 1000, 1, 330, FLOAT, true, 5", "4, 100, 1, 200, FLOAT, false, 3"})
    void equalsTheSharesAddedInOrder(int threads, int nx, int ny, int b, DataType t, boolean shuffled, int expectShares) {
        int n = 1201;
        Dataset d = new SyntheticData(n, nx, ny, 0.3, t, 17).generate().data();
        int[] order = shuffled ? permutation(n, 7) : null;
        INDArray theta = Nd4j.randn(DataType.DOUBLE, nx + 1, ny).muli(0.1).castTo(t);
        INDArray grad = Nd4j.zeros(t, nx + 1, ny);
        ThreadedKernel k = (ThreadedKernel) KernelKind.BLAS.create(d, b, threads);
        int shares = k.shares(b);
        assertEquals(expectShares, shares, "shares");
        double loss = k.gradient(theta, order, 11, b, grad);

        CpuBlasKernel one = new CpuBlasKernel(d, b);
        double scale = 2.0 / ((double) b * ny);
        INDArray sum = null;
        double sq = 0;
        for (int s = 0; s < shares; s++) {
            int lo = (s * b + shares - 1) / shares;
            int hi = ((s + 1) * b + shares - 1) / shares;
            INDArray part = Nd4j.zeros(t, nx + 1, ny);
            sq += one.share(theta, order, 11 + lo, hi - lo, part, null, scale);
            sum = sum == null ? part : sum.addi(part); // elementwise x + y: what axpy with alpha 1 computes
        }
        assertEquals(sq / ((double) b * ny), loss, 0.0, "batch loss");
        assertArrayEquals(sum.data().asDouble(), grad.data().asDouble(), "gradient"); // exact, unlike INDArray.equals
        double forward = 0; // the forward pass alone, rows 11.. in order, share by share
        for (int s = 0; s < shares; s++) {
            int lo = (s * b + shares - 1) / shares;
            forward += one.squaredError(theta, 11 + lo, (s + 1) * b / shares + ((s + 1) * b % shares == 0 ? 0 : 1) - lo);
        }
        assertEquals(forward, k.squaredError(theta, 11, b), 0.0, "forward pass");
    }

    /** The split changes the order of the sums, not their value: against one thread, within float64 rounding. */
    @Test
    void agreesWithOneThreadWithinRounding() {
        Dataset d = new SyntheticData(2000, 50, 2, 0.3, DataType.DOUBLE, 3).generate().data();
        int[] order = permutation(2000, 11);
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 51, 2);
        INDArray g1 = Nd4j.zeros(DataType.DOUBLE, 51, 2);
        INDArray g4 = Nd4j.zeros(DataType.DOUBLE, 51, 2);
        double l1 = KernelKind.BLAS.create(d, 1000).gradient(theta, order, 500, 1000, g1);
        double l4 = KernelKind.BLAS.create(d, 1000, 4).gradient(theta, order, 500, 1000, g4);
        assertEquals(l1, l4, 1e-14 * l1);
        double rel = g1.sub(g4).norm2Number().doubleValue() / g1.norm2Number().doubleValue();
        assertTrue(rel < 1e-14, "relative difference " + rel);
    }

    /** Every batch size up to the largest fits the shares' buffers, whatever S it is cut into. */
    @ParameterizedTest(name = "T={0}")
    @CsvSource({"2", "3", "5"})
    void everyBatchSizeFits(int threads) {
        Dataset d = new SyntheticData(400, 100, 1, 0.3, DataType.FLOAT, 4).generate().data(); // 64 rows a share
        GradientKernel k = KernelKind.BLAS.create(d, 400, threads);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 101, 1);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 101, 1);
        int[] order = permutation(400, 7);
        for (int b = 1; b <= 400; b++) {
            double loss = k.gradient(theta, order, 0, b, grad);
            assertTrue(loss > 0, "batch " + b);
        }
    }

    /** A batch too small for two shares runs on one thread and its helper: the one-thread kernel's bits. */
    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1", "60", "121"})
    void aBatchTooSmallToSplitGivesTheOneThreadBits(int b) {
        Dataset d = new SyntheticData(500, 100, 2, 0.3, DataType.FLOAT, 4).generate().data(); // 64 rows a share
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 101, 2).castTo(DataType.FLOAT);
        INDArray g1 = Nd4j.zeros(DataType.FLOAT, 101, 2);
        INDArray g4 = Nd4j.ones(DataType.FLOAT, 101, 2); // overwritten, not added to
        int[] order = permutation(500, 3);
        ThreadedKernel four = (ThreadedKernel) KernelKind.BLAS.create(d, 128, 4);
        assertEquals(1, four.shares(b));
        assertEquals(KernelKind.BLAS.create(d, 128).gradient(theta, order, 9, b, g1), four.gradient(theta, order, 9, b, g4), 0.0);
        assertArrayEquals(g1.data().asDouble(), g4.data().asDouble());
    }

    /** Training with T = 3 (batches of 1000 rows, 307 a share at least), twice, shuffled and in order: the same bits, and not those of T = 1 or 2. */
    @ParameterizedTest(name = "shuffled={0}")
    @CsvSource({"true", "false"})
    void trainingGivesTheSameBitsForAGivenT(boolean shuffle) {
        Dataset d = new SyntheticData(3000, 20, 2, 0.3, DataType.FLOAT, 8).generate().data();
        LinearModel init = Init.ZEROS.create(20, 2, DataType.FLOAT, 1);
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(1000).withEpochs(3).withShuffle(shuffle);
        float[] t3a = train(d, init, c.withThreads(3));
        float[] t3b = train(d, init, c.withThreads(3));
        assertArrayEquals(t3a, t3b);
        assertNotEquals(java.util.Arrays.toString(t3a), java.util.Arrays.toString(train(d, init, c)));
        assertNotEquals(java.util.Arrays.toString(t3a), java.util.Arrays.toString(train(d, init, c.withThreads(2))));
    }

    /** A checkpoint records T: resumed with T it ends on the uninterrupted run's bits; another T is refused. */
    @Test
    void aCheckpointResumesOnlyWithItsThreads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Dataset d = new SyntheticData(3000, 20, 2, 0.3, DataType.FLOAT, 8).generate().data();
        LinearModel init = Init.ZEROS.create(20, 2, DataType.FLOAT, 1);
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(1000).withThreads(2);
        java.nio.file.Path file = tmp.resolve("ck.json");
        new Trainer(optimizer(), c.withEpochs(2)).train(d, null, init, new Trainer.Checkpointing(file, 1, java.util.Map.of()));
        Checkpoint ck = Checkpoint.load(file);
        float[] resumed = new Trainer(optimizer(), c.withEpochs(3)).resume(d, null, ck, null).model().stacked().data().asFloat();
        assertArrayEquals(train(d, init, c.withEpochs(3)), resumed);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(optimizer(), c.withEpochs(3).withThreads(1)).resume(d, null, ck, null));
        assertTrue(e.getMessage().contains("threads = 2"), e.getMessage());
    }

    private static dev.descent.optim.Optimizer optimizer() {
        return Optimizers.create("momentum-torch", new Schedule.Constant(0.01), 0.9, 0);
    }

    private static float[] train(Dataset d, LinearModel init, Trainer.Config c) {
        return new Trainer(optimizer(), c).train(d, null, init).model().stacked().data().asFloat();
    }

    /** A row out of range in a worker's share: the caller throws instead of waiting for it forever. */
    @Test
    void aFailingShareIsReported() {
        Dataset d = new SyntheticData(200, 300, 1, 0.3, DataType.DOUBLE, 4).generate().data(); // 64 rows a share
        int[] order = permutation(200, 3);
        order[100] = 1_000_000; // in share 1 of a 128-row batch at 0
        GradientKernel k = KernelKind.BLAS.create(d, 128, 2);
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, 301, 1);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 301, 1);
        var e = assertThrows(IllegalStateException.class, () -> k.gradient(theta, order, 0, 128, grad));
        assertTrue(e.getMessage().startsWith("a gradient thread failed"), e.getMessage());
    }

    /** Workers end after {@link Tuning#GATHER_IDLE_NANOS} without work; the next step starts them again. */
    @Test
    void workersThatEndedWhileIdleStartAgain() throws InterruptedException {
        Dataset d = new SyntheticData(400, 300, 1, 0.3, DataType.DOUBLE, 4).generate().data(); // 64 rows a share
        GradientKernel k = KernelKind.BLAS.create(d, 128, 2);
        INDArray theta = Nd4j.randn(DataType.DOUBLE, 301, 1);
        INDArray before = Nd4j.zeros(DataType.DOUBLE, 301, 1);
        INDArray after = Nd4j.zeros(DataType.DOUBLE, 301, 1);
        int[] order = permutation(400, 7);
        double l0 = k.gradient(theta, order, 40, 128, before);
        assertTrue(workerAlive(), "a worker computed share 1");
        long deadline = System.nanoTime() + 10 * Tuning.GATHER_IDLE_NANOS;
        while (workerAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!workerAlive(), "the worker ended after idling");
        assertEquals(l0, k.gradient(theta, order, 40, 128, after), 0.0);
        assertArrayEquals(before.data().asDouble(), after.data().asDouble());
    }

    private static boolean workerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("descent-gradient-") && t.isAlive());
    }

    /** The caller allocates nothing per step, nor does a worker. */
    @Test
    void stepsAllocateNothing() throws InterruptedException {
        Dataset d = new SyntheticData(4096, 64, 1, 0.1, DataType.FLOAT, 1).generate().data(); // 96 rows a share
        GradientKernel k = KernelKind.BLAS.create(d, 256, 2);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 65, 1);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 65, 1);
        int[] order = permutation(4096, 7);
        int steps = 5000;
        for (int t = 0; t < steps; t++) {
            k.gradient(theta, order, (t % 16) * 256, 256, grad);
        }
        Thread worker = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("descent-gradient-1"))
                .findFirst().orElseThrow();
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        long mine = mx.getThreadAllocatedBytes(me);
        long theirs = mx.getThreadAllocatedBytes(worker.getId());
        for (int t = 0; t < steps; t++) {
            k.gradient(theta, order, (t % 16) * 256, 256, grad);
        }
        double perStep = (double) (mx.getThreadAllocatedBytes(me) - mine) / steps;
        double workerPerStep = (double) (mx.getThreadAllocatedBytes(worker.getId()) - theirs) / steps;
        assertTrue(perStep <= 8, perStep + " bytes allocated per step by the caller");
        assertTrue(workerPerStep <= 8, workerPerStep + " bytes allocated per step by the worker");
    }
}
