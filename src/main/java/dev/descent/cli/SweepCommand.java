package dev.descent.cli;

import dev.descent.report.RunRecord;
import dev.descent.analysis.StepSizes;
import dev.descent.data.Dataset;
import dev.descent.data.Seeds;
import dev.descent.engine.StreamBatches;
import dev.descent.engine.Trainer;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import dev.descent.report.HeatMap;
import dev.descent.report.Plots;
import dev.descent.report.RunFiles;
import dev.descent.sweep.Axis;
import dev.descent.sweep.Sweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent sweep}: a (learning rate, momentum) grid trained in one pass; heat map and optimum. */
@Command(name = "sweep", header = "A (learning rate, momentum) grid trained in one pass; a loss map.",
        description = "Trains every (learning rate, momentum) pair of a grid together, one pass over the data per epoch (one gemm per batch for all models), and writes the final-loss grid (sweep.csv, sweep.json) and a heat map with the best momentum per learning rate (sweep.png, sweep.svg). Diverged models are marked and frozen.")
final class SweepCommand extends DataCommand {

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--lr", paramLabel = "FROM:TO:COUNT", description = "Learning rates (λ for ema): FROM:TO:COUNT, log:FROM:TO:COUNT or one value (default: ${DEFAULT-VALUE}).")
    String lr = "0.1:2:20";

    @Option(names = {"-m", "--momentum"}, paramLabel = "FROM:TO:COUNT", description = "Momenta (β for ema, μ otherwise) (default: ${DEFAULT-VALUE}).")
    String momentum = "0:0.95:20";

    @Option(names = {"-o", "--optimizer"}, paramLabel = "NAME", description = "Optimizer whose (lr, momentum) the grid is in (default: ${DEFAULT-VALUE}).")
    String optimizer = "ema";

    @Option(names = "--parametrization", paramLabel = "ema|keras|torch",
            description = "Read the grid as EMA momentum (λ, β), Keras heavy ball (lr = λ(1−β), μ) or PyTorch heavy ball; overrides --optimizer.")
    String parametrization;

    @Option(names = "--dampening", description = "τ of the PyTorch forms (default: ${DEFAULT-VALUE}).")
    double dampening = 0;

    @Option(names = "--decay", description = "Inverse-time decay lr/(1+decay·t) applied to every model (default: ${DEFAULT-VALUE}).")
    double decay = 0;

    @Option(names = "--stream", description = "Read --data X.npy and --data-y Y.npy chunk by chunk (files larger than memory), as train --stream does.")
    boolean stream;

    @Option(names = "--chunk-mb", description = "With --stream: megabytes of X and Y per chunk; two chunks are held (default: ${DEFAULT-VALUE}).")
    int chunkMb = 256;

    @Option(names = "--separately", description = "Also train every configuration alone with the single-model trainer (same batches) and report the time and the largest difference.")
    boolean separately;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter o = out();
        if (parametrization != null) {
            optimizer = switch (parametrization) {
                case "ema" -> "ema";
                case "keras" -> "momentum-keras";
                case "torch" -> "momentum-torch";
                default -> throw new IllegalArgumentException("--parametrization must be ema, keras or torch, got '" + parametrization + "'");
            };
        }
        optimizer = Optimizers.canonical(optimizer); // "gd" and "nesterovs" as well
        double[] lrs = Axis.parse(lr, "--lr").values();
        double[] mus = Axis.parse(momentum, "--momentum").values();
        for (double v : lrs) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("--lr values must be > 0, got " + v);
            }
        }
        for (double v : mus) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("--momentum values must be in [0, 1), got " + v);
            }
        }
        Schedule shape = decay > 0 ? new Schedule.InverseTime(1, decay) : new Schedule.Constant(1);
        data.validate();
        training.init(); // a bad --init is refused before any work
        if (stream && separately) {
            throw new IllegalArgumentException("--separately trains on data in memory: it is not supported with --stream");
        }
        Path dir = output.create("sweep");
        Sweep.Result r;
        Source src;
        StepSizes steps;
        Trainer.Config config;
        Dataset train = null;
        LinearModel initial;
        if (stream) {
            try (dev.descent.data.NpyRowSource file = StreamTraining.open(this, data, chunkMb)) {
                config = training.config(data.seed, file.rows());
                try (StreamBatches chunks = new StreamBatches(file, StreamTraining.chunkRows(chunkMb, file), config.batchFor(file.rows()),
                        config.shuffle(), config.dropLast(), config.seed())) {
                    src = new Source(RunRecord.ordered("source", file.describe(), "streamed", true, "train_rows", file.rows(),
                            "chunk_rows", chunks.chunkRows(), "seed", data.seed), file.rows(), file.inputs(), file.outputs());
                    steps = StepSizes.of(gram(chunks));
                    say(o, config, lrs, mus, src);
                    initial = training.initial(src.inputs(), src.outputs(), file.dataType(), Seeds.init(data.seed));
                    r = new Sweep(optimizer, shape, dampening, config).run(chunks, initial, lrs, mus);
                }
            }
        } else {
            DataOptions.Prepared d = data.prepare();
            train = d.train();
            config = training.config(data.seed, train.size());
            src = new Source(d.record(), train.size(), train.inputs(), train.outputs());
            say(o, config, lrs, mus, src);
            initial = training.initial(train.inputs(), train.outputs(), data.dtype, Seeds.init(data.seed));
            r = new Sweep(optimizer, shape, dampening, config).run(train, initial, lrs, mus);
            steps = StepSizes.of(train);
        }
        if (separately) {
            double secs = 0;
            double maxDiff = 0;
            Trainer.Config quiet = new Trainer.Config(config.batchSize(), config.epochs(), config.shuffle(), config.dropLast(), 0,
                    config.divergenceFactor(), config.seed(), config.kernel(), false);
            for (int i = 0; i < lrs.length; i++) {
                for (int j = 0; j < mus.length; j++) {
                    Schedule s = decay > 0 ? new Schedule.InverseTime(lrs[i], decay) : new Schedule.Constant(lrs[i]);
                    var res = new Trainer(Optimizers.create(optimizer, s, mus[j], dampening), quiet).train(train, null, initial);
                    secs += res.seconds();
                    if (r.divergedAt()[i][j] == 0 && res.stop() != dev.descent.engine.StopReason.DIVERGED) {
                        maxDiff = Math.max(maxDiff, res.model().stacked().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                                .sub(r.model(i, j).stacked().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue());
                    }
                }
            }
            o.printf(Locale.ROOT, "separately: %d single-model runs trained in %.3f s (%.1f× the sweep's %.3f s); max |Δθ| over converged models %.3g%n",
                    lrs.length * mus.length, secs, secs / r.seconds(), r.seconds(), maxDiff);
        }
        o.printf(Locale.ROOT, "trained in %.3f s (%,.0f model-samples/s)%n", r.seconds(),
                (double) r.rowsPerEpoch() * r.epochs() * lrs.length * mus.length / r.seconds());
        int[] best = r.best();
        if (best == null) {
            o.println("every model diverged");
        } else {
            o.printf(Locale.ROOT, "optimum: lr=%.6g  momentum=%.6g  loss=%.6g%n", lrs[best[0]], mus[best[1]], r.loss()[best[0]][best[1]]);
            java.util.List<String> edges = new java.util.ArrayList<>();
            if (lrs.length > 1 && (best[0] == 0 || best[0] == lrs.length - 1)) {
                edges.add(best[0] == 0 ? "the smallest learning rate" : "the largest learning rate");
            }
            if (mus.length > 1 && (best[1] == 0 || best[1] == mus.length - 1)) {
                edges.add(best[1] == 0 ? "the smallest momentum" : "the largest momentum");
            }
            if (!edges.isEmpty()) {
                o.println("note: the optimum is at " + String.join(" and ", edges) + " of the grid; the grid may be too small"
                        + " to hold the true optimum");
            }
        }
        // The analytic boundary for full-batch training at momentum 0, beside the one the grid found.
        double critical = Optimizers.create(optimizer, new Schedule.Constant(1), 0, dampening).criticalRate(steps.lambdaMax());
        int j0 = mus[0] == 0 ? 0 : -1;
        o.printf(Locale.ROOT, "stability limit (full batch, momentum 0, analytic; 2/λmax for GD): %.6g;  monotone limit 1/λmax"
                + " (seed 000's λc): %.6g;  empirical divergence boundary at momentum %s: %s%n", critical, 1 / steps.lambdaMax(), j0 == 0 ? "0" : "(not in grid)", j0 == 0 && !Double.isNaN(r.divergenceBoundary(0))
                        ? String.format(Locale.ROOT, "%.6g", r.divergenceBoundary(0)) : "none diverged");
        write(dir, r, optimizer, config, src, critical, steps);
        o.println("wrote " + dir.resolve("sweep.csv") + ", sweep.json, sweep.png and sweep.svg");
        o.flush();
        return ExitCodes.OK;
    }

    /** What the sweep's files say of its data. */
    private record Source(Map<String, Object> record, long rows, int inputs, int outputs) {
    }

    private void say(PrintWriter o, Trainer.Config config, double[] lrs, double[] mus, Source src) {
        o.printf(Locale.ROOT, "sweep: %s  %d learning rates × %d momenta = %d models  batch=%d  epochs=%d  data %s (%,d rows, nX=%d, nY=%d)%n",
                optimizer, lrs.length, mus.length, lrs.length * mus.length, config.batchFor(src.rows()), config.epochs(),
                src.record().get("source"), src.rows(), src.inputs(), src.outputs());
    }

    /** [X 1]ᵀ[X 1] of a streamed file, by one pass over its chunks (for the Hessian's spectrum). */
    private static dev.descent.model.NormalEquations gram(StreamBatches chunks) {
        var layout = chunks.layout();
        var acc = new dev.descent.model.NormalEquations.Accumulator(layout.inputs(), layout.outputs());
        chunks.scan((buffer, n) -> {
            Dataset b = chunks.buffers().get(buffer);
            var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n);
            var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
            acc.add(b.x().get(rows, all), b.y().get(rows, all));
        });
        return acc.finish(null, null);
    }

    private void write(Path dir, Sweep.Result r, String opt, Trainer.Config config, Source d, double critical,
            StepSizes steps) throws IOException {
        double[] lrs = r.lrs();
        double[] mus = r.momenta();
        StringBuilder csv = new StringBuilder("lr,momentum,loss,diverged_at_epoch\n");
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < mus.length; j++) {
                double l = r.loss()[i][j];
                csv.append(lrs[i]).append(',').append(mus[j]).append(',').append(Double.isNaN(l) ? "" : String.valueOf(l))
                        .append(',').append(r.divergedAt()[i][j]).append('\n');
                cells.add(RunRecord.ordered("lr", lrs[i], "momentum", mus[j], "loss", Double.isNaN(l) ? null : l,
                        "diverged_at_epoch", r.divergedAt()[i][j]));
            }
        }
        dev.descent.data.AtomicFiles.write(dir.resolve("sweep.csv"), out -> out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("optimizer", opt);
        json.put("data", d.record());
        json.put("batch_size", config.batchFor(d.rows()));
        json.put("epochs", config.epochs());
        json.put("seconds", r.seconds());
        int[] best = r.best();
        json.put("optimum", best == null ? null : RunRecord.ordered("lr", lrs[best[0]], "momentum", mus[best[1]], "loss", r.loss()[best[0]][best[1]]));
        json.put("critical_rate_full_batch_momentum0", critical);
        json.put("step_sizes", steps.describe());
        json.put("cells", cells);
        RunFiles.writeJson(dir.resolve("sweep.json"), json);

        // Heat map: rows = momenta, columns = learning rates; the best momentum per rate drawn over it.
        double[][] grid = new double[mus.length][lrs.length];
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < mus.length; j++) {
                grid[j][i] = r.loss()[i][j];
            }
        }
        int[] bm = r.bestMomentumPerRate();
        double[] line = new double[lrs.length];
        List<Double> bx = new ArrayList<>();
        List<Double> by = new ArrayList<>();
        for (int i = 0; i < lrs.length; i++) {
            line[i] = bm[i] < 0 ? Double.NaN : mus[bm[i]];
            if (bm[i] >= 0) {
                bx.add(lrs[i]);
                by.add(r.loss()[i][bm[i]]);
            }
        }
        String what = opt.equals("ema") ? "λ" : "lr";
        String mom = opt.equals("ema") ? "β" : "μ";
        String title = String.format(Locale.ROOT, "final training MSE after %d epochs: %s, batch %d, N=%,d, nX=%d, nY=%d",
                config.epochs(), opt, config.batchFor(d.rows()), d.rows(), d.inputs(), d.outputs());
        HeatMap hm = new HeatMap(title, "learning rate " + what + " (" + opt + " parametrization)", "momentum " + mom, lrs, mus,
                grid, line, "best " + mom + " for each " + what);
        List<Plots.Panel> panels = new ArrayList<>();
        panels.add(Plots.Panel.of(hm, 900, 560));
        if (!bx.isEmpty()) {
            var chart = Plots.lines("loss at the best momentum for each learning rate", "learning rate " + what,
                    "final training MSE (log scale)", List.of(new Plots.Curve("loss at best " + mom,
                            bx.stream().mapToDouble(Double::doubleValue).toArray(), by.stream().mapToDouble(Double::doubleValue).toArray())),
                    true, 1e-300);
            // The learning-rate axis of the heat map above, with round ticks.
            boolean logLr = dev.descent.report.Ticks.logarithmic(lrs); // as the heat map reads the same axis
            chart.getStyler().setXAxisLogarithmic(logLr);
            chart.getStyler().setXAxisMin(logLr || lrs[0] < 0 ? lrs[0] : 0.0);
            chart.getStyler().setXAxisMax(lrs[lrs.length - 1]);
            if (!logLr) { // XChart labels a log axis by decades itself
                chart.setCustomXAxisTickLabelsFormatter(dev.descent.report.Ticks::label);
            }
            panels.add(Plots.Panel.of(chart));
        }
        Plots.saveStack(panels, dir.resolve("sweep.png"), false);
        Plots.saveStack(panels, dir.resolve("sweep.svg"), true);
    }
}
