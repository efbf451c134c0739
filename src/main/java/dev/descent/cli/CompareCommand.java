package dev.descent.cli;

import dev.descent.report.RunRecord;
import dev.descent.compare.Comparison;
import dev.descent.data.Dataset;
import dev.descent.engine.Backend;
import dev.descent.engine.Trainer;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import dev.descent.report.Plots;
import dev.descent.report.RunFiles;
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

/** {@code descent compare}: the engine against DL4J's single Dense layer, side by side. */
@Command(name = "compare", header = "The engine against DL4J's single Dense layer on the same batches.",
        description = "Trains the engine and a DL4J single-Dense-layer network (OutputLayer, identity, MSE) from the same W, B on the same batches in the same order, and reports per epoch both losses, max |ΔW|, max |ΔB|, times and the speed ratio. Writes compare.json and compare.png.")
final class CompareCommand extends DataCommand {

    @Mixin
    OptimizerOptions opt = new OptimizerOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--no-plots", description = "Write no figure (compare.png): compare.json only.")
    boolean noPlots;

    @Option(names = "--repeat", description = "Train each side K times; times are medians (default: ${DEFAULT-VALUE}).")
    int repeat = 1;

    @Option(names = "--warmup-epochs", description = "Epochs excluded from the speed figures (JIT, first touches) (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter o = out();
        Optimizer optimizer = opt.create();
        data.validate();
        if (training.tolerance != 0) {
            throw new IllegalArgumentException("--tol is not supported by compare: both sides run every epoch");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        if (warmup < 0 || warmup >= training.epochs) {
            throw new IllegalArgumentException("--warmup-epochs must be in [0, epochs) = [0, " + training.epochs + "), got " + warmup);
        }
        if (data.file == null) {
            training.config(data.seed, data.syntheticTrainRows()); // batch size against the known row count
        }
        training.init(); // a bad --init is refused before any work
        // without a GPU: one line, nothing written
        String gpu = training.kernel() == dev.descent.engine.KernelKind.CUDA ? dev.descent.gpu.Devices.describe(data.dtype) : null;
        Path dir = output.create("compare");

        Backend backend = Main.header(o);
        if (gpu != null) {
            o.println("device: " + gpu + " (the engine; DL4J runs on the CPU)");
        }
        DataOptions.Prepared prepared = data.prepare();
        Dataset train = prepared.train();
        long nTrain = train.size();
        Trainer.Config config = training.config(data.seed, nTrain);
        Comparison comparison = new Comparison(optimizer, config, repeat, warmup);
        o.printf(Locale.ROOT, "data: %s  %,d training rows  nX=%d  nY=%d  dtype=%s  batch=%d  epochs=%d  shuffle=%s  seed=%d%n",
                prepared.record().get("source"), nTrain, train.inputs(), train.outputs(), DtypeConverter.name(data.dtype), config.batchFor(nTrain), config.epochs(),
                config.shuffle(), data.seed);
        o.println("engine: " + optimizer.hyperparameters() + "  kernel " + config.kernel().resolve().name().toLowerCase(Locale.ROOT));
        LinearModel initial = training.initial(train.inputs(), train.outputs(), data.dtype, dev.descent.data.Seeds.init(data.seed));
        Comparison.Result r = comparison.run(train, initial);
        o.println("DL4J:   " + r.mapping().description());
        o.printf(Locale.ROOT, "%5s  %-13s %-13s %-10s %-10s %9s %9s %12s %12s %7s%n", "epoch", "engine loss", "DL4J loss",
                "max|ΔW|", "max|ΔB|", "engine s", "DL4J s", "engine /s", "DL4J /s", "ratio");
        for (Comparison.Row row : r.rows()) {
            o.printf(Locale.ROOT, "%5d  %-13.7g %-13.7g %-10.3g %-10.3g %9.4f %9.4f %,12.0f %,12.0f %6.1f×%s%n",
                    row.epoch() + 1, row.engineLoss(), row.dl4jLoss(), row.maxAbsDw(), row.maxAbsDb(), row.engineSeconds(),
                    row.dl4jSeconds(), row.engineRate(), row.dl4jRate(), row.speedRatio(),
                    row.epoch() < r.warmupEpochs() ? "  (warm-up)" : "");
        }
        o.printf(Locale.ROOT, "speed after %d warm-up epoch(s), median of %d run(s): engine %,.0f samples/s, DL4J %,.0f samples/s%n",
                r.warmupEpochs(), r.repeat(), r.engineRate(), r.dl4jRate());
        o.println(r.verdict());

        write(dir, r, optimizer, config, prepared, backend);
        o.println("wrote " + dir.resolve("compare.json") + (noPlots ? "" : " and compare.png"));
        o.flush();
        return Boolean.FALSE.equals(r.parity()) ? ExitCodes.PARITY_FAILED : ExitCodes.OK;
    }

    private void write(Path dir, Comparison.Result r, Optimizer optimizer, Trainer.Config config, DataOptions.Prepared d, Backend backend)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("descent", Main.version());
        json.put("backend", RunRecord.ordered("name", backend.name(), "device", backend.device()));
        json.put("data", d.record());
        long nTrain = d.train().size();
        json.put("optimizer", optimizer.hyperparameters());
        json.put("dl4j_updater", r.mapping().description());
        json.put("exact_mapping", r.mapping().exact());
        json.put("batch_size", config.batchFor(nTrain));
        json.put("repeat", r.repeat());
        json.put("warmup_epochs", r.warmupEpochs());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Comparison.Row row : r.rows()) {
            rows.add(RunRecord.ordered("epoch", row.epoch() + 1, "engine_loss", row.engineLoss(), "dl4j_loss", row.dl4jLoss(),
                    "max_abs_dw", row.maxAbsDw(), "max_abs_db", row.maxAbsDb(), "engine_seconds", row.engineSeconds(),
                    "dl4j_seconds", row.dl4jSeconds(), "engine_samples_per_s", row.engineRate(),
                    "dl4j_samples_per_s", row.dl4jRate()));
        }
        json.put("epochs", rows);
        json.put("engine_samples_per_s", r.engineRate());
        json.put("dl4j_samples_per_s", r.dl4jRate());
        json.put("speed_ratio", r.speedRatio());
        json.put("parity", r.parity());
        json.put("verdict", r.verdict());
        RunFiles.writeJson(dir.resolve("compare.json"), json);
        if (noPlots) {
            return;
        }

        double[] ep = r.rows().stream().mapToDouble(row -> row.epoch() + 1).toArray();
        String title = String.format(Locale.ROOT, "engine vs DL4J: %s, %s, batch %d, N=%,d, nX=%d, nY=%d",
                TrainFigures.compact(optimizer), DtypeConverter.name(data.dtype), config.batchFor(nTrain), nTrain, d.inputs(), d.outputs());
        var losses = Plots.lines(title, "epoch", "training MSE (mean of batch losses)", List.of(
                new Plots.Curve("engine", ep, r.rows().stream().mapToDouble(Comparison.Row::engineLoss).toArray()),
                new Plots.Curve("DL4J " + r.mapping().description(), ep, r.rows().stream().mapToDouble(Comparison.Row::dl4jLoss).toArray())),
                true, 1e-300);
        var deltas = Plots.lines("parameter difference engine − DL4J per epoch (exact zeros drawn at 1e-17)", "epoch",
                "max |Δ| (log scale)", List.of(
                new Plots.Curve("max |ΔW|", ep, r.rows().stream().mapToDouble(Comparison.Row::maxAbsDw).toArray()),
                new Plots.Curve("max |ΔB|", ep, r.rows().stream().mapToDouble(Comparison.Row::maxAbsDb).toArray())),
                true, 1e-17);
        for (var chart : List.of(losses, deltas)) { // legends below the plots: no line hidden behind them
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        }
        Plots.savePngStack(List.of(losses, deltas), dir.resolve("compare.png"));
    }
}
