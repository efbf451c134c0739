package dev.descent.cli;

import static dev.descent.report.RunRecord.ordered;

import dev.descent.data.NpyRowSource;
import dev.descent.data.RowSource;
import dev.descent.data.ScaledRowSource;
import dev.descent.data.Scaler;
import dev.descent.data.Seeds;
import dev.descent.engine.Backend;
import dev.descent.engine.Checkpoint;
import dev.descent.engine.StopReason;
import dev.descent.engine.StreamBatches;
import dev.descent.engine.StreamTrainer;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.model.ModelStore;
import dev.descent.optim.Optimizer;
import dev.descent.report.RunFiles;
import dev.descent.report.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code descent train --stream}: SGD over .npy files read chunk by chunk (two chunks in memory), on the
 * same loop as data in memory: checkpoints and {@code --resume}, a test split taken from the files' last
 * rows ({@code --test-fraction}, only when given), the stop rules and Ctrl-C. Options that need every row
 * in memory (scaling, a random split, dropping rows, figures of the fit) are refused.
 */
final class StreamTraining {
    private final TrainCommand cmd;
    private final PrintWriter o;
    private final PrintWriter err;

    StreamTraining(TrainCommand cmd) {
        this.cmd = cmd;
        this.o = cmd.out();
        this.err = cmd.err();
    }

    /**
     * Opens --data X.npy and --data-y Y.npy for reading chunk by chunk, after refusing the options that
     * need every row in memory.
     */
    static NpyRowSource open(DataCommand cmd, DataOptions data, int chunkMb) throws IOException {
        var parsed = cmd.spec.commandLine().getParseResult();
        for (String bad : List.of("--test-data", "--drop-nonfinite", "--animate", "--plot-epoch", "--solver")) {
            if (cmd.spec.findOption(bad) != null && parsed.hasMatchedOption(bad)) {
                throw new IllegalArgumentException("--stream trains on the rows of the files as they are: " + bad
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
        NpyRowSource file = new NpyRowSource(data.file, data.format.fileY);
        if (parsed.hasMatchedOption("--dtype") && data.dtype != file.dataType()) {
            file.close();
            throw new IllegalArgumentException("--dtype " + DtypeConverter.name(data.dtype) + ": --stream trains in the files' dtype, "
                    + DtypeConverter.name(file.dataType()));
        }
        return file;
    }

    /**
     * The --scale-x and --scale-y scalers fitted on the training rows, read chunk by chunk in the file's
     * order (one pass for minmax, two for standard; none when neither is asked for).
     */
    private static Scaler[] fit(DataOptions data, RowSource src, int chunkRows, int batch) {
        Scaler.Fitting fx = new Scaler.Fitting(data.scaleX, src.inputs());
        Scaler.Fitting fy = new Scaler.Fitting(data.scaleY, src.outputs());
        int passes = Math.max(fx.passes(), fy.passes());
        if (passes > 0) {
            try (StreamBatches chunks = new StreamBatches(src, chunkRows, batch, false, false, 0)) {
                for (int pass = 0; pass < passes; pass++) {
                    int p = pass;
                    chunks.scan((buffer, n) -> {
                        var b = chunks.buffers().get(buffer);
                        if (p < fx.passes()) {
                            fx.add(p, b.x(), 0, n);
                        }
                        if (p < fy.passes()) {
                            fy.add(p, b.y(), 0, n);
                        }
                    });
                }
            }
        }
        return new Scaler[] {fx.result(), fy.result()};
    }

    /** Rows of X and Y in --chunk-mb megabytes. */
    static int chunkRows(int chunkMb, RowSource src) {
        long rowBytes = (long) (src.inputs() + src.outputs()) * (src.dataType() == DataType.DOUBLE ? 8 : 4);
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, chunkMb * 1_000_000L / rowBytes));
    }

    int run(Checkpoint resumeFrom) throws IOException {
        var parsed = cmd.spec.commandLine().getParseResult();
        DataOptions data = cmd.data;
        data.checkScaling();
        double testFraction = parsed.hasMatchedOption("--test-fraction") ? data.testFraction : 0;
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        boolean bar = cmd.progressBar();
        Optimizer optimizer = cmd.opt.create();
        cmd.training.init();
        cmd.training.kernel();
        try (NpyRowSource file = open(cmd, data, cmd.chunkMb)) {
            Path dir = cmd.runDirectory();
            Backend backend = Main.header(o);
            long testRows = Math.round(testFraction * file.rows());
            if (testRows > 0 && testRows == file.rows()) {
                throw new IllegalArgumentException("--test-fraction " + testFraction + " leaves no training rows of " + file.rows());
            }
            RowSource original = testRows == 0 ? file : file.slice(0, file.rows() - testRows);
            RowSource originalTest = testRows == 0 ? null : file.slice(file.rows() - testRows, file.rows());
            Trainer.Config config = cmd.training.config(data.seed, original.rows());
            Scaler[] scalers = fit(data, original, chunkRows(cmd.chunkMb, original), config.batchFor(original.rows()));
            boolean scaled = !scalers[0].isIdentity() || !scalers[1].isIdentity();
            RowSource src = scaled ? new ScaledRowSource(original, scalers[0], scalers[1]) : original;
            RowSource test = originalTest == null || !scaled ? originalTest : new ScaledRowSource(originalTest, scalers[0], scalers[1]);
            long rowBytes = (long) (src.inputs() + src.outputs()) * (src.dataType() == DataType.DOUBLE ? 8 : 4);
            StreamTrainer trainer = new StreamTrainer(optimizer, config, chunkRows(cmd.chunkMb, src));
            o.printf(Locale.ROOT, "data: %s streamed  train %,d rows (%.2f GB), test %,d (the last rows)  nX=%d  nY=%d  dtype=%s"
                    + "  chunks of %,d rows, two in memory%n", file.describe(), src.rows(), src.rows() * rowBytes / 1e9, testRows,
                    src.inputs(), src.outputs(), DtypeConverter.name(src.dataType()), trainer.chunkRows());
            o.printf(Locale.ROOT, "optimizer: %s  batch=%d  epochs=%d  shuffle=%s  tol=%s  kernel=%s%n", optimizer.hyperparameters(),
                    config.batchSize(), config.epochs(), config.shuffle() ? "chunks and rows within chunks" : "false",
                    config.tolerance() == 0 ? "off" : config.tolerance() + " on " + config.stopRule().describe(),
                    config.kernel().resolve().name().toLowerCase(Locale.ROOT)
                    + (config.threads() > 1 ? ", " + config.threads() + " threads a batch" : ""));
            if (scaled) {
                o.println("scaling x: " + scalers[0] + ", y: " + scalers[1] + "; epoch losses and history.csv are in scaled units,"
                        + " the final MSE in the files' units");
            }
            Trainer.Checkpointing ck = cmd.checkpointEvery == 0 ? null : new Trainer.Checkpointing(dir.resolve(TrainCommand.CHECKPOINT),
                    cmd.checkpointEvery, RunIdentity.of(parsed.originalArgs(), dir));
            TrainingResult result;
            int code = ExitCodes.OK;
            String signal;
            try (Interrupts interrupts = Interrupts.install(trainer::requestStop)) {
                ProgressListener progress = new ProgressListener(o, bar);
                if (resumeFrom != null) {
                    TrainCommand.sayResuming(o, dir, resumeFrom, config);
                    result = trainer.resume(src, test, resumeFrom, ck, progress);
                } else {
                    LinearModel initial = cmd.training.initial(src.inputs(), src.outputs(), src.dataType(), Seeds.init(data.seed));
                    result = trainer.train(src, test, initial, ck, progress);
                }
                signal = interrupts.received();
                if (result.stop() == StopReason.INTERRUPTED) {
                    code = interrupts.exitCode();
                }
            }
            boolean interrupted = result.stop() == StopReason.INTERRUPTED;
            if (result.stop() == StopReason.DIVERGED) {
                err.println("train: " + result.message());
                err.flush();
                code = ExitCodes.DIVERGED;
            } else if (result.message() != null && !interrupted) {
                o.println(result.message());
            }
            RunRecord.printTime(o, result);
            LinearModel model = result.model().unscaled(scalers[0], scalers[1]); // in the files' units
            Map<String, Object> results = new LinkedHashMap<>();
            if (!interrupted) { // no extra passes when asked to stop
                double mse = trainer.mse(original, model);
                results.put("train_mse", mse);
                o.printf(Locale.ROOT, "final train MSE %.8g (streamed pass%s)", mse, scaled ? ", original units" : "");
                if (test != null) {
                    double testMse = trainer.mse(originalTest, model);
                    results.put("test_mse", testMse);
                    o.printf(Locale.ROOT, "   test MSE %.8g", testMse);
                }
                o.println();
            } else {
                o.println("final MSE not computed (interrupted)");
            }
            long peak = dev.descent.host.HostMemory.peakRssBytes();
            o.printf(Locale.ROOT, "peak resident memory %.2f GB%n", peak / 1e9);
            Map<String, Object> rec = ordered("source", file.describe(), "streamed", true, "train_rows", src.rows(), "test_rows",
                    testRows, "nx", src.inputs(), "ny", src.outputs(), "dtype", DtypeConverter.name(src.dataType()), "chunk_rows",
                    trainer.chunkRows(), "seed", data.seed, "scale_x", scalers[0].describe(), "scale_y", scalers[1].describe());
            Map<String, Object> tr = RunRecord.training(config, result, src.rows());
            Map<String, Object> summary = ordered("descent", Main.version(), "backend", ordered("name", backend.name(), "device",
                    backend.device(), "blas", backend.blas()), "data", rec, "solver", "sgd", "optimizer", optimizer.hyperparameters(),
                    "training", tr, "peak_rss_bytes", peak, "status", RunRecord.status(result.stop()), "results", results);
            boolean keepModel = result.stop() != StopReason.DIVERGED || result.modelEpochs() > 0;
            RunFiles.writeHistory(dir, result.history());
            if (keepModel) {
                ModelStore.save(dir.resolve("model"), model, ordered("descent", Main.version(), "backend", backend.name(),
                        "data", rec, "solver", "sgd", "optimizer", optimizer.hyperparameters(), "training", tr, "results", results));
            }
            RunFiles.writeSummary(dir, summary);
            o.println("wrote " + dir.resolve(RunFiles.SUMMARY) + ", " + RunFiles.HISTORY
                    + (keepModel ? " and the model in " + dir.resolve("model") : ""));
            o.flush();
            if (interrupted) {
                cmd.sayInterrupted(err, dir, result, signal);
            }
            return code;
        }
    }
}
