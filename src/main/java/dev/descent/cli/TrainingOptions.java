package dev.descent.cli;

import dev.descent.engine.KernelKind;
import dev.descent.engine.Trainer;
import dev.descent.model.Init;
import picocli.CommandLine.Option;

/** Options of the training loop shared by train and compare: batching, epochs, stop rules, init, kernel. */
final class TrainingOptions {
    /** Rows per batch when --batch-size is not given (fewer when there are fewer training rows). */
    static final int DEFAULT_BATCH = 32;

    @Option(names = {"-b", "--batch-size"}, description = "Rows per batch; 0 = the whole training set (full-batch GD) (default: 32, or every"
            + " training row when there are fewer).")
    Integer batchSize;

    @Option(names = {"-e", "--epochs"}, description = "Most epochs to run (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--tol", description = "Stop when the change that --tol-every/--tol-on/--tol-loss choose is below tol;"
            + " by default |Δ mean batch loss| from one epoch to the next. 0 = off (default: ${DEFAULT-VALUE}).")
    double tolerance = 0;

    @Option(names = "--tol-every", paramLabel = "epoch|step", description = "Check --tol after every epoch, or after every"
            + " step (on the whole training set, as seed 004's loop does) (default: ${DEFAULT-VALUE}).")
    String tolEvery = "epoch";

    @Option(names = "--tol-on", paramLabel = "loss|theta", description = "Compare the loss, or the parameters (‖Δθ‖₂)"
            + " (default: ${DEFAULT-VALUE}).")
    String tolOn = "loss";

    @Option(names = "--tol-loss", paramLabel = "mean|sum", description = "With --tol-every step --tol-on loss: the training"
            + " set's MSE, or its sum of squares (seed 004's loss) (default: ${DEFAULT-VALUE}).")
    String tolLoss = "mean";

    /** The stop rule the --tol-* options name. */
    Trainer.StopRule stopRule() {
        if (!tolEvery.equals("epoch") && !tolEvery.equals("step")) {
            throw new IllegalArgumentException("--tol-every must be epoch or step, got '" + tolEvery + "'");
        }
        if (!tolOn.equals("loss") && !tolOn.equals("theta")) {
            throw new IllegalArgumentException("--tol-on must be loss or theta, got '" + tolOn + "'");
        }
        if (!tolLoss.equals("mean") && !tolLoss.equals("sum")) {
            throw new IllegalArgumentException("--tol-loss must be mean or sum, got '" + tolLoss + "'");
        }
        if (tolOn.equals("theta")) {
            return tolEvery.equals("step") ? Trainer.StopRule.STEP_THETA : Trainer.StopRule.EPOCH_THETA;
        }
        if (tolEvery.equals("epoch")) {
            if (tolLoss.equals("sum")) {
                throw new IllegalArgumentException("--tol-loss sum goes with --tol-every step (per epoch --tol compares the mean"
                        + " batch loss)");
            }
            return Trainer.StopRule.EPOCH_LOSS;
        }
        return tolLoss.equals("sum") ? Trainer.StopRule.STEP_LOSS_SUM : Trainer.StopRule.STEP_LOSS_MEAN;
    }

    @Option(names = "--no-shuffle", description = "Visit rows in order instead of reshuffling every epoch.")
    boolean noShuffle;

    @Option(names = "--drop-last", description = "Drop the last partial batch of each epoch (as the numpy loop does).")
    boolean dropLast;

    @Option(names = "--init", paramLabel = "zeros|uniform|normal|FILE",
            description = "Initial W, B: zeros, uniform U[0,1), normal N(0,1) (seeded), or a file: a θ = [W; B] .npy of"
                    + " (nX+1)×nY, or a model directory written by train (default: zeros).")
    String init = "zeros";

    @Option(names = "--init-w", split = ",", paramLabel = "V", description = "Initial W as nX·nY values, row by row (the seed"
            + " articles start at slope −10: --init-w -10 --init-b 9).")
    java.util.List<Double> initW;

    @Option(names = "--init-b", split = ",", paramLabel = "V", description = "Initial B as nY values.")
    java.util.List<Double> initB;

    /** The start in words: "zeros", "normal", "W=[-10.0] B=[9.0]", or the file. */
    String describeInit() {
        if (initW != null || initB != null) {
            return "W=" + (initW == null ? "0" : initW) + " B=" + (initB == null ? "0" : initB);
        }
        return init;
    }

    /** The keywords --init takes; anything else is a file. */
    private static final java.util.List<String> INIT_KINDS = java.util.List.of("zeros", "uniform", "normal");

    /**
     * The initial model in the units training runs in: --init-w/--init-b values (the other one zeros), a file
     * named by --init, or the seeded keyword ({@code seed} for uniform and normal).
     */
    dev.descent.model.LinearModel initial(long nx, long ny, org.nd4j.linalg.api.buffer.DataType dtype, long seed)
            throws java.io.IOException {
        boolean values = initW != null || initB != null;
        if (values && !init.equals("zeros")) {
            throw new IllegalArgumentException("--init-w/--init-b give the initial values; --init " + init + " would too");
        }
        if (values) {
            double[] w = new double[(int) (nx * ny)];
            double[] b = new double[(int) ny];
            if (initW != null) {
                if (initW.size() != w.length) {
                    throw new IllegalArgumentException("--init-w takes nX·nY = " + w.length + " values, got " + initW.size());
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] = initW.get(i);
                }
            }
            if (initB != null) {
                if (initB.size() != b.length) {
                    throw new IllegalArgumentException("--init-b takes nY = " + ny + " values, got " + initB.size());
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = initB.get(i);
                }
            }
            for (double v : w) {
                finite(v, "--init-w");
            }
            for (double v : b) {
                finite(v, "--init-b");
            }
            return new dev.descent.model.LinearModel(org.nd4j.linalg.factory.Nd4j.create(w, new long[] {nx, ny},
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE).castTo(dtype),
                    org.nd4j.linalg.factory.Nd4j.createFromArray(b).castTo(dtype));
        }
        if (INIT_KINDS.contains(init)) {
            return init().create(nx, ny, dtype, seed);
        }
        java.nio.file.Path file = java.nio.file.Path.of(init);
        dev.descent.model.LinearModel m;
        if (java.nio.file.Files.isDirectory(file)) {
            java.nio.file.Path dir = java.nio.file.Files.exists(file.resolve(dev.descent.model.ModelStore.META)) ? file
                    : file.resolve("model");
            m = dev.descent.model.ModelStore.load(dir).model();
        } else if (java.nio.file.Files.isRegularFile(file)) {
            org.nd4j.linalg.api.ndarray.INDArray theta = dev.descent.data.Npy.read(file);
            if (theta.rows() != nx + 1 || theta.columns() != ny) {
                throw new IllegalArgumentException("--init " + file + ": θ = [W; B] must be " + (nx + 1) + "×" + ny + ", got "
                        + theta.rows() + "×" + theta.columns());
            }
            m = dev.descent.model.LinearModel.fromStacked(theta);
        } else {
            throw new IllegalArgumentException("--init must be zeros, uniform, normal or an existing file or model directory, got '"
                    + init + "'");
        }
        if (m.inputs() != nx || m.outputs() != ny) {
            throw new IllegalArgumentException("--init " + file + " is a " + m.inputs() + "→" + m.outputs() + " model; the data is "
                    + nx + "→" + ny);
        }
        return new dev.descent.model.LinearModel(m.weights().castTo(dtype), m.bias().castTo(dtype));
    }

    private static void finite(double v, String option) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(option + " values must be finite numbers, got " + v);
        }
    }

    @Option(names = "--kernel", paramLabel = "auto|blas|nd4j|cuda", description = "Gradient kernel: blas (CPU, OpenBLAS direct), nd4j (any backend), cuda (cuBLAS on an NVIDIA GPU; the gpu build) (default: ${DEFAULT-VALUE}).")
    String kernel = "auto";

    @Option(names = "--threads", paramLabel = "T", description = "Threads each batch is split over (blas kernel): each gathers"
            + " and multiplies its share and the partial gradients are added in a fixed order, so a given T gives the same"
            + " bits run to run (another T differs in the last bits). 1: one thread and a gather helper (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--divergence-factor", description = "Diverged when the epoch loss exceeds this × the first batch loss (default: ${DEFAULT-VALUE}).")
    double divergenceFactor = 1e6;

    /** The trainer configuration; the shuffle is seeded with {@code dataSeed + 2}. */
    Trainer.Config config(long dataSeed, long trainRows) {
        if (batchSize != null && batchSize > trainRows) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " exceeds the " + trainRows + " training rows");
        }
        int batch = batchSize != null ? batchSize : (int) Math.min(DEFAULT_BATCH, trainRows);
        return new Trainer.Config(batch, epochs, !noShuffle, dropLast, tolerance, divergenceFactor, dev.descent.data.Seeds.shuffle(dataSeed),
                kernel(), true, stopRule(), threads());
    }

    int threads() {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be 1..1024, got " + threads);
        }
        if (threads > 1 && kernel().resolve() != KernelKind.BLAS) {
            throw new IllegalArgumentException("--threads " + threads + " needs the blas kernel; --kernel "
                    + kernel().resolve().name().toLowerCase(java.util.Locale.ROOT) + " runs each batch on one thread");
        }
        return threads;
    }

    /** The keyword kind (a file, or --init-w/--init-b, count as zeros here: only {@link #initial} reads them). */
    Init init() {
        if (!INIT_KINDS.contains(init) && (java.nio.file.Files.exists(java.nio.file.Path.of(init)))) {
            return Init.ZEROS;
        }
        return switch (init) {
            case "zeros" -> Init.ZEROS;
            case "uniform" -> Init.UNIFORM;
            case "normal" -> Init.NORMAL;
            default -> throw new IllegalArgumentException("--init must be zeros, uniform, normal or an existing file or model"
                    + " directory, got '" + init + "'");
        };
    }

    KernelKind kernel() {
        return switch (kernel) {
            case "auto" -> KernelKind.AUTO;
            case "blas" -> KernelKind.BLAS;
            case "nd4j" -> KernelKind.ND4J;
            case "cuda" -> KernelKind.CUDA;
            default -> throw new IllegalArgumentException("--kernel must be auto, blas, nd4j or cuda, got '" + kernel + "'");
        };
    }
}
