package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.Tolerances;
import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU kernel's prefetching gather (batches of at least {@link RowGather#PREFETCH_MIN_BYTES} of X are
 * fetched ahead on a helper thread) gives the same bits as gathering on the caller's thread, over whole
 * shuffled epochs, and its helper thread ends when idle.
 */
class RowGatherTest extends SeededTest {
    private static final int N = 1003;
    private static final int NX = 64;
    private static final int B = 100; // 100 rows × 64 × 8 bytes = 51 KB: prefetched

    @Test
    void prefetchedBatchesEqualGatheredOnesBitForBit() {
        assertTrue((long) B * NX * 8 >= Tuning.PREFETCH_MIN_BYTES, "the test must exercise the prefetch");
        sameBitsInSequenceReversedAndFromNd4j(N, B, 2);
    }

    /**
     * Small batches are gathered a group at a time, the next group on the helper thread: the same bits as
     * batch by batch, also when a new epoch re-shuffles the same order array (a group of the old epoch must
     * not serve the new one) and when the calls go backwards.
     */
    @Test
    void groupedSmallBatchesEqualGatheredOnesBitForBitAcrossEpochs() {
        int b = 8; // 8 rows × 64 × 8 bytes = 4 KB: grouped 8 batches at a time
        assertTrue((long) b * NX * 8 < Tuning.PREFETCH_MIN_BYTES, "the test must exercise the grouping");
        sameBitsInSequenceReversedAndFromNd4j(N, b, 3);
        sameBitsInSequenceReversedAndFromNd4j(40, b, 3); // one group holds a whole epoch
    }

    private static void sameBitsInSequenceReversedAndFromNd4j(int n, int bSize, int epochs) {
        final int B = bSize;
        final int N = n;
        Dataset d = new SyntheticData(N, NX, 3, 0.1, DataType.DOUBLE, 5).generate().data();
        GradientKernel inSequence = KernelKind.BLAS.create(d, B);
        GradientKernel reversed = KernelKind.BLAS.create(d, B);
        GradientKernel nd4j = KernelKind.ND4J.create(d, B);
        INDArray theta = Nd4j.rand(DataType.DOUBLE, NX + 1, 3);
        BatchOrder order = new BatchOrder(N, B, true, false, 11);
        int batches = order.batches();
        for (int epoch = 0; epoch < epochs; epoch++) {
            order.startEpoch(epoch);
            int[] ord = order.order();
            double[][] seq = new double[batches][];
            double[] seqLoss = new double[batches];
            for (int k = 0; k < batches; k++) { // each call finds its batch prefetched by the previous one
                INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 3);
                seqLoss[k] = inSequence.gradient(theta, ord, k * B, order.size(k), g);
                seq[k] = g.data().asDouble();
            }
            for (int k = batches - 1; k >= 0; k--) { // no call finds its batch prefetched
                INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 3);
                double loss = reversed.gradient(theta, ord, k * B, order.size(k), g);
                assertArrayEquals(seq[k], g.data().asDouble(), 0.0, "epoch " + epoch + " batch " + k);
                assertEquals(seqLoss[k], loss, 0.0);
                INDArray ref = Nd4j.zeros(DataType.DOUBLE, NX + 1, 3);
                nd4j.gradient(theta, ord, k * B, order.size(k), ref);
                assertArrayEquals(ref.data().asDouble(), seq[k], Tolerances.ROUNDING_F64, "against the ND4J kernel");
            }
        }
    }

    /** Batches larger than one block are done block by block (accumulating the gradient): same values. */
    @Test
    void batchesOfSeveralBlocksMatchTheNd4jKernel() {
        int b = 1000; // 1000 rows × 64 × 8 bytes: 3 blocks of at most BLOCK_BYTES
        assertTrue((long) b * NX * 8 > 2L * Tuning.BLOCK_BYTES, "the test must span several blocks");
        Dataset d = new SyntheticData(2500, NX, 2, 0.1, DataType.DOUBLE, 8).generate().data();
        GradientKernel blas = KernelKind.BLAS.create(d, b);
        GradientKernel nd4j = KernelKind.ND4J.create(d, b);
        INDArray theta = Nd4j.rand(DataType.DOUBLE, NX + 1, 2);
        BatchOrder order = new BatchOrder(2500, b, true, false, 12);
        order.startEpoch(0);
        for (int[] ord : new int[][] {order.order(), null}) {
            for (int k = 0; k < order.batches(); k++) {
                INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 2);
                INDArray ref = Nd4j.zeros(DataType.DOUBLE, NX + 1, 2);
                double loss = blas.gradient(theta, ord, k * b, order.size(k), g);
                double refLoss = nd4j.gradient(theta, ord, k * b, order.size(k), ref);
                assertArrayEquals(ref.data().asDouble(), g.data().asDouble(), Tolerances.ROUNDING_F64, "batch " + k);
                assertEquals(refLoss, loss, Tolerances.ROUNDING_F64 * refLoss);
            }
        }
    }

    /**
     * Many gathers straight on a RowGather, most asking for the rows prefetched by the call before (which the
     * caller and the helper then share), some not (which cancels the prefetch): every row lands where it
     * belongs, every time. A lost or doubly counted chunk hangs the caller, hence the timeout.
     */
    @Test
    void sharedAndCancelledPrefetchesPutEveryRowInPlace() {
        int n = 20_000;
        int cols = 64; // 256-byte rows: 32 rows per claimed chunk, 128 rows = the prefetch threshold
        int rowBytes = cols * 4;
        int maxBatch = 700;
        ByteBuffer x = ByteBuffer.allocateDirect(n * rowBytes).order(ByteOrder.nativeOrder());
        ByteBuffer y = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols; c++) {
                x.putInt((r * cols + c) * 4, r * cols + c);
            }
            y.putInt(r * 4, -r);
        }
        ByteBuffer[] xs = new ByteBuffer[2];
        ByteBuffer[] ys = new ByteBuffer[2];
        for (int s = 0; s < 2; s++) {
            xs[s] = ByteBuffer.allocateDirect(maxBatch * rowBytes).order(ByteOrder.nativeOrder());
            ys[s] = ByteBuffer.allocateDirect(maxBatch * 4).order(ByteOrder.nativeOrder());
        }
        // 20,000 rows in 1,000-row chunks: rows are found through the chunk arrays as in the kernel
        int perChunk = 1000;
        ByteBuffer[] xChunks = new ByteBuffer[n / perChunk];
        ByteBuffer[] yChunks = new ByteBuffer[n / perChunk];
        for (int k = 0; k < xChunks.length; k++) {
            xChunks[k] = x.slice(k * perChunk * rowBytes, perChunk * rowBytes).order(ByteOrder.nativeOrder());
            yChunks[k] = y.slice(k * perChunk * 4, perChunk * 4).order(ByteOrder.nativeOrder());
        }
        RowGather g = new RowGather(xChunks, perChunk, rowBytes, yChunks, perChunk, 4, xs, ys, maxBatch, true, null);
        assertTrue(128L * rowBytes >= Tuning.PREFETCH_MIN_BYTES && 127L * rowBytes < Tuning.PREFETCH_MIN_BYTES);
        java.util.Random rnd = new java.util.Random(SEED);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int start = 0;
            int b = 300;
            for (int call = 0; call < 20_000; call++) {
                int nextB = 100 + rnd.nextInt(maxBatch - 99); // some below the prefetch threshold
                int s = g.gather(order, start, b, nextB);
                for (int i = 0; i < b; i++) {
                    int row = order[start + i];
                    assertEquals(-row, ys[s].getInt(i * 4), "call " + call + " y row " + i);
                    assertEquals(row * cols, xs[s].getInt(i * rowBytes), "call " + call + " x row " + i);
                    assertEquals(row * cols + cols - 1, xs[s].getInt(i * rowBytes + rowBytes - 4), "call " + call);
                }
                if (rnd.nextInt(4) == 0 || start + b + nextB > n) { // not the rows asked for next
                    b = 100 + rnd.nextInt(maxBatch - 99);
                    start = rnd.nextInt(n - b + 1);
                } else {
                    start += b;
                    b = nextB;
                }
            }
        });
    }

    /** A row out of range in a prefetched batch fails the call that needs it; it does not hang it. */
    @Test
    void aFailedPrefetchIsReportedNotAwaited() {
        int rowBytes = 256;
        int n = 1000;
        int b = 200; // 51 KB: prefetched
        ByteBuffer x = ByteBuffer.allocateDirect(n * rowBytes);
        ByteBuffer y = ByteBuffer.allocateDirect(n * 4);
        ByteBuffer[] xs = {ByteBuffer.allocateDirect(b * rowBytes), ByteBuffer.allocateDirect(b * rowBytes)};
        ByteBuffer[] ys = {ByteBuffer.allocateDirect(b * 4), ByteBuffer.allocateDirect(b * 4)};
        RowGather g = new RowGather(new ByteBuffer[] {x}, n, rowBytes, new ByteBuffer[] {y}, n, 4, xs, ys, b, true, null);
        int[] order = new int[2 * b];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[b + 1] = n + 7; // in the second batch, which the first call prefetches
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            g.gather(order, 0, b, b);
            Thread.sleep(100); // the helper has met the bad row by now
            assertThrows(RuntimeException.class, () -> g.gather(order, b, b, b));
        });
    }

    @Test
    void helperThreadEndsWhenIdle() throws InterruptedException {
        Dataset d = new SyntheticData(400, NX, 1, 0.1, DataType.DOUBLE, 6).generate().data();
        GradientKernel k = KernelKind.BLAS.create(d, B);
        BatchOrder order = new BatchOrder(400, B, true, false, 3);
        order.startEpoch(0);
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, NX + 1, 1);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 1);
        k.gradient(theta, order.order(), 0, B, g);
        assertTrue(helpers() > 0, "a prefetch started the helper");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (helpers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, helpers(), "helper threads still alive 5 s after the last batch");
    }

    /** A kernel made within one core (a Spark task of one CPU) gathers on its own thread: no helper starts. */
    @Test
    void withinOneCoreNoHelperStarts() throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: the helper is off anyway");
        Dataset d = new SyntheticData(400, NX, 1, 0.1, DataType.DOUBLE, 6).generate().data();
        BatchOrder order = new BatchOrder(400, B, true, false, 3);
        order.startEpoch(0);
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, NX + 1, 1);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (helpers() > 0 && System.nanoTime() < deadline) { // other tests' helpers end 200 ms after their work
            Thread.sleep(50);
        }
        assertEquals(0, helpers());
        INDArray alone = Cores.within(1, () -> {
            INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 1);
            KernelKind.BLAS.create(d, B).gradient(theta, order.order(), 0, B, g);
            KernelKind.BLAS.create(d, B).gradient(theta, order.order(), B, B, g);
            return g;
        });
        assertEquals(0, helpers(), "no helper within one core");
        INDArray g = Nd4j.zeros(DataType.DOUBLE, NX + 1, 1);
        KernelKind.BLAS.create(d, B).gradient(theta, order.order(), B, B, g);
        assertTrue(helpers() > 0, "the same kernel outside starts its helper");
        assertArrayEquals(alone.data().asDouble(), g.data().asDouble(), 0.0, "the same bits either way");
    }

    private static long helpers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("descent-row-gather") && t.isAlive()).count();
    }
}
