package dev.descent.engine;


import dev.descent.data.Dataset;
import dev.descent.host.Blas;
import dev.descent.host.HostMemory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient kernel for the CPU backend: OpenBLAS called directly on the arrays' memory, a few BLAS
 * calls per batch and no ND4J op dispatch (which costs 10–40 µs an op, more than a whole batch-32
 * step). For nY = 1 the products are gemv, about 7× faster than a gemm of width one.
 *
 * <p>Per batch: R ← Xb·W, R ← R + 1·Bᵀ, R ← R − Yb (DL4J's order: its output layer's preOut = X·W + b,
 * then preOut − y, one rounding each), gW ← (2/(b·m))·Xbᵀ·R, gB ← (2/(b·m))·Rᵀ·1, and the loss R·R:
 * six BLAS calls and no loop over elements in Java. For one output (nY = 1, one model) the bias, the
 * residual, the loss and gB are one Java loop over the b residuals between the two gemv calls (r_i rounded
 * as by the BLAS calls; Σ r and Σ r² in float64): two native calls a batch instead of six, each of which
 * costs more than that loop's 32 rows at batch 32. Without shuffling Xb is X's own memory (no copy); with
 * shuffling the batch's rows of X and Y are copied into preallocated buffers by a {@link RowGather},
 * which fetches the next batch on a helper thread while this one computes when batches are large.
 */
final class CpuBlasKernel implements TiledKernel {
    private final INDArray x;
    private final INDArray y;
    private final boolean dbl;
    private final Blas blas;
    private final int es;
    private final int nx;
    private final int m; // outputs of the data
    private final int tile; // models side by side: θ, R and the gradient have tile·m columns
    private final int mt;
    private final long n;
    private final int maxBatch;
    private final int block; // rows per block of a batch (see gradient)
    private final boolean helper; // shuffled rows may be gathered ahead on RowGather's helper thread

    private final INDArray[] xb = new INDArray[2]; // slotRows×nX gather buffers (two slots: see RowGather)
    private final INDArray[] yb = new INDArray[2]; // slotRows×m gathered targets
    private final int slotRows; // maxBatch, plus room for a group of small batches (see loadGrouped)
    private final int xRowBytes;
    private final Pointer[] xbAt = new Pointer[2]; // moved over a slot to a batch of its group
    private final Pointer[] ybAt = new Pointer[2];
    // The group of small batches the slot groupSlot holds: the rows groupRows[0..groupEnd − groupStart), which
    // were order[groupStart..groupEnd) when gathered
    private final int[] groupRows;
    private int groupStart;
    private int groupEnd = -1;
    private int groupSlot;
    private final INDArray r; // maxBatch×(tile·m) residual
    private final INDArray ones; // maxBatch
    private final Pointer[] ybPtr = new Pointer[2];
    private final Pointer yView; // moved over Y for contiguous batches
    private Pointer ybp; // the current batch's targets (set by loadBatch)
    private final boolean oneOutput; // m = 1 and one model: the residual loop in Java (see residual)
    private final ByteBuffer[] yRows; // Y's rows, for the residual loop
    private final int yRowsPerChunk;
    private final ByteBuffer[] ybBytes = new ByteBuffer[2]; // the slots' targets, for the residual loop
    private ByteBuffer ybBuf; // the current batch's targets in a slot (set by loadBatch), or null: Y's own rows
    private long ybFirst; // the first target's position: a byte offset into ybBuf, or else a row of Y
    private double rowSum; // Σ r of the last residual
    private double sumSq; // Σ r² of the last residual
    private final INDArray tiling; // held: tilePtr points into it
    private final Pointer tilePtr; // m × tile·m: column k·m + j selects target j (tiled kernels only)
    private final ByteBuffer rBytes;
    private final Pointer[] xbPtr = new Pointer[2];
    private final RowGather gather;
    private final Pointer rPtr;
    private final Pointer onesPtr;
    private final Pointer xView; // moved over X for contiguous batches

    private final Bound boundTheta = new Bound("θ");
    private final Bound boundGrad = new Bound("gradient");

    CpuBlasKernel(Dataset data, int maxBatch) {
        this(data, maxBatch, 1, true);
    }

    CpuBlasKernel(Dataset data, int maxBatch, int tile) {
        this(data, maxBatch, tile, true);
    }

    /**
     * A kernel for {@code tile} models trained side by side on the same batches: θ is (nX+1)×(tile·m),
     * model k owning columns k·m..k·m+m−1; one gemm per batch serves them all. Without {@code helper} a
     * shuffled batch is gathered on the calling thread alone, batch by batch (a {@link ThreadedKernel}'s share).
     */
    CpuBlasKernel(Dataset data, int maxBatch, int tile, boolean helper) {
        this(data, maxBatch, tile, helper, 0);
    }

    /** As above; {@code yChunkRows} > 0 cuts Y's rows for the one-output residual loop into chunks that small (tests). */
    CpuBlasKernel(Dataset data, int maxBatch, int tile, boolean helper, int yChunkRows) {
        if (tile < 1) {
            throw new IllegalArgumentException("tile must be >= 1, got " + tile);
        }
        this.x = HostMemory.rowContiguousOrCopy(data.x());
        this.y = HostMemory.rowContiguousOrCopy(data.y());
        this.dbl = data.dataType() == DataType.DOUBLE;
        this.blas = Blas.of(data.dataType());
        this.es = dbl ? 8 : 4;
        this.nx = data.inputs();
        this.m = data.outputs();
        this.tile = tile;
        this.mt = m * tile;
        this.n = data.size();
        this.maxBatch = maxBatch;
        this.block = Tuning.blockRows(nx * es);
        int xRowsPerChunk = HostMemory.rowsPerChunk(nx * es);
        int yRowsPerChunk = HostMemory.rowsPerChunk(m * es);
        ByteBuffer[] xRows = HostMemory.rowChunks(x, nx * es, xRowsPerChunk);
        ByteBuffer[] yRows = HostMemory.rowChunks(y, m * es, yRowsPerChunk);
        this.yRowsPerChunk = yChunkRows > 0 ? yChunkRows : yRowsPerChunk;
        this.yRows = yChunkRows > 0 ? HostMemory.rowChunks(y, m * es, yChunkRows) : yRows;
        this.oneOutput = mt == 1;

        DataType t = data.dataType();
        this.xRowBytes = nx * es;
        // On one core the helper can only take turns with the caller, its spinning waits holding the core the
        // caller needs: under taskset -c 0 it ran 4.1-4.9 M samples/s, the caller gathering alone 6.4-7.2 M.
        // Likewise where the thread was given one core (a Spark task of one CPU: Cores.within).
        this.helper = helper && Cores.available() > 1;
        this.slotRows = this.helper ? (int) Math.min(Integer.MAX_VALUE, maxBatch + (Tuning.GROUP_BYTES + xRowBytes - 1) / xRowBytes)
                : maxBatch;
        ByteBuffer[] xbBytes = new ByteBuffer[2];
        for (int s = 0; s < 2; s++) {
            xb[s] = Nd4j.zeros(t, slotRows, nx);
            yb[s] = Nd4j.zeros(t, slotRows, m);
            xbBytes[s] = HostMemory.rowChunks(xb[s], nx * es, slotRows)[0];
            ybBytes[s] = HostMemory.rowChunks(yb[s], m * es, slotRows)[0];
            xbPtr[s] = typed(HostMemory.pointer(xb[s]));
            ybPtr[s] = typed(HostMemory.pointer(yb[s]));
            xbAt[s] = typed(HostMemory.pointer(xb[s]));
            ybAt[s] = typed(HostMemory.pointer(yb[s]));
        }
        this.groupRows = new int[slotRows];
        this.gather = new RowGather(xRows, xRowsPerChunk, nx * es, yRows, yRowsPerChunk, m * es, xbBytes, ybBytes, slotRows,
                this.helper, new Object[] {xb, yb, x, y});
        this.r = Nd4j.zeros(t, maxBatch, mt);
        this.ones = Nd4j.ones(t, maxBatch);
        this.rBytes = HostMemory.rowChunks(r, mt * es, maxBatch)[0];
        this.rPtr = typed(HostMemory.pointer(r));
        this.onesPtr = typed(HostMemory.pointer(ones));
        this.xView = typed(HostMemory.pointer(x));
        this.yView = typed(HostMemory.pointer(y));
        if (tile > 1) {
            this.tiling = Nd4j.zeros(t, m, mt);
            for (int k = 0; k < tile; k++) {
                for (int j = 0; j < m; j++) {
                    tiling.putScalar(j, (long) k * m + j, 1.0);
                }
            }
            this.tilePtr = typed(HostMemory.pointer(tiling));
        } else {
            this.tiling = null;
            this.tilePtr = null;
        }
    }

    private Pointer typed(BytePointer p) {
        return blas.typed(p);
    }

    @Override
    public long rows() {
        return n;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public double gradient(INDArray theta, int[] order, int start, int b, INDArray grad) {
        return gradient(theta, order, start, b, grad, null);
    }

    @Override
    public double gradient(INDArray theta, int[] order, int start, int b, INDArray grad, double[] columnSums) {
        return share(theta, order, start, b, grad, columnSums, 2.0 / ((double) b * m)) / ((double) b * mt);
    }

    /**
     * The gradient's terms from rows {@code order[start..start+b)} (or {@code start..start+b}) with the factor
     * {@code scale} (2/(b·m) of the whole batch) written into {@code grad}; returns their Σ r². The whole of
     * {@link #gradient} when the batch is all of it; one thread's share in a {@link ThreadedKernel}.
     */
    double share(INDArray theta, int[] order, int start, int b, INDArray grad, double[] columnSums, double scale) {
        boundTheta.to(theta);
        boundGrad.to(grad);
        double sq = 0;
        // A large batch is done in blocks of rows small enough to stay in L2 between the forward and the
        // backward product (and, shuffled, to be gathered one block ahead); the gradient accumulates. The
        // blocks are of equal size (within a row): a short last one, below what is worth prefetching, left
        // the next batch's first block ungathered while it computed (float64 nX 100, batch 256 = 245 + 11
        // rows: 3.0 M samples/s against 6.7 M at batch 240).
        int blocks = (b + block - 1) / block;
        for (int k = 0; k < blocks; k++) {
            int s = (int) ((long) k * b / blocks);
            int bs = (int) ((long) (k + 1) * b / blocks) - s;
            double beta = k == 0 ? 0.0 : 1.0;
            // The rows asked for next: this batch's next block, or else the next batch's first (assuming the
            // same batch size; a wrong guess costs a wasted prefetch and a gather on this thread).
            int nextB = k + 1 < blocks ? (int) ((long) (k + 2) * b / blocks) - s - bs : b / blocks;
            Pointer xbp = loadBatch(order, start + s, bs, nextB);
            sq += forward(xbp, bs);
            if (columnSums != null) {
                addColumnSquares(bs, columnSums);
            }
            // gW = (2/(b·m)) · Xbᵀ·r
            if (mt == 1) {
                blas.gemv(true, bs, nx, scale, xbp, nx, rPtr, beta, boundGrad.w);
            } else {
                blas.gemm(true, nx, mt, bs, scale, xbp, nx, rPtr, mt, beta, boundGrad.w, mt);
            }
            // gB = (2/(b·m)) · rᵀ·1
            if (oneOutput) {
                double gb = scale * rowSum + (k == 0 ? 0.0 : boundGrad.bias());
                boundGrad.setBias(gb);
            } else {
                blas.gemv(true, bs, mt, scale, rPtr, mt, onesPtr, beta, boundGrad.b);
            }
        }
        return sq;
    }

    @Override
    public double squaredError(INDArray theta, int start, int b) {
        boundTheta.to(theta);
        return forward(loadBatch(null, start, b, 0), b);
    }

    @Override
    public int tile() {
        return tile;
    }

    @Override
    public void columnSquaredErrors(INDArray theta, int start, int b, double[] sums) {
        boundTheta.to(theta);
        forward(loadBatch(null, start, b, 0), b);
        addColumnSquares(b, sums);
    }

    /** sums[c] += Σ r² over the first b rows of R, column by column (in float64). */
    private void addColumnSquares(int b, double[] sums) {
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < mt; c++) {
                double v = dbl ? rBytes.getDouble((i * mt + c) * 8) : rBytes.getFloat((i * mt + c) * 4);
                sums[c] += v * v;
            }
        }
    }

    /**
     * R ← Xb·W + B − Yb for the rows loaded by {@link #loadBatch} ({@code xbp} and {@link #ybp}); returns Σ r²
     * (and, for one output, leaves Σ r in {@link #rowSum}).
     */
    private double forward(Pointer xbp, int b) {
        if (mt == 1) {
            blas.gemv(false, b, nx, 1.0, xbp, nx, boundTheta.w, 0.0, rPtr);
        } else {
            blas.gemm(false, b, mt, nx, 1.0, xbp, nx, boundTheta.w, mt, 0.0, rPtr, mt);
        }
        if (oneOutput) {
            return residual(b);
        }
        blas.ger(b, mt, onesPtr, boundTheta.b, rPtr); // R ← R + 1·Bᵀ
        if (tile == 1) {
            blas.axpy(b * m, -1.0, ybp, rPtr); // R ← R − Yb, rows of Yb and R alike m wide
        } else {
            // R ← R − Yb·T: T (m × tile·m) holds one 1 per column, so each product term is exactly a target
            blas.gemm(false, b, mt, m, -1.0, ybp, m, tilePtr, mt, 1.0, rPtr, mt);
        }
        return blas.dot(b * mt, rPtr, rPtr);
    }

    /**
     * One output: r_i ← (r_i + B) − y_i over the b rows of R (two roundings, as the ger and axpy calls make
     * them), Σ r_i² returned and Σ r_i left in {@link #rowSum}, both in float64 and in row order.
     */
    private double residual(int b) {
        sumSq = 0;
        rowSum = 0;
        if (ybBuf != null) {
            residualPart(0, b, ybBuf, (int) ybFirst);
        } else { // Y's own rows from row ybFirst, perhaps across its chunks
            for (int i = 0; i < b; ) {
                long row = ybFirst + i;
                int in = (int) (row % yRowsPerChunk);
                int to = (int) Math.min(b, i + (long) yRowsPerChunk - in);
                residualPart(i, to, yRows[(int) (row / yRowsPerChunk)], in * es);
                i = to;
            }
        }
        return sumSq;
    }

    /** {@link #residual}'s loop over rows from..to of R, whose targets start at byte {@code yAt} of {@code ys}. */
    private void residualPart(int from, int to, ByteBuffer ys, int yAt) {
        double sq = sumSq;
        double sum = rowSum;
        if (dbl) {
            double bias = boundTheta.bias();
            for (int i = from; i < to; i++) {
                double v = (rBytes.getDouble(i * 8) + bias) - ys.getDouble(yAt + (i - from) * 8);
                rBytes.putDouble(i * 8, v);
                sq += v * v;
                sum += v;
            }
        } else {
            float bias = (float) boundTheta.bias();
            for (int i = from; i < to; i++) {
                float v = (rBytes.getFloat(i * 4) + bias) - ys.getFloat(yAt + (i - from) * 4);
                rBytes.putFloat(i * 4, v);
                sq += (double) v * v;
                sum += v;
            }
        }
        sumSq = sq;
        rowSum = sum;
    }

    /** Points {@link #ybp} at the batch's targets and returns a pointer to its inputs (X and Y themselves in order). */
    private Pointer loadBatch(int[] order, int start, int b, int nextB) {
        GradientKernel.checkBatch(b, maxBatch);
        if (order == null) { // X's and Y's own rows, no copy
            yView.position((long) start * m);
            ybp = yView;
            ybBuf = null;
            ybFirst = start;
            xView.position((long) start * nx);
            return xView;
        }
        if (helper && (long) b * xRowBytes < Tuning.PREFETCH_MIN_BYTES) {
            return loadGrouped(order, start, b);
        }
        groupEnd = -1; // the slots are about to be overwritten
        int slot = gather.gather(order, start, b, nextB);
        ybp = ybPtr[slot];
        ybBuf = ybBytes[slot];
        ybFirst = 0;
        return xbPtr[slot];
    }

    /**
     * A small batch (less than {@link Tuning#PREFETCH_MIN_BYTES} of X) from a group of consecutive batches
     * gathered at once — a whole number of batches, at least that many bytes — so that the next group is
     * fetched on the helper thread while this one's batches compute: a hand-off per group, not per batch.
     * A batch is served from the group only when its row numbers are the ones the group was gathered for
     * (compared, b ints: a new epoch re-shuffles the same order array); otherwise it gathers anew. Every row
     * lands where a batch-by-batch gather puts it relative to its batch, so the bits do not change.
     */
    private Pointer loadGrouped(int[] order, int start, int b) {
        int at0 = start - groupStart;
        boolean inGroup = start >= groupStart && start + b <= groupEnd
                && Arrays.equals(order, start, start + b, groupRows, at0, at0 + b);
        if (!inGroup) {
            int group = Tuning.groupRows(b, xRowBytes);
            int rows = Math.min(group, order.length - start);
            groupSlot = gather.gather(order, start, rows, group);
            System.arraycopy(order, start, groupRows, 0, rows);
            groupStart = start;
            groupEnd = start + rows;
        }
        long at = start - groupStart;
        ybp = ybAt[groupSlot].position(at * m);
        ybBuf = ybBytes[groupSlot];
        ybFirst = at * m * es;
        return xbAt[groupSlot].position(at * nx);
    }

    /** Typed pointers to the W rows and the B row of a [W; B] matrix, rebound only when the array changes. */
    private final class Bound {
        private final String what;
        private INDArray array;
        Pointer w;
        Pointer b;
        private ByteBuffer bytes; // the whole [W; B]
        private int biasAt; // B's first byte in it

        Bound(String what) {
            this.what = what;
        }

        void to(INDArray a) {
            if (a != array) {
                check(a, what);
                BytePointer p = HostMemory.pointer(a);
                w = typed(p);
                b = typed(p).position((long) nx * mt);
                bytes = HostMemory.rowChunks(a, mt * es, nx + 1)[0];
                biasAt = nx * mt * es;
                array = a;
            }
        }

        /** B's first element (one output: B itself). */
        double bias() {
            return dbl ? bytes.getDouble(biasAt) : bytes.getFloat(biasAt);
        }

        void setBias(double v) {
            if (dbl) {
                bytes.putDouble(biasAt, v);
            } else {
                bytes.putFloat(biasAt, (float) v);
            }
        }
    }

    private void check(INDArray a, String what) {
        if (a.rows() != nx + 1 || a.columns() != mt || !HostMemory.rowContiguous(a) || a.dataType() != x.dataType()) {
            throw new IllegalArgumentException(what + " must be a c-ordered " + (nx + 1) + "×" + mt + " "
                    + x.dataType() + " matrix [W; B], got " + java.util.Arrays.toString(a.shape()) + " "
                    + a.dataType() + " order " + a.ordering());
        }
    }
}
