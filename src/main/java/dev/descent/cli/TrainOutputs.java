package dev.descent.cli;

import static dev.descent.report.RunRecord.ordered;

import dev.descent.engine.Backend;
import dev.descent.engine.StopReason;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code descent train} prints and writes once the model is known: the final MSEs, the parameters,
 * the distance to least squares, summary.json, history.csv, the model directory and the figures, in that
 * order (results before figures: a figure that fails never costs the rest). Returns the exit code.
 */
final class TrainOutputs {
    private final TrainCommand cmd;
    private final PrintWriter o;
    private final PrintWriter err;
    private final Path dir;
    private final DataOptions.Prepared d;
    private final Backend backend;
    private final Optimizer optimizer;
    private final Trainer.Config config;
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private String interruptSignal;

    TrainOutputs(TrainCommand cmd, Path dir, DataOptions.Prepared d, Backend backend, Optimizer optimizer, Trainer.Config config) {
        this.cmd = cmd;
        this.o = cmd.out();
        this.err = cmd.err();
        this.dir = dir;
        this.d = d;
        this.backend = backend;
        this.optimizer = optimizer;
        this.config = config;
        summary.put("descent", Main.version());
        summary.put("backend", ordered("name", backend.name(), "device", backend.device(), "blas", backend.blas()));
        summary.put("data", d.record());
    }

    /** --solver exact: the least-squares model is the result. */
    int solved(LeastSquaresCheck exact) throws IOException {
        var lsq = exact.solution;
        o.printf(Locale.ROOT, "solver: exact least squares (%s, float64) in %.2f s: Gram matrix %.2f s, solve %.2f s%n",
                lsq.describe(), exact.gramSeconds + exact.solveSeconds, exact.gramSeconds, exact.solveSeconds);
        summary.put("status", "solved");
        summary.put("solver", "exact");
        summary.put("least_squares", ordered("method", exact.method(), "rank", lsq.rank(), "columns", lsq.dimension()));
        return finish(exact.model, null, null, null, null, ExitCodes.OK);
    }

    /** --solver sgd: the trained model (in original units), compared with least squares when there is one. */
    int trained(TrainingResult result, TrainFigures.Trajectory trajectory, LeastSquaresCheck exact, Interrupts interrupts)
            throws IOException {
        interruptSignal = interrupts.received();
        int code = result.stop() == StopReason.INTERRUPTED ? interrupts.exitCode() : ExitCodes.OK;
        summary.put("status", RunRecord.status(result.stop()));
        summary.put("history_units", d.scaled() ? "scaled" : "data");
        summary.put("solver", "sgd");
        summary.put("optimizer", optimizer.hyperparameters());
        Map<String, Object> tr = RunRecord.training(config, result, d.train().size());
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
        RunRecord.printTime(o, result);
        LinearModel scaled = result.model();
        return finish(scaled.unscaled(d.xScaler(), d.yScaler()), scaled, result, trajectory, exact, code);
    }

    private int finish(LinearModel model, LinearModel scaledModel, TrainingResult result, TrainFigures.Trajectory trajectory,
            LeastSquaresCheck exact, int code) throws IOException {
        boolean diverged = result != null && result.stop() == StopReason.DIVERGED;
        boolean keepModel = !diverged || result.modelEpochs() > 0;
        Map<String, Object> results = new LinkedHashMap<>();
        if (diverged) {
            o.println(keepModel ? "kept the model after epoch " + result.modelEpochs() + ", the last before the divergence"
                    : "no model kept: no epoch finished before the divergence");
        }
        double trainMse = Double.NaN;
        if (keepModel) {
            trainMse = model.mse(d.originalTrain().x(), d.originalTrain().y());
            results.put("train_mse", trainMse);
            o.printf(Locale.ROOT, "%s train MSE %.8g", diverged ? "kept model's" : "final", trainMse);
            if (d.originalTest() != null) {
                double testMse = model.mse(d.originalTest().x(), d.originalTest().y());
                results.put("test_mse", testMse);
                o.printf(Locale.ROOT, "   test MSE %.8g", testMse);
            }
            o.println(d.scaled() ? "  (original units)" : "");
            RunRecord.parameters(o, "", model, results, "");
            if (scaledModel != null && d.scaled()) {
                RunRecord.parameters(o, "scaled units: ", scaledModel, results, "_scaled");
            }
            if (exact != null) {
                exact.compare(o, model, d.originalTrain(), results);
            }
        }
        long peak = dev.descent.host.HostMemory.peakRssBytes();
        o.printf(Locale.ROOT, "peak resident memory %.2f GB%n", peak / 1e9);
        summary.put("peak_rss_bytes", peak);
        summary.put("results", results);
        List<String> wrote = new ArrayList<>();
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
            meta.put("solver", result == null ? "exact" : "sgd");
            meta.put("results", ordered("train_mse", trainMse, "test_mse", results.get("test_mse")));
            if (diverged) {
                meta.put("kept_after_epoch", result.modelEpochs());
            }
            ModelStore.save(dir.resolve("model"), model, meta);
        }
        RunFiles.writeSummary(dir, summary);
        if (result != null && !cmd.noPlots && result.stop() != StopReason.INTERRUPTED) {
            wrote.addAll(TrainFigures.figures(dir, d, optimizer, config, result, trajectory.models, cmd.plotEpoch, cmd.animate, err));
        }
        o.println("wrote " + dir.resolve(wrote.get(0)) + (wrote.size() > 1 ? ", " + String.join(", ", wrote.subList(1, wrote.size())) : "")
                + (keepModel ? " and the model in " + dir.resolve("model") : ""));
        o.flush();
        if (result != null && result.stop() == StopReason.INTERRUPTED) {
            cmd.sayInterrupted(err, dir, result, interruptSignal);
        }
        return code;
    }
}
