package dev.descent.sweep;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.host.HostMemory;
import dev.descent.engine.Batches;
import dev.descent.engine.EpochLoop;
import dev.descent.engine.MemoryBatches;
import dev.descent.engine.TiledKernel;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.ColumnUpdate;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains every (learning rate, momentum) pair of a grid together, in one pass over the data per epoch:
 * the same batches, in the same order as {@link Trainer} with the same configuration, feed all K models;
 * θ is (nX+1)×(K·m) and one gemm per batch computes every model's residuals and another every gradient.
 * Each model is judged by the rules its separate run would meet (a non-finite batch loss or gradient at a
 * step; at an epoch's end, a mean batch loss past the divergence factor × its first batch's): a model that
 * diverges is marked (with its epoch, the one where its own run would stop) and frozen at zero with rate 0.
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
        if (config.kernel() == dev.descent.engine.KernelKind.CUDA) {
            throw new IllegalArgumentException("a sweep's grid trains on the CPU; --kernel cuda trains one model (train, compare)");
        }
        if (config.threads() > 1) {
            throw new IllegalArgumentException("a sweep's grid trains on one thread a batch; --threads is for train and compare");
        }
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
        int b = config.batchFor(train.size());
        return run(new MemoryBatches(train, new BatchOrder(train.size(), b, config.shuffle(), config.dropLast(), config.seed())),
                initial, lrs, momenta);
    }

    /**
     * As {@link #run(Dataset, LinearModel, double[], double[])} over any batch source: a file streamed in
     * chunks ({@link dev.descent.engine.StreamBatches}) trains the grid with the batches a streamed single
     * run would see, and the final losses come from one more streamed pass.
     */
    public Result run(Batches src, LinearModel initial, double[] lrs, double[] momenta) {
        Grid grid = new Grid(src, initial, lrs, momenta);
        // The run-level stop rules are off: the models are judged one by one at the end of each epoch.
        Trainer.Config loopConfig = config.withTolerance(0).withDivergenceFactor(Double.POSITIVE_INFINITY);
        TrainingResult r = new EpochLoop(loopConfig).run(src, grid, EpochLoop.Evaluation.NONE, EpochLoop.Start.fresh(), null);
        return grid.result(r.seconds());
    }

    /**
     * The grid's K models as the loop's block: θ is (nX+1)×(K·m), one tiled kernel call computes every
     * model's gradient (and each column's Σ r²), and the optimizer's rule runs column by column with each
     * model's rate and momentum. Each model is judged by the loop's own rules, as its separate run would be:
     * diverged at the step where its batch loss or gradient is not finite, or at the end of an epoch whose
     * mean batch loss exceeds the divergence factor × its first batch loss (or whose optimizer state is no
     * longer finite). A diverged model is frozen at zero with rate 0, and the others go on.
     */
    private final class Grid implements EpochLoop.Block {
        private final double[] lrs;
        private final double[] momenta;
        private final int m;
        private final int cols;
        private final int rows;
        private final int models;
        private final Batches src;
        private final TiledKernel[] kernels;
        private final INDArray theta;
        private final INDArray grad;
        private final ColumnUpdate opt;
        private final HostMemory.Flat th;
        private final HostMemory.Flat gr;
        private final double[] thA;
        private final double[] gA;
        private final int[][] divergedAt;
        private final double[] batchSums; // Σ r² per column of the last batch
        private final double[] epochSums; // Σ r² per model over this epoch's batches
        private final double[] firstLoss; // per model: its first batch's MSE
        private long epochRows;
        private int batchRows;

        Grid(Batches src, LinearModel initial, double[] lrs, double[] momenta) {
            Batches.Layout layout = src.layout();
            this.lrs = lrs.clone();
            this.momenta = momenta.clone();
            this.models = lrs.length * momenta.length;
            this.m = layout.outputs();
            this.cols = models * m;
            this.rows = layout.inputs() + 1;
            this.src = src;
            double[] lrc = new double[cols];
            double[] muc = new double[cols];
            for (int c = 0; c < cols; c++) {
                int model = c / m;
                lrc[c] = lrs[model / momenta.length]; // the grid's rate is the schedule's initial rate
                muc[c] = momenta[model % momenta.length];
            }
            this.opt = new ColumnUpdate(Optimizers.create(optimizer, shape, 0, dampening), lrc, muc, rows); // checks them
            this.kernels = src.buffers().stream().map(d -> TiledKernel.create(d, layout.batchSize(), models))
                    .toArray(TiledKernel[]::new);
            DataType t = layout.dataType();
            this.theta = Nd4j.tile(initial.stacked().castTo(t), 1, models).dup('c');
            this.grad = Nd4j.zeros(t, rows, cols);
            this.th = new HostMemory.Flat(theta);
            this.gr = new HostMemory.Flat(grad);
            this.thA = th.read(new double[rows * cols]);
            this.gA = new double[rows * cols];
            this.divergedAt = new int[lrs.length][momenta.length];
            this.batchSums = new double[cols];
            this.epochSums = new double[models];
            this.firstLoss = new double[models];
            java.util.Arrays.fill(firstLoss, Double.NaN);
        }

        @Override
        public INDArray theta() {
            return theta;
        }

        @Override
        public double gradient(Batches.Batch batch) {
            java.util.Arrays.fill(batchSums, 0);
            batchRows = batch.size;
            return kernels[batch.buffer].gradient(theta, batch.order, batch.start, batch.size, grad, batchSums);
        }

        @Override
        public String problem(double loss) {
            return null; // judged model by model in update: one model's blow-up does not stop the others
        }

        @Override
        public void update(long t, int epoch) {
            gr.read(gA);
            for (int k = 0; k < models; k++) {
                if (diverged(k)) {
                    continue;
                }
                double sum = 0;
                boolean finite = true;
                for (int c = k * m; c < (k + 1) * m; c++) {
                    sum += batchSums[c];
                    for (int r = 0; r < rows && finite; r++) {
                        finite = Double.isFinite(gA[r * cols + c]);
                    }
                }
                double loss = sum / ((double) batchRows * m);
                if (!Double.isFinite(loss) || !finite) {
                    freeze(k, epoch);
                    continue;
                }
                if (Double.isNaN(firstLoss[k])) {
                    firstLoss[k] = loss;
                }
                epochSums[k] += sum;
            }
            epochRows += batchRows;
            opt.step(thA, gA, t, epoch);
            th.write(thA);
        }

        private boolean diverged(int k) {
            return divergedAt[k / momenta.length][k % momenta.length] > 0;
        }

        /** Marks model k diverged in this epoch and freezes it: θ, gradient and state zero, rate 0. */
        private void freeze(int k, int epoch) {
            divergedAt[k / momenta.length][k % momenta.length] = epoch + 1;
            for (int c = k * m; c < (k + 1) * m; c++) {
                opt.freeze(c);
                for (int r = 0; r < rows; r++) {
                    thA[r * cols + c] = 0;
                    gA[r * cols + c] = 0;
                }
            }
        }

        @Override
        public double rate(long t, int epoch) {
            return shape.rate(t, epoch) / shape.initial();
        }

        @Override
        public INDArray[] state() {
            throw new UnsupportedOperationException("sweeps write no checkpoints");
        }

        @Override
        public String describe() {
            return optimizer + " sweep";
        }

        @Override
        public String explain(String what, long t, int epoch) {
            return what;
        }

        @Override
        public void afterEpoch(int epoch) {
            for (int k = 0; k < models; k++) {
                if (diverged(k)) {
                    continue;
                }
                double loss = epochSums[k] / ((double) epochRows * m);
                boolean stateFinite = true;
                for (int c = k * m; c < (k + 1) * m; c++) {
                    stateFinite &= opt.stateFinite(c);
                }
                if (loss > config.divergenceFactor() * Math.max(firstLoss[k], Double.MIN_NORMAL) || !stateFinite) {
                    freeze(k, epoch);
                }
            }
            th.write(thA);
            java.util.Arrays.fill(epochSums, 0);
            epochRows = 0;
        }

        /** The final full-training-set MSE of each model (NaN for a diverged one). */
        Result result(double seconds) {
            double[] loss = new double[cols];
            src.scan((buffer, n) -> {
                int b = kernels[buffer].maxBatch();
                for (int s = 0; s < n; s += b) {
                    kernels[buffer].columnSquaredErrors(theta, s, Math.min(b, n - s), loss);
                }
            });
            for (int c = 0; c < cols; c++) {
                loss[c] /= src.layout().rows();
            }
            int nm = momenta.length;
            double[][] grid = new double[lrs.length][nm];
            for (int k = 0; k < models; k++) {
                double sum = 0;
                for (int c = k * m; c < (k + 1) * m; c++) {
                    sum += loss[c];
                }
                grid[k / nm][k % nm] = diverged(k) ? Double.NaN : sum / m;
            }
            return new Result(lrs, momenta, grid, divergedAt, theta, rows - 1, m, seconds, src.layout().rowsPerEpoch(),
                    config.epochs());
        }
    }
}
