package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingListener;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import dev.descent.report.Plots;
import dev.descent.report.TrainingFigures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent surface}: several learning rates' trajectories on one loss surface, as the seed articles draw them. */
@Command(name = "surface", header = "Trajectories of several learning rates on one loss surface.",
        description = "Trains a one-feature, one-output model from the same start once per --lr and draws every trajectory"
                + " (W, B after each epoch) on the MSE surface over (w, b), over the ranges given or fitted to the paths."
                + " Writes surface.png and surface.svg.")
final class SurfaceCommand extends DataCommand {

    @Option(names = "--lr", split = ",", required = true, paramLabel = "RATE", description = "Learning rates, one trajectory each.")
    List<Double> rates;

    @Option(names = {"-o", "--optimizer"}, description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer = "sgd";

    @Option(names = {"-m", "--momentum"}, description = "Momentum of the momentum forms (default: ${DEFAULT-VALUE}).")
    double momentum = 0;

    @Option(names = {"-b", "--batch-size"}, description = "Rows per batch; 0 = full batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 0;

    @Option(names = {"-e", "--epochs"}, description = "Epochs per trajectory (default: ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--init-w", description = "Starting slope (default: ${DEFAULT-VALUE}).")
    double initW = 0;

    @Option(names = "--init-b", description = "Starting intercept (default: ${DEFAULT-VALUE}).")
    double initB = 0;

    @Option(names = "--w-range", paramLabel = "FROM:TO", description = "Slope range drawn (default: fitted to the paths).")
    String wRange;

    @Option(names = "--b-range", paramLabel = "FROM:TO", description = "Intercept range drawn (default: fitted to the paths).")
    String bRange;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = out();
        double[] wr = range(wRange, "--w-range");
        double[] br = range(bRange, "--b-range");
        Optimizers.canonical(optimizer);
        for (double lr : rates) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr values must be finite numbers > 0, got " + lr);
            }
        }
        data.validate();
        Path dir = output.create("surface");
        DataOptions.Prepared d = data.prepare();
        if (d.inputs() != 1 || d.outputs() != 1) {
            throw new IllegalArgumentException("surface draws one feature and one output; the data has nX=" + d.inputs() + ", nY="
                    + d.outputs());
        }
        Dataset train = d.train();
        Trainer.Config config = new Trainer.Config(batchSize, epochs, batchSize != 0, false, 0, 1e12,
                dev.descent.data.Seeds.shuffle(data.seed), dev.descent.engine.KernelKind.AUTO, false);
        LinearModel start = new LinearModel(Nd4j.createFromArray(new double[][] {{initW}}).castTo(train.dataType()),
                Nd4j.createFromArray(initB).castTo(train.dataType()));
        List<List<LinearModel>> runs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (double lr : rates) {
            List<LinearModel> path = new ArrayList<>(List.of(start));
            var result = new Trainer(Optimizers.create(optimizer, new Schedule.Constant(lr), momentum, 0), config).train(train, null,
                    start, new TrainingListener() {
                        @Override
                        public boolean wantsModel() {
                            return true;
                        }

                        @Override
                        public void onEpochModel(int epoch, LinearModel model) {
                            path.add(model);
                        }
                    });
            runs.add(path);
            String label = "lr " + dev.descent.report.Ticks.label(lr);
            labels.add(label);
            LinearModel end = result.model();
            o.printf(Locale.ROOT, "%s: %d epochs, w = %.6g, b = %.6g, train MSE %.6g%s%n", label, result.history().size(),
                    end.weights().getDouble(0, 0), end.bias().getDouble(0), end.mse(train.x(), train.y()),
                    result.message() == null ? "" : "  (" + result.message() + ")");
        }
        String units = d.scaled() ? "scaled units" : "data units";
        String title = String.format(Locale.ROOT, "MSE over (w, b): %s, %s, batch %s, %d epochs from (%s, %s)",
                d.record().get("source"), optimizer, batchSize == 0 ? "full" : String.valueOf(batchSize), epochs,
                dev.descent.report.Ticks.label(initW), dev.descent.report.Ticks.label(initB));
        var map = TrainingFigures.trajectories(title, units, train.x(), train.y(), runs, labels, wr, br);
        List<Plots.Panel> panels = List.of(Plots.Panel.of(map, 900, 600));
        Plots.saveStack(panels, dir.resolve("surface.png"), false);
        Plots.saveStack(panels, dir.resolve("surface.svg"), true);
        o.println("wrote " + dir.resolve("surface.png") + " and surface.svg");
        o.flush();
        return ExitCodes.OK;
    }

    private static double[] range(String spec, String option) {
        if (spec == null) {
            return null;
        }
        String[] p = spec.split(":");
        try {
            if (p.length == 2) {
                double a = Double.parseDouble(p[0]);
                double b = Double.parseDouble(p[1]);
                if (Double.isFinite(a) && Double.isFinite(b) && a < b) {
                    return new double[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be FROM:TO with FROM < TO, got '" + spec + "'");
    }
}
