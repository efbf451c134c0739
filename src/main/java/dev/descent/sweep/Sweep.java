package dev.descent.sweep;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.data.HostMemory;
import dev.descent.engine.TiledKernel;
import dev.descent.engine.Trainer;
import dev.descent.model.LinearModel;
import dev.descent.optim.ColumnUpdate;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains every (learning rate, momentum) pair of a grid together, in one pass over the data per epoch:
 * the same batches, in the same order as {@link Trainer} with the same configuration, feed all K models;
 * θ is (nX+1)×(K·m) and one gemm per batch computes every model's residuals and another every gradient.
 * After each epoch a model whose parameters or optimizer state are no longer finite, or whose training
 * loss grew past the divergence factor, is marked diverged (with its epoch) and frozen at zero with rate 0.
 */
public final class Sweep {
    private final String optimizer;
    private final Schedule shape;
    private final double dampening;
    private final Trainer.Config config;

    /**
     * @param optimizer one of {@link Optimizers#NAMES}; the grid's rates and momenta are in its parametrization
     * @param shape the schedule's shape (its rate divided by its initial rate scales every model's rate)
     */
    public Sweep(String optimizer, Schedule shape, double dampening, Trainer.Config config) {
        Optimizers.create(optimizer, shape, 0, dampening); // validates the name and the dampening
        this.optimizer = optimizer;
        this.shape = Objects.requireNonNull(shape);
        this.dampening = dampening;
        this.config = config;
    }

    /**
     * The outcome: final full-training-set MSE per model ([lr index][momentum index], NaN when diverged),
     * the epoch (1-based) at which each diverged (0 when it did not), the final θ of all models, and the
     * training seconds (evaluation excluded).
     */
    public record Result(double[] lrs, double[] momenta, double[][] loss, int[][] divergedAt, INDArray theta,
            int inputs, int outputs, double seconds, long rowsPerEpoch, int epochs) {

        /** Model (i, j)'s W and B. */
        public LinearModel model(int i, int j) {
            int k = i * momenta.length + j;
            var cols = org.nd4j.linalg.indexing.NDArrayIndex.interval((long) k * outputs, (long) (k + 1) * outputs);
            return LinearModel.fromStacked(theta.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), cols).dup('c'));
        }

        /** The grid's best finite loss: {i, j}, or null when every model diverged. */
        public int[] best() {
            int[] b = null;
            for (int i = 0; i < lrs.length; i++) {
                for (int j = 0; j < momenta.length; j++) {
                    if (Double.isFinite(loss[i][j]) && (b == null || loss[i][j] < loss[b[0]][b[1]])) {
                        b = new int[] {i, j};
                    }
                }
            }
            return b;
        }

        /** For each learning rate, the momentum index with the lowest finite loss (−1 when all diverged). */
        public int[] bestMomentumPerRate() {
            int[] out = new int[lrs.length];
            for (int i = 0; i < lrs.length; i++) {
                out[i] = -1;
                for (int j = 0; j < momenta.length; j++) {
                    if (Double.isFinite(loss[i][j]) && (out[i] < 0 || loss[i][j] < loss[i][out[i]])) {
                        out[i] = j;
                    }
                }
            }
            return out;
        }

        /**
         * The smallest learning rate at which the model diverged for momentum index j, or NaN when none
         * did: the empirical divergence boundary.
         */
        public double divergenceBoundary(int j) {
            for (int i = 0; i < lrs.length; i++) {
                if (divergedAt[i][j] > 0) {
                    return lrs[i];
                }
            }
            return Double.NaN;
        }
    }

    public Result run(Dataset train, LinearModel initial, double[] lrs, double[] momenta) {
        for (double l : lrs) {
            if (!(l > 0) || !Double.isFinite(l)) {
                throw new IllegalArgumentException("learning rates must be finite and > 0, got " + l);
            }
        }
        for (double mu : momenta) {
            if (!(mu >= 0 && mu < 1)) {
                throw new IllegalArgumentException("momenta must be in [0, 1), got " + mu);
            }
        }
        int nl = lrs.length;
        int nm = momenta.length;
        int k = nl * nm;
        int m = train.outputs();
        int cols = k * m;
        int rows = train.inputs() + 1;
        int b = config.batchFor(train.size());
        BatchOrder order = new BatchOrder(train.size(), b, config.shuffle(), config.dropLast(), config.seed());
        TiledKernel kernel = TiledKernel.create(train, b, k);
        DataType t = train.dataType();

        INDArray theta = Nd4j.tile(initial.stacked().castTo(t), 1, k).dup('c');
        INDArray grad = Nd4j.zeros(t, rows, cols);
        double[] lrc = new double[cols];
        double[] muc = new double[cols];
        for (int c = 0; c < cols; c++) {
            int model = c / m;
            lrc[c] = lrs[model / nm]; // the grid's rate is the schedule's initial rate
            muc[c] = momenta[model % nm];
        }
        ColumnUpdate opt = new ColumnUpdate(Optimizers.create(optimizer, shape, 0, dampening), lrc, muc, rows);
        Host th = new Host(theta);
        Host gr = new Host(grad);
        double[] thA = th.read(new double[rows * cols]);
        double[] gA = new double[rows * cols];

        int[][] divergedAt = new int[nl][nm];
        double[] firstLoss = columnLoss(kernel, theta, train.size(), b, cols);
        long step = 0;
        double seconds = 0;
        double[] loss = firstLoss; // after each epoch: the full-set loss its divergence check used
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            order.startEpoch(epoch);
            int[] ord = order.shuffled() ? order.order() : null;
            long start = System.nanoTime();
            for (int bi = 0; bi < order.batches(); bi++) {
                kernel.gradient(theta, ord, bi * b, order.size(bi), grad);
                gr.read(gA);
                opt.step(thA, gA, step++, epoch);
                th.write(thA);
            }
            seconds += (System.nanoTime() - start) / 1e9;
            loss = columnLoss(kernel, theta, train.size(), b, cols);
            for (int model = 0; model < k; model++) {
                int i = model / nm;
                int j = model % nm;
                if (divergedAt[i][j] > 0) {
                    continue;
                }
                boolean bad = false;
                for (int c = model * m; c < (model + 1) * m && !bad; c++) {
                    bad = !Double.isFinite(loss[c]) || loss[c] > config.divergenceFactor() * Math.max(firstLoss[c], Double.MIN_NORMAL)
                            || !opt.stateFinite(c);
                }
                if (bad) {
                    divergedAt[i][j] = epoch + 1;
                    for (int c = model * m; c < (model + 1) * m; c++) {
                        opt.freeze(c);
                        for (int r = 0; r < rows; r++) {
                            thA[r * cols + c] = 0;
                        }
                    }
                }
            }
            th.write(thA);
        }
        // The last epoch's losses are final: freezing changed only diverged models, which report NaN.
        double[][] grid = new double[nl][nm];
        for (int model = 0; model < k; model++) {
            int i = model / nm;
            int j = model % nm;
            double sum = 0;
            for (int c = model * m; c < (model + 1) * m; c++) {
                sum += loss[c];
            }
            grid[i][j] = divergedAt[i][j] > 0 ? Double.NaN : sum / m;
        }
        return new Result(lrs.clone(), momenta.clone(), grid, divergedAt, theta, train.inputs(), m, seconds,
                order.rowsPerEpoch(), config.epochs());
    }

    /** Full-set MSE per column. */
    private static double[] columnLoss(TiledKernel kernel, INDArray theta, long n, int b, int cols) {
        double[] sums = new double[cols];
        for (long s = 0; s < n; s += b) {
            kernel.columnSquaredErrors(theta, (int) s, (int) Math.min(b, n - s), sums);
        }
        for (int c = 0; c < cols; c++) {
            sums[c] /= n;
        }
        return sums;
    }

    /** Bulk copies between a small c-ordered matrix's memory and a double[] (float32 widened, narrowed back). */
    private static final class Host {
        private final java.nio.DoubleBuffer d;
        private final java.nio.FloatBuffer f;
        private final int len;
        private final INDArray array; // held: the buffers are views of its memory

        Host(INDArray a) {
            this.array = a;
            boolean dbl = a.dataType() == DataType.DOUBLE;
            this.len = (int) a.length();
            ByteBuffer bytes = HostMemory.rowChunks(a.reshape(1, a.length()), len * (dbl ? 8 : 4), 1)[0];
            this.d = dbl ? bytes.asDoubleBuffer() : null;
            this.f = dbl ? null : bytes.asFloatBuffer();
        }

        double[] read(double[] out) {
            if (d != null) {
                d.get(0, out, 0, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[i] = f.get(i);
                }
            }
            return out;
        }

        void write(double[] in) {
            if (d != null) {
                d.put(0, in, 0, len);
            } else {
                for (int i = 0; i < len; i++) {
                    f.put(i, (float) in[i]);
                }
            }
        }
    }
}
