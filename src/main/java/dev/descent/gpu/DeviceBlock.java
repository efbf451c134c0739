package dev.descent.gpu;

import dev.descent.data.Dataset;
import dev.descent.engine.Batches;
import dev.descent.engine.Cores;
import dev.descent.engine.EpochLoop;
import dev.descent.engine.MemoryBatches;
import dev.descent.engine.ModelBlock;
import dev.descent.engine.RowGather;
import dev.descent.host.HostMemory;
import dev.descent.optim.Level1;
import dev.descent.optim.Optimizer;
import dev.descent.optim.RuleRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model trained on a {@link Device}: the CPU kernel's BLAS calls, call for call, on device memory.
 * X and Y are copied to the device once; each epoch's shuffled order once per epoch; a step is the gather
 * (descent's kernel), the six cuBLAS calls of {@code CpuBlasKernel} and the optimizer's own rule (run by
 * {@link RuleRunner} as axpy/scal/copy on the device). When X and Y do not fit in the device's free memory
 * they stay on the host: each batch's rows are gathered on the host (the CPU
 * kernel's {@link RowGather}, with its helper thread) into page-locked memory and staged to the device on
 * a second stream, double-buffered, while the previous batch computes: the same batches, the same calls. Per step nothing comes back to the host: each
 * batch's squared error is written by the dot into a device array, read once at the epoch's end together
 * with θ and the optimizer's state ({@link #settle}), so the loop checks the losses then.
 *
 * <p>Layout: θ = [W; B] row-major, (nX+1)×m, is column-major m×(nX+1); a row-major batch Xb (b×nX) is
 * column-major nX×b; R (b×m) is m×b. Per batch, in the CPU kernel's order and rounding:
 * <pre>
 *   R ← Xb·W          gemv (m = 1) / gemm       Rᵀ = Wᵀ·Xbᵀ
 *   R ← R + 1·Bᵀ      ger                       Rᵀ += B·1ᵀ
 *   R ← R − Yb        axpy
 *   loss[k] ← R·R     dot, into device memory
 *   gW ← s·Xbᵀ·R      gemv (m = 1) / gemm       gWᵀ = s·Rᵀ·Xb
 *   gB ← s·Rᵀ·1       gemv
 * </pre>
 * with s = 2/(b·m). The whole batch is one block (the CPU kernel's L2 blocking has no use on a GPU): the
 * gradient's sums are ordered differently, so float64 agrees with the CPU engine to rounding, not bit for
 * bit.
 */
public final class DeviceBlock implements EpochLoop.Block {
    private final Device dev;
    private final MemoryBatches src;
    private final INDArray theta; // host copy, current after settle
    private final INDArray[] stateHost;
    private final Optimizer opt;
    private final RuleRunner rule;
    private final Dataset whole;
    private final boolean explain;
    private final int nx;
    private final int m;
    private final int len;
    private final int es;
    private final Device.Mem x; // resident: X and Y whole; streamed: null
    private final Device.Mem y;
    private final Device.Mem order;
    private final Device.Mem[] xb = new Device.Mem[2]; // resident: [0] only (the gather's target)
    private final Device.Mem[] yb = new Device.Mem[2];
    private final boolean streamed;
    // streamed: the host side of the staging
    private final ByteBuffer[] xPinned = new ByteBuffer[2];
    private final ByteBuffer[] yPinned = new ByteBuffer[2];
    private final RowGather hostGather;
    private final ByteBuffer[] xRows;
    private final ByteBuffer[] yRows;
    private final int rowsPerChunkX;
    private final int rowsPerChunkY;
    private int stageSlot;
    private final Device.Mem r;
    private final Device.Mem ones;
    private final Device.Mem[] slots; // θ, gradient, state…: the rule's operands
    private final Device.Mem losses; // squared error of each batch of the epoch
    private final double[] thetaBuf;
    private int slot; // the next batch's index in the epoch
    private boolean fresh;

    /**
     * @param theta the starting θ (c-ordered, the data's dtype): copied to the device; after each {@link #settle}
     *              it holds the device's θ
     * @param state the optimizer state to restore (after {@code steps} steps), or null for a fresh one
     */
    public DeviceBlock(Device dev, Optimizer optimizer, INDArray theta, INDArray[] state, long steps, MemoryBatches src,
            boolean explain) {
        Batches.Layout l = src.layout();
        if (dev.doubles() != (l.dataType() == DataType.DOUBLE)) {
            throw new IllegalArgumentException("the device computes in " + (dev.doubles() ? "float64" : "float32")
                    + ", the data is " + l.dataType());
        }
        this.dev = dev;
        this.src = src;
        this.theta = theta;
        this.whole = src.whole();
        this.explain = explain;
        this.nx = l.inputs();
        this.m = l.outputs();
        this.len = (nx + 1) * m;
        this.opt = optimizer.copy();
        this.rule = new RuleRunner(opt, new DeviceLevel1());
        int b = l.batchSize();
        long n = l.rows();
        this.es = dev.doubles() ? 8 : 4;
        long work = ((2L * b * (nx + m) + (long) b * m + b + (long) len * (2 + rule.stateCount()) + l.batches()) * es);
        this.streamed = (n * (nx + m) * es + 4 * n + work) > dev.freeBytes() / 10 * 9;
        if (!streamed) {
            x = dev.alloc(n * nx);
            y = dev.alloc(n * m);
            uploadRows(dev, whole.x(), x, nx);
            uploadRows(dev, whole.y(), y, m);
            order = dev.allocInts(n);
            xb[0] = dev.alloc((long) b * nx);
            yb[0] = dev.alloc((long) b * m);
            hostGather = null;
            xRows = null;
            yRows = null;
            rowsPerChunkX = 0;
            rowsPerChunkY = 0;
        } else {
            x = null;
            y = null;
            order = null;
            INDArray hx = HostMemory.rowContiguousOrCopy(whole.x());
            INDArray hy = HostMemory.rowContiguousOrCopy(whole.y());
            rowsPerChunkX = HostMemory.rowsPerChunk(nx * es);
            rowsPerChunkY = HostMemory.rowsPerChunk(m * es);
            xRows = HostMemory.rowChunks(hx, nx * es, rowsPerChunkX);
            yRows = HostMemory.rowChunks(hy, m * es, rowsPerChunkY);
            for (int s = 0; s < 2; s++) {
                xb[s] = dev.alloc((long) b * nx);
                yb[s] = dev.alloc((long) b * m);
                xPinned[s] = dev.pinned((long) b * nx * es);
                yPinned[s] = dev.pinned((long) b * m * es);
            }
            // A helper only with a second core, as the CPU kernel (CpuBlasKernel: on one core it takes turns with the caller)
            hostGather = new RowGather(xRows, rowsPerChunkX, nx * es, yRows, rowsPerChunkY, m * es, xPinned, yPinned, b,
                    Cores.available() > 1, new Object[] {hx, hy, xPinned, yPinned});
        }
        r = dev.alloc((long) b * m);
        ones = dev.alloc(b);
        dev.upload(constant(b, 1.0), ones, 0);
        slots = new Device.Mem[Level1.STATE + rule.stateCount()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = dev.alloc(len);
        }
        dev.upload(bytes(theta), slots[Level1.THETA], 0);
        stateHost = new INDArray[rule.stateCount()];
        for (int i = 0; i < stateHost.length; i++) {
            stateHost[i] = Nd4j.zeros(l.dataType(), len);
            if (state != null) {
                stateHost[i].assign(state[i].reshape(len));
                dev.upload(bytes(stateHost[i]), slots[Level1.STATE + i], 0);
            }
        }
        this.fresh = state == null || steps == 0;
        losses = dev.alloc(l.batches());
        thetaBuf = new double[len];
    }

    /** A row-major array's rows into device memory, chunk by chunk (an array may pass 2 GiB). */
    static void uploadRows(Device dev, INDArray a, Device.Mem to, int width) {
        INDArray c = HostMemory.rowContiguousOrCopy(a);
        int es = dev.doubles() ? 8 : 4;
        long offset = 0;
        for (ByteBuffer chunk : HostMemory.rowChunks(c, width * es, HostMemory.rowsPerChunk(width * es))) {
            dev.upload(chunk, to, offset);
            offset += chunk.remaining() / es;
        }
    }

    private ByteBuffer bytes(INDArray a) {
        return HostMemory.rowChunks(a.reshape('c', 1, a.length()), (int) a.length() * es, 1)[0];
    }

    private ByteBuffer constant(int count, double v) {
        ByteBuffer buf = ByteBuffer.allocateDirect(count * es).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            if (dev.doubles()) {
                buf.putDouble(v);
            } else {
                buf.putFloat((float) v);
            }
        }
        return buf.flip();
    }

    @Override
    public INDArray theta() {
        return theta;
    }

    @Override
    public void startEpoch(int epoch, int fromBatch) {
        int[] o = src.order();
        if (o != null && !streamed) {
            dev.upload(o, order);
        }
        slot = fromBatch;
    }

    @Override
    public double gradient(Batches.Batch batch) {
        int b = batch.size;
        Device.Mem xs = x;
        Device.Mem ys = y;
        long xo = (long) batch.start * nx;
        long yo = (long) batch.start * m;
        if (streamed) {
            int d = stageSlot;
            stageSlot ^= 1;
            dev.awaitStaged(); // the pinned slots' last copies are done: the host may write them
            int h;
            if (batch.order != null) {
                h = hostGather.gather(batch.order, batch.start, b, b);
            } else {
                h = d;
                copyRows(batch.start, b, h);
            }
            dev.stage(xPinned[h], (long) b * nx * es, xb[d], d);
            dev.stage(yPinned[h], (long) b * m * es, yb[d], d);
            xs = xb[d];
            ys = yb[d];
            xo = 0;
            yo = 0;
        } else if (batch.order != null) {
            dev.gatherRows(x, nx, order, batch.start, b, xb[0]);
            dev.gatherRows(y, m, order, batch.start, b, yb[0]);
            xs = xb[0];
            ys = yb[0];
            xo = 0;
            yo = 0;
        }
        Device.Mem w = slots[Level1.THETA];
        Device.Mem g = slots[Level1.GRAD];
        long bias = (long) nx * m;
        double scale = 2.0 / ((double) b * m);
        if (m == 1) {
            dev.gemv(true, nx, b, 1.0, xs, xo, nx, w, 0, 0.0, r, 0);
        } else {
            dev.gemm(false, false, m, b, nx, 1.0, w, 0, m, xs, xo, nx, 0.0, r, 0, m);
        }
        dev.ger(m, b, 1.0, w, bias, ones, 0, r, 0, m);
        dev.axpy(b * m, -1.0, ys, yo, r, 0);
        dev.dot(b * m, r, 0, r, 0, losses, slot);
        if (m == 1) {
            dev.gemv(false, nx, b, scale, xs, xo, nx, r, 0, 0.0, g, 0);
        } else {
            dev.gemm(false, true, m, nx, b, scale, r, 0, m, xs, xo, nx, 0.0, g, 0, m);
        }
        dev.gemv(false, m, b, scale, r, 0, m, ones, 0, 0.0, g, bias);
        slot++;
        return Double.NaN; // read at the epoch's end (settle)
    }

    /** Rows start..start+b of X and Y, in order, into pinned slot h. */
    private void copyRows(int start, int b, int h) {
        for (int i = 0; i < b; i++) {
            int row = start + i;
            xPinned[h].put(i * nx * es, xRows[row / rowsPerChunkX], (row % rowsPerChunkX) * nx * es, nx * es);
            yPinned[h].put(i * m * es, yRows[row / rowsPerChunkY], (row % rowsPerChunkY) * m * es, m * es);
        }
    }

    @Override
    public boolean deferred() {
        return true;
    }

    /** Batches from..to−1's MSEs; θ and the optimizer's state copied back into {@link #theta()} and {@link #state()}. */
    @Override
    public double[] settle(int from, int to) {
        double[] mse = new double[to - from];
        dev.download(losses, from, mse);
        for (int k = from; k < to; k++) {
            mse[k - from] /= (double) src.size(k) * m;
        }
        copyBack(slots[Level1.THETA], theta);
        for (int i = 0; i < stateHost.length; i++) {
            copyBack(slots[Level1.STATE + i], stateHost[i]);
        }
        return mse;
    }

    private void copyBack(Device.Mem from, INDArray to) {
        dev.download(from, 0, thetaBuf);
        to.assign(Nd4j.createFromArray(thetaBuf).castTo(to.dataType()).reshape(to.shape()));
    }

    @Override
    public String problem(double loss) {
        return Double.isFinite(loss) ? null : "loss = " + loss;
    }

    @Override
    public void update(long t, int epoch) {
        rule.step(t, epoch, fresh);
        fresh = false;
    }

    @Override
    public double rate(long t, int epoch) {
        return opt.schedule().rate(t, epoch);
    }

    @Override
    public INDArray[] state() {
        return stateHost;
    }

    @Override
    public String describe() {
        return opt.hyperparameters().toString();
    }

    @Override
    public String explain(String what, long t, int epoch) {
        return ModelBlock.explain(opt, explain ? whole : null, what, t, epoch);
    }

    /** The rule's operations as cuBLAS calls on the device's θ, gradient and state. */
    private final class DeviceLevel1 implements Level1 {
        @Override
        public void axpy(double a, int xs, int ys) {
            dev.axpy(len, a, slots[xs], 0, slots[ys], 0);
        }

        @Override
        public void scal(double a, int xs) {
            dev.scal(len, a, slots[xs], 0);
        }

        @Override
        public void copy(int xs, int ys) {
            dev.copy(len, slots[xs], 0, slots[ys], 0);
        }
    }
}
