package dev.descent.cli;

import dev.descent.data.Seeds;
import dev.descent.engine.Backend;
import dev.descent.engine.Checkpoint;
import dev.descent.engine.KernelKind;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent train}: trains a linear model on a file or synthetic data and records the run. */
@Command(name = "train", header = "Trains y = X·W + B on a data file or on seeded synthetic data.",
        description = "Trains y = X·W + B by mini-batch gradient descent on a CSV, .npy or .npz file, or on seeded synthetic data (X ~ N(0,1), true W, B ~ N(0,1), Gaussian noise). Writes history.csv, summary.json, loss.png/svg and the model (model/W.npy, model/B.npy, model/model.json) to the output directory.")
final class TrainCommand extends DataCommand {

    @Mixin
    OptimizerOptions opt = new OptimizerOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--solver", paramLabel = "sgd|exact|gd|local-sgd", description = "sgd trains; exact solves least squares in closed form;"
            + " with --spark: gd (full-batch gradient descent), local-sgd (an epoch per partition, then θ averaged) or exact (default: ${DEFAULT-VALUE}).")
    String solver = "sgd";

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Write <out>/checkpoint.ckpt every K epochs, atomically; 0 = never (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 0;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its checkpoint with the options it was started with (no other options but --progress).")
    Path resume;

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

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Spark: local[N], spark://host:port, or submit (the master spark-submit sets; the jar of mvn -Pspark,submit package) (the Spark build: DESCENT_PROFILE=spark ./descent ...).")
    String spark;

    @Option(names = "--partitions", paramLabel = "P", description = "With --spark: partitions of the data (default: the cluster's default parallelism).")
    int partitions;

    @Override
    public Integer call() throws IOException {
        return resume != null ? resumeRun() : run(null);
    }

    /** Trains, from the start or (resumeFrom not null) from a checkpoint of this very command line. */
    private int run(Checkpoint resumeFrom) throws IOException {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        this.resuming = resumeFrom != null;
        if (spark != null) {
            if (training.threads() > 1) {
                throw new IllegalArgumentException("--threads is for one machine; with --spark each partition's task runs on"
                        + " one core (use more partitions)");
            }
            return ClusterRun.run(this, resumeFrom);
        }
        if (stream) {
            return new StreamTraining(this).run(resumeFrom);
        }
        PrintWriter o = out();
        // Everything that needs no data is checked before any expensive work.
        Optimizer optimizer = opt.create();
        data.validate();
        if (data.dtype == DataType.FLOAT && (float) opt.lr == 0) {
            throw new IllegalArgumentException("--lr " + opt.lr + " is 0 in float32, so nothing would train; use a larger"
                    + " rate or --dtype float64");
        }
        training.init();
        var kernelKind = training.kernel();
        training.threads();
        if (!solver.equals("sgd") && !solver.equals("exact")) {
            throw new IllegalArgumentException("--solver must be sgd or exact, got '" + solver + "'");
        }
        boolean bar = progressBar();
        if (data.file == null) {
            training.config(data.seed, data.syntheticTrainRows()); // batch size against the known row count
        }
        // the GPU is opened before anything is written: without one the run stops here, in one line
        dev.descent.gpu.Device device = kernelKind == KernelKind.CUDA ? dev.descent.gpu.Devices.cuda(data.dtype) : null;
        Path dir = runDirectory();
        Backend backend = Main.header(o);
        if (device != null) {
            o.println("device: " + device.describe());
        }
        DataOptions.Prepared d = data.prepare();
        Trainer.Config config = training.config(data.seed, d.train().size());
        o.printf(Locale.ROOT, "data: %s  train %,d rows, test %,d  nX=%d  nY=%d  dtype=%s  seed=%d%s%n",
                d.record().get("source"), d.train().size(), d.test() == null ? 0 : d.test().size(), d.inputs(), d.outputs(),
                DtypeConverter.name(data.dtype), data.seed, d.scaled() ? "  scaling x: " + d.xScaler() + ", y: " + d.yScaler() : "");
        if (d.record().get("load_seconds") instanceof Double secs) {
            o.printf(Locale.ROOT, "loaded %s in %.2f s%n", d.record().get("source"), secs);
        }
        if (d.record().get("dropped_nonfinite_rows") instanceof Long n && n > 0) {
            o.printf(Locale.ROOT, "dropped %,d rows holding NaN or Inf%n", n);
        }
        TrainOutputs out = new TrainOutputs(this, dir, d, backend, optimizer, config);
        LeastSquaresCheck exact = LeastSquaresCheck.of(o, d.originalTrain(), solver.equals("exact"), noExact, data.dtype);
        if (solver.equals("exact")) {
            return out.solved(exact);
        }
        o.printf(Locale.ROOT, "optimizer: %s  batch=%s  epochs=%d  shuffle=%s  drop-last=%s  tol=%s  init=%s  kernel=%s%n",
                optimizer.hyperparameters(), config.batchSize() == 0 ? "full (" + d.train().size() + ")" : String.valueOf(config.batchSize()),
                config.epochs(), config.shuffle(), config.dropLast(), config.tolerance() == 0 ? "off"
                : config.tolerance() + " on " + config.stopRule().describe(),
                training.describeInit(), kernelKind.resolve().name().toLowerCase(Locale.ROOT)
                + (config.threads() > 1 ? ", " + config.threads() + " threads a batch" : ""));
        int cores = Runtime.getRuntime().availableProcessors();
        if (config.threads() > cores) {
            o.printf(Locale.ROOT, "note: %d threads a batch on %d core%s: they take turns, slower than --threads %d; the"
                    + " results are the bits of %d threads all the same%n", config.threads(), cores, cores == 1 ? "" : "s",
                    cores, config.threads());
        }
        if (d.scaled()) {
            o.println("epoch losses, history.csv and loss.png are in scaled units; the final MSE is in original units");
        }
        Trainer.Checkpointing ck = checkpointEvery == 0 ? null : new Trainer.Checkpointing(dir.resolve(CHECKPOINT),
                checkpointEvery, RunIdentity.of(spec.commandLine().getParseResult().originalArgs(), dir));
        Trainer trainer = new Trainer(optimizer, config, t -> device);
        try (Interrupts interrupts = Interrupts.install(trainer::requestStop)) {
            TrainingResult result;
            TrainFigures.Trajectory trajectory;
            if (resumeFrom != null) {
                sayResuming(o, dir, resumeFrom, config);
                trajectory = new TrainFigures.Trajectory(TrainFigures.small(d), LinearModel.fromStacked(resumeFrom.theta()));
                result = trainer.resume(d.train(), d.test(), resumeFrom, ck, new ProgressListener(o, bar), trajectory);
            } else {
                LinearModel initial = training.initial(d.inputs(), d.outputs(), data.dtype, Seeds.init(data.seed));
                trajectory = new TrainFigures.Trajectory(TrainFigures.small(d), initial);
                result = trainer.train(d.train(), d.test(), initial, ck, new ProgressListener(o, bar), trajectory);
            }
            return out.trained(result, trajectory, exact, interrupts);
        }
    }

    static final String CHECKPOINT = "checkpoint.ckpt";

    /** Set by {@link #run}: this command continues a checkpoint (its directory exists and is locked, not created). */
    private boolean resuming;

    /** The run directory: made anew, or (resuming) the existing one, locked. */
    Path runDirectory() throws IOException {
        if (!resuming) {
            return output.create("train");
        }
        OutputOptions.lock(output.out);
        return output.out;
    }

    /** Whether to draw a progress bar (--progress, checked). */
    boolean progressBar() {
        if (!progress.equals("auto") && !progress.equals("on") && !progress.equals("off")) {
            throw new IllegalArgumentException("--progress must be auto, on or off, got '" + progress + "'");
        }
        return progress.equals("on") || (progress.equals("auto") && System.console() != null);
    }

    static void sayResuming(PrintWriter o, Path dir, Checkpoint c, Trainer.Config config) {
        int partial = c.progress().batchesDone();
        o.printf(Locale.ROOT, "resuming %s %s epoch %d of %d%s (step %d)%n", dir, partial > 0 ? "in" : "after",
                c.epochsDone() + (partial > 0 ? 1 : 0), config.epochs(), partial > 0 ? ", after batch " + partial : "", c.steps());
    }

    /** The one line on stderr after Ctrl-C or SIGTERM: where the run stopped and how to continue it. */
    void sayInterrupted(PrintWriter err, Path dir, TrainingResult result, String signal) {
        Path ckFile = dir.resolve(CHECKPOINT);
        String launcher = System.getenv().getOrDefault("DESCENT_LAUNCHER", "descent");
        err.println("train: " + result.message() + " on SIG" + signal + "; " + (checkpointEvery > 0 && Files.exists(ckFile)
                ? "checkpoint written: continue with " + launcher + " train --resume " + dir
                : "no checkpoint (train with --checkpoint-every K to be able to resume)"));
        err.flush();
    }

    /** --resume DIR: the original command line, as the checkpoint recorded it, continued from the checkpoint. */
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
        cl.setOut(out());
        cl.setErr(err());
        cl.parseArgs(a.toArray(String[]::new));
        return t.run(c);
    }
}
