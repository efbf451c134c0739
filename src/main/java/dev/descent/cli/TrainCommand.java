package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.engine.Backend;
import dev.descent.engine.Checkpoint;
import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.model.ModelStore;
import dev.descent.host.MemoryBudget;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizer;
import dev.descent.report.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent train}: trains a linear model on a file or synthetic data and records the run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Trains y = X·W + B on a data file or on seeded synthetic data.",
        description = "Trains y = X·W + B by mini-batch gradient descent on a CSV, .npy or .npz file, or on seeded synthetic data (X ~ N(0,1), true W, B ~ N(0,1), Gaussian noise). Writes history.csv, summary.json, loss.png/svg and the model (model/W.npy, model/B.npy, model/model.json) to the output directory.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    OptimizerOptions opt = new OptimizerOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--solver", paramLabel = "sgd|exact", description = "sgd trains; exact solves least squares in closed form (default: ${DEFAULT-VALUE}).")
    String solver = "sgd";

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Write <out>/checkpoint.ckpt every K epochs, atomically; 0 = never (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 0;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its checkpoint with the options it was started with (no other options but --progress).")
    Path resume;

    /** Set when this command was rebuilt from a checkpoint by --resume. */
    private Checkpoint resumeFrom;

    @Option(names = "--no-exact", description = "Skip the least-squares comparison at the end (one float64 pass over X).")
    boolean noExact;

    @Option(names = "--no-plots", description = "Write no figures (loss.png/svg; surface.png/svg for one feature and one output).")
    boolean noPlots;

    @Option(names = "--plot-epoch", description = "Epoch whose fitted line the surface figure shows (default: the last).")
    Integer plotEpoch;

    @Option(names = "--animate", description = "One feature, one output: also write surface.gif, a frame per epoch (at most 120 frames).")
    boolean animate;

    @Option(names = "--progress", paramLabel = "auto|on|off", description = "Progress bar on stderr: auto = only on a terminal (default: ${DEFAULT-VALUE}).")
    String progress = "auto";

    @Option(names = "--stream", description = "Read --data X.npy and --data-y Y.npy chunk by chunk while training (files larger than memory); "
            + "chunks are visited in a seeded random order and shuffled within.")
    boolean stream;

    @Option(names = "--chunk-mb", description = "With --stream: megabytes of X and Y per chunk; two chunks are held (default: ${DEFAULT-VALUE}).")
    int chunkMb = 256;

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resumeRun();
        }
        if (stream) {
            return streamRun();
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Everything that needs no data is checked before any expensive work.
        Optimizer optimizer = opt.create();
        data.validate();
        if (data.dtype == DataType.FLOAT && (float) opt.lr == 0) {
            throw new IllegalArgumentException("--lr " + opt.lr + " is 0 in float32, so nothing would train; use a larger"
                    + " rate or --dtype float64");
        }
        var initKind = training.init();
        var kernelKind = training.kernel();
        if (!solver.equals("sgd") && !solver.equals("exact")) {
            throw new IllegalArgumentException("--solver must be sgd or exact, got '" + solver + "'");
        }
        if (!progress.equals("auto") && !progress.equals("on") && !progress.equals("off")) {
            throw new IllegalArgumentException("--progress must be auto, on or off, got '" + progress + "'");
        }
        if (data.file == null) {
            training.config(data.seed, data.syntheticTrainRows()); // batch size against the known row count
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        Path dir = resumeFrom != null ? output.out : output.create("train");
        if (resumeFrom != null) {
            OutputOptions.lock(dir);
        }

        Backend backend = Backend.current();
        o.printf(Locale.ROOT, "descent %s  backend %s  [%s]  blas %s%n", Main.version(), backend.name(), backend.device(),
                backend.blas());
        DataOptions.Prepared d = data.prepare();
        Trainer.Config config = training.config(data.seed, d.train().size());
        o.printf(Locale.ROOT, "data: %s  train %,d rows, test %,d  nX=%d  nY=%d  dtype=%s  seed=%d%s%n",
                d.record().get("source"), d.train().size(), d.test() == null ? 0 : d.test().size(), d.inputs(), d.outputs(),
                DtypeConverter.name(data.dtype), data.seed, d.scaled() ? "  scaling x: " + d.xScaler() + ", y: " + d.yScaler() : "");
        if (d.record().get("load_seconds") instanceof Double secs) {
            o.printf(Locale.ROOT, "loaded %s in %.2f s%n", d.record().get("source"), secs);
        }
        Object dropped = d.record().get("dropped_nonfinite_rows");
        if (dropped instanceof Long n && n > 0) {
            o.printf(Locale.ROOT, "dropped %,d rows holding NaN or Inf%n", n);
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("descent", Main.version());
        summary.put("backend", ordered("name", backend.name(), "device", backend.device(), "blas", backend.blas()));
        summary.put("data", d.record());

        Dataset train = d.originalTrain();
        Dataset test = d.originalTest();
        NormalEquations normal = null;
        long gramStart = System.nanoTime();
        if (solver.equals("exact")) {
            normal = NormalEquations.of(train.x(), train.y()); // refuses, with the figures, when it does not fit
        } else if (!noExact) {
            long need = NormalEquations.bytesNeeded(train.inputs(), train.outputs());
            if (need <= MemoryBudget.availableBytes()) {
                normal = NormalEquations.of(train.x(), train.y());
            } else {
                o.printf(Locale.ROOT, "least-squares comparison skipped: it needs %s of memory, %s is available%n",
                        MemoryBudget.gb(need), MemoryBudget.gb(MemoryBudget.availableBytes()));
            }
        }
        long solveStart = System.nanoTime();
        NormalEquations.Solution lsq = normal == null ? null : normal.solution();
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        LinearModel exact = lsq == null ? null : LinearModel.fromStacked(lsq.theta().castTo(data.dtype));
        if (lsq != null && !lsq.fullRank()) {
            o.printf(Locale.ROOT, "[X 1] is rank deficient (rank %d of %d columns): least squares has many solutions;"
                    + " the minimum-norm one is used%n", lsq.rank(), lsq.dimension());
        }
        int code = ExitCodes.OK;
        LinearModel model;
        LinearModel scaledModel = null;
        Map<String, Object> meta = new LinkedHashMap<>();
        TrainingResult result = null;
        TrainFigures.Trajectory trajectory = null;
        String signal = null;
        if (solver.equals("exact")) {
            o.printf(Locale.ROOT, "solver: exact least squares (%s, float64) in %.2f s: Gram matrix %.2f s, solve %.2f s%n",
                    lsq.describe(), (System.nanoTime() - gramStart) / 1e9, (solveStart - gramStart) / 1e9, solveSeconds);
            model = exact;
            summary.put("status", "solved");
            summary.put("solver", "exact");
            summary.put("least_squares", ordered("method", lsq.method().name().toLowerCase(Locale.ROOT), "rank", lsq.rank(),
                    "columns", lsq.dimension()));
        } else {
            o.printf(Locale.ROOT, "optimizer: %s  batch=%s  epochs=%d  shuffle=%s  drop-last=%s  tol=%s  init=%s  kernel=%s%n",
                    optimizer.hyperparameters(), config.batchSize() == 0 ? "full (" + d.train().size() + ")" : String.valueOf(config.batchSize()),
                    config.epochs(), config.shuffle(), config.dropLast(), config.tolerance() == 0 ? "off"
                    : config.tolerance() + " on " + config.stopRule().describe(),
                    training.describeInit(), kernelKind.resolve().name().toLowerCase(Locale.ROOT));
            if (d.scaled()) {
                o.println("epoch losses, history.csv and loss.png are in scaled units; the final MSE is in original units");
            }
            LinearModel initial = resumeFrom != null ? null : training.initial(d.inputs(), d.outputs(), data.dtype, dev.descent.data.Seeds.init(data.seed));
            boolean bar = progress.equals("on") || (progress.equals("auto") && System.console() != null);
            Trainer.Checkpointing ck = checkpointEvery == 0 ? null : new Trainer.Checkpointing(dir.resolve(CHECKPOINT),
                    checkpointEvery, RunIdentity.of(spec.commandLine().getParseResult().originalArgs(), dir));
            Trainer trainer = new Trainer(optimizer, config);
            try (Interrupts interrupts = Interrupts.install(trainer::requestStop)) {
                if (resumeFrom != null) {
                    int partial = resumeFrom.progress().batchesDone();
                    o.printf(Locale.ROOT, "resuming %s %s epoch %d of %d%s (step %d)%n", dir, partial > 0 ? "in" : "after",
                            resumeFrom.epochsDone() + (partial > 0 ? 1 : 0), config.epochs(),
                            partial > 0 ? ", after batch " + partial : "", resumeFrom.steps());
                    trajectory = new TrainFigures.Trajectory(TrainFigures.small(d),
                            LinearModel.fromStacked(resumeFrom.theta()));
                    result = trainer.resume(d.train(), d.test(), resumeFrom, ck, new ProgressListener(o, bar), trajectory);
                } else {
                    trajectory = new TrainFigures.Trajectory(TrainFigures.small(d), initial);
                    result = trainer.train(d.train(), d.test(), initial, ck, new ProgressListener(o, bar), trajectory);
                }
                signal = interrupts.received();
                if (result.stop() == StopReason.INTERRUPTED) {
                    code = interrupts.exitCode();
                }
            }
            scaledModel = result.model();
            model = scaledModel.unscaled(d.xScaler(), d.yScaler());
            summary.put("status", status(result.stop()));
            summary.put("history_units", d.scaled() ? "scaled" : "data");
            summary.put("solver", "sgd");
            summary.put("optimizer", optimizer.hyperparameters());
            Map<String, Object> tr = trainingRecord(config, result, d.train().size());
            summary.put("training", tr);
            meta.put("optimizer", optimizer.hyperparameters());
            meta.put("training", tr);
            if (result.stop() == StopReason.DIVERGED) {
                err.println("train: " + result.message());
                err.flush();
                code = ExitCodes.DIVERGED;
            } else if (result.message() != null && result.stop() != StopReason.INTERRUPTED) {
                o.println(result.message());
            }
            printTime(o, result);
        }
        boolean diverged = result != null && result.stop() == StopReason.DIVERGED;
        boolean keepModel = !diverged || result.modelEpochs() > 0;
        Map<String, Object> results = new LinkedHashMap<>();
        if (diverged) {
            o.println(keepModel ? "kept the model after epoch " + result.modelEpochs() + ", the last before the divergence"
                    : "no model kept: no epoch finished before the divergence");
        }
        double trainMse = Double.NaN;
        if (keepModel) {
            trainMse = model.mse(train.x(), train.y());
            results.put("train_mse", trainMse);
            o.printf(Locale.ROOT, "%s train MSE %.8g", diverged ? "kept model's" : "final", trainMse);
            if (test != null) {
                double testMse = model.mse(test.x(), test.y());
                results.put("test_mse", testMse);
                o.printf(Locale.ROOT, "   test MSE %.8g", testMse);
            }
            o.println(d.scaled() ? "  (original units)" : "");
            printParameters(o, "", model, results, "");
            if (scaledModel != null && d.scaled()) {
                printParameters(o, "scaled units: ", scaledModel, results, "_scaled");
            }
        }
        if (exact != null && model != exact && keepModel) {
            INDArray diff = model.stacked().castTo(DataType.DOUBLE).subi(exact.stacked().castTo(DataType.DOUBLE));
            double maxAbs = diff.amaxNumber().doubleValue();
            double rel = diff.norm2Number().doubleValue()
                    / Math.max(Double.MIN_NORMAL, exact.stacked().castTo(DataType.DOUBLE).norm2Number().doubleValue());
            double exactMse = exact.mse(train.x(), train.y());
            o.printf(Locale.ROOT, "least squares: train MSE %.8g; distance of [W; B] to it: max |Δ| %.4g, relative ‖Δ‖ %.4g%n",
                    exactMse, maxAbs, rel);
            results.put("least_squares", ordered("train_mse", exactMse, "max_abs_diff", maxAbs, "relative_l2_diff", rel,
                    "method", lsq.method().name().toLowerCase(Locale.ROOT), "rank", lsq.rank()));
        }
        long peak = dev.descent.data.HostMemory.peakRssBytes();
        o.printf(Locale.ROOT, "peak resident memory %.2f GB%n", peak / 1e9);
        summary.put("peak_rss_bytes", peak);
        summary.put("results", results);
        // Results first, figures last: a figure that fails never costs the model, history or summary.
        java.util.List<String> wrote = new java.util.ArrayList<>();
        wrote.add(RunFiles.SUMMARY);
        if (result != null) {
            RunFiles.writeHistory(dir, result.history(), trajectory.models);
            wrote.add(RunFiles.HISTORY);
        }
        if (keepModel) {
            meta.put("descent", Main.version());
            meta.put("backend", backend.name());
            meta.put("data", d.record());
            meta.put("features", d.featureNames());
            meta.put("targets", d.targetNames());
            meta.put("solver", solver);
            meta.put("results", ordered("train_mse", trainMse, "test_mse", results.get("test_mse")));
            if (diverged) {
                meta.put("kept_after_epoch", result.modelEpochs());
            }
            ModelStore.save(dir.resolve("model"), model, meta);
        }
        RunFiles.writeSummary(dir, summary);
        if (result != null && !noPlots && result.stop() != StopReason.INTERRUPTED) {
            wrote.addAll(TrainFigures.figures(dir, d, optimizer, config, result, trajectory.models, plotEpoch, animate, err));
        }
        o.println("wrote " + dir.resolve(wrote.get(0)) + (wrote.size() > 1 ? ", " + String.join(", ", wrote.subList(1, wrote.size())) : "")
                + (keepModel ? " and the model in " + dir.resolve("model") : ""));
        o.flush();
        if (result != null && result.stop() == StopReason.INTERRUPTED) {
            Path ckFile = dir.resolve(CHECKPOINT);
            String launcher = System.getenv().getOrDefault("DESCENT_LAUNCHER", "descent");
            err.println("train: " + result.message() + " on SIG" + signal + "; " + (checkpointEvery > 0 && Files.exists(ckFile)
                    ? "checkpoint written: continue with " + launcher + " train --resume " + dir
                    : "no checkpoint (train with --checkpoint-every K to be able to resume)"));
            err.flush();
        }
        return code;
    }

    static final String CHECKPOINT = "checkpoint.ckpt";

    private static void printTime(PrintWriter o, TrainingResult result) {
        if (result.last() != null) {
            o.printf(Locale.ROOT, "time: %.3f s over %d epochs, %.3f s/epoch, %,.0f samples/s%n", result.seconds(),
                    result.history().size(), result.seconds() / result.history().size(),
                    result.history().stream().mapToLong(s -> s.rows()).sum() / result.seconds());
        }
    }

    /** --stream: SGD over .npy files read chunk by chunk (two chunks in memory), no test set. */
    private int streamRun() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        var parsed = spec.commandLine().getParseResult();
        for (String bad : java.util.List.of("--test-fraction", "--test-data", "--checkpoint-every", "--scale-x", "--scale-y",
                "--drop-nonfinite", "--animate", "--plot-epoch", "--solver")) {
            if (parsed.hasMatchedOption(bad)) {
                throw new IllegalArgumentException("--stream trains on every row of the files as they are: " + bad
                        + " is not supported with it");
            }
        }
        if (data.file == null || data.format.fileY == null) {
            throw new IllegalArgumentException("--stream reads --data X.npy with --data-y Y.npy");
        }
        for (Path f : new Path[] {data.file, data.format.fileY}) {
            if (!f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new IllegalArgumentException("--stream reads .npy files, got " + f);
            }
        }
        if (chunkMb < 1) {
            throw new IllegalArgumentException("--chunk-mb must be >= 1, got " + chunkMb);
        }
        if (!progress.equals("auto") && !progress.equals("on") && !progress.equals("off")) {
            throw new IllegalArgumentException("--progress must be auto, on or off, got '" + progress + "'");
        }
        Optimizer optimizer = opt.create();
        var initKind = training.init();
        training.kernel();
        Path dir = output.create("train");
        Backend backend = Backend.current();
        o.printf(Locale.ROOT, "descent %s  backend %s  [%s]  blas %s%n", Main.version(), backend.name(), backend.device(),
                backend.blas());
        try (dev.descent.data.NpyRowSource src = new dev.descent.data.NpyRowSource(data.file, data.format.fileY)) {
            if (parsed.hasMatchedOption("--dtype") && data.dtype != src.dataType()) {
                throw new IllegalArgumentException("--dtype " + DtypeConverter.name(data.dtype) + ": --stream trains in the files' dtype, "
                        + DtypeConverter.name(src.dataType()));
            }
            Trainer.Config config = training.config(data.seed, src.rows());
            long rowBytes = (long) (src.inputs() + src.outputs()) * (src.dataType() == DataType.DOUBLE ? 8 : 4);
            dev.descent.engine.StreamTrainer trainer = new dev.descent.engine.StreamTrainer(optimizer, config,
                    (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, chunkMb * 1_000_000L / rowBytes)));
            o.printf(Locale.ROOT, "data: %s streamed  %,d rows (%.2f GB)  nX=%d  nY=%d  dtype=%s  chunks of %,d rows, two in memory%n",
                    src.describe(), src.rows(), src.rows() * rowBytes / 1e9, src.inputs(), src.outputs(),
                    DtypeConverter.name(src.dataType()), trainer.chunkRows());
            o.printf(Locale.ROOT, "optimizer: %s  batch=%d  epochs=%d  shuffle=%s  kernel=%s%n", optimizer.hyperparameters(),
                    config.batchSize(), config.epochs(), config.shuffle() ? "chunks and rows within chunks" : "false",
                    config.kernel().resolve().name().toLowerCase(Locale.ROOT));
            LinearModel initial = training.initial(src.inputs(), src.outputs(), src.dataType(), dev.descent.data.Seeds.init(data.seed));
            boolean bar = progress.equals("on") || (progress.equals("auto") && System.console() != null);
            TrainingResult result;
            int code = ExitCodes.OK;
            String signal;
            try (Interrupts interrupts = Interrupts.install(trainer::requestStop)) {
                result = trainer.train(src, initial, new ProgressListener(o, bar));
                signal = interrupts.received();
                if (result.stop() == StopReason.INTERRUPTED) {
                    code = interrupts.exitCode();
                }
            }
            boolean interrupted = result.stop() == StopReason.INTERRUPTED;
            if (result.stop() == StopReason.DIVERGED) {
                spec.commandLine().getErr().println("train: " + result.message());
                spec.commandLine().getErr().flush();
                code = ExitCodes.DIVERGED;
            } else if (result.message() != null) {
                o.println(result.message());
            }
            printTime(o, result);
            double mse = interrupted ? Double.NaN : trainer.mse(src, result.model()); // no extra pass when asked to stop
            long peak = dev.descent.data.HostMemory.peakRssBytes();
            o.printf(Locale.ROOT, "%s%npeak resident memory %.2f GB%n", interrupted ? "final train MSE not computed (interrupted)"
                    : String.format(Locale.ROOT, "final train MSE %.8g (streamed pass)", mse), peak / 1e9);
            Map<String, Object> rec = ordered("source", src.describe(), "streamed", true, "train_rows", src.rows(), "test_rows", 0,
                    "nx", src.inputs(), "ny", src.outputs(), "dtype", DtypeConverter.name(src.dataType()), "chunk_rows", trainer.chunkRows(),
                    "seed", data.seed);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("descent", Main.version());
            summary.put("backend", ordered("name", backend.name(), "device", backend.device(), "blas", backend.blas()));
            summary.put("data", rec);
            summary.put("solver", "sgd");
            summary.put("optimizer", optimizer.hyperparameters());
            Map<String, Object> tr = trainingRecord(config, result, src.rows());
            summary.put("training", tr);
            summary.put("peak_rss_bytes", peak);
            summary.put("status", status(result.stop()));
            summary.put("results", ordered("train_mse", interrupted ? null : mse));
            RunFiles.writeHistory(dir, result.history());
            ModelStore.save(dir.resolve("model"), result.model(), ordered("descent", Main.version(), "backend", backend.name(),
                    "data", rec, "solver", "sgd", "optimizer", optimizer.hyperparameters(), "training", tr,
                    "results", ordered("train_mse", interrupted ? null : mse)));
            RunFiles.writeSummary(dir, summary);
            o.println("wrote " + dir.resolve(RunFiles.SUMMARY) + ", " + RunFiles.HISTORY + " and the model in " + dir.resolve("model"));
            o.flush();
            if (interrupted) {
                spec.commandLine().getErr().println("train: " + result.message() + " on SIG" + signal
                        + "; the model so far is written (--stream has no checkpoints to resume from yet)");
                spec.commandLine().getErr().flush();
            }
            return code;
        }
    }

    /** --resume DIR: rebuild the original command from the checkpoint's record and continue. */
    private int resumeRun() throws IOException {
        for (var matched : spec.commandLine().getParseResult().matchedOptions()) {
            String n = matched.longestName();
            if (!n.equals("--resume") && !n.equals("--progress")) {
                throw new IllegalArgumentException("--resume continues a run with the options it was started with; give no"
                        + " other options (got " + n + ")");
            }
        }
        Path file = resume.resolve(CHECKPOINT);
        Checkpoint c = Checkpoint.load(file);
        RunIdentity.check(c, resume, file);
        if (!(c.describe().get("args") instanceof java.util.List<?> args)) {
            throw new IllegalArgumentException(file + ": this checkpoint does not record the command that wrote it");
        }
        java.util.List<String> a = new java.util.ArrayList<>();
        args.forEach(x -> a.add(String.valueOf(x)));
        a.addAll(java.util.List.of("--out", resume.toString(), "--progress", progress));
        TrainCommand t = new TrainCommand();
        picocli.CommandLine cl = new picocli.CommandLine(t);
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        cl.parseArgs(a.toArray(String[]::new));
        t.resumeFrom = c;
        return t.call();
    }

    /** The summary's one-word status of a training run. */
    private static String status(StopReason stop) {
        return switch (stop) {
            case EPOCHS -> "completed";
            case CONVERGED -> "converged";
            case DIVERGED -> "diverged";
            case INTERRUPTED -> "interrupted";
        };
    }

    private static Map<String, Object> trainingRecord(Trainer.Config c, TrainingResult r, long nTrain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", c.batchFor(nTrain));
        m.put("epochs_requested", c.epochs());
        m.put("epochs_run", r.history().size());
        m.put("steps", r.steps());
        m.put("shuffle", c.shuffle());
        m.put("drop_last", c.dropLast());
        m.put("tolerance", c.tolerance());
        m.put("shuffle_seed", c.seed());
        m.put("kernel", c.kernel().resolve().name().toLowerCase(Locale.ROOT));
        m.put("stop", r.stop().name().toLowerCase(Locale.ROOT));
        if (r.message() != null) {
            m.put("message", r.message());
        }
        m.put("seconds", r.seconds());
        long rows = r.history().stream().mapToLong(s -> s.rows()).sum();
        m.put("samples_per_s", r.seconds() > 0 ? rows / r.seconds() : null);
        if (r.last() != null) {
            m.put("final_epoch_train_loss", r.last().trainLoss());
        }
        return m;
    }

    private static void printParameters(PrintWriter out, String label, LinearModel model, Map<String, Object> results, String suffix) {
        INDArray w = model.weights();
        INDArray b = model.bias();
        if (w.length() <= 20) {
            // Each value in the shortest form that reads back to the same value of its own type.
            boolean f32 = w.dataType() == DataType.FLOAT;
            Object wv = f32 ? w.toFloatMatrix() : w.castTo(DataType.DOUBLE).toDoubleMatrix();
            Object bv = f32 ? b.toFloatVector() : b.castTo(DataType.DOUBLE).toDoubleVector();
            out.println(label + "W = " + java.util.Arrays.deepToString((Object[]) wv));
            out.println(label + "B = " + (f32 ? java.util.Arrays.toString((float[]) bv) : java.util.Arrays.toString((double[]) bv)));
            results.put("W" + suffix, wv);
            results.put("B" + suffix, bv);
        } else {
            INDArray wd = w.castTo(DataType.DOUBLE);
            INDArray bd = b.castTo(DataType.DOUBLE);
            out.printf(Locale.ROOT, "%sW: %d×%d, ‖W‖ = %.6g, max |w| = %.6g;  B: ‖B‖ = %.6g (all values in model/W.npy, B.npy)%n",
                    label, w.rows(), w.columns(), wd.norm2Number().doubleValue(), wd.amaxNumber().doubleValue(),
                    bd.norm2Number().doubleValue());
            results.put("W_norm" + suffix, wd.norm2Number().doubleValue());
            results.put("B" + suffix, b.length() <= 100 ? bd.toDoubleVector() : null);
        }
    }

    /** A map in the order of its keys (JSON output keeps it). */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
