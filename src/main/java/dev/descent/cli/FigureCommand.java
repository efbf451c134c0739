package dev.descent.cli;

import dev.descent.data.RandomState;
import dev.descent.report.Plots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code descent figure ema}: the moving average of a noisy gradient, as in the seed article. */
@Command(name = "figure", header = "Explanatory figures (ema: a moving average of a noisy gradient).",
        description = "Draws explanatory figures. ema: a 1-D Gaussian random walk (a stand-in for a noisy gradient component) and its exponential moving average ⟨g⟩ ← β⟨g⟩ + (1−β)g, ⟨g⟩₀ = 0, for each --beta.")
final class FigureCommand extends DescentCommand {

    @Parameters(index = "0", paramLabel = "ema", description = "The figure (ema).")
    String which;

    @Option(names = "--steps", description = "Steps of the walk (default: ${DEFAULT-VALUE}).")
    int steps = 300;

    @Option(names = "--beta", description = "β values, repeat for several (default: 0.9 and 0.98).")
    List<Double> betas = new ArrayList<>();

    @Option(names = "--seed", description = "numpy RandomState seed of the walk (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        if (!which.equals("ema")) {
            throw new IllegalArgumentException("unknown figure '" + which + "'; expected ema");
        }
        if (steps < 2 || steps > 1_000_000) {
            throw new IllegalArgumentException("--steps must be in [2, 1000000], got " + steps);
        }
        List<Double> bs = betas.isEmpty() ? List.of(0.9, 0.98) : betas;
        for (double b : bs) {
            if (!(b >= 0 && b < 1)) {
                throw new IllegalArgumentException("--beta must be in [0, 1), got " + b);
            }
        }
        Path dir = output.create("figure");
        RandomState rs = new RandomState(seed);
        double[] t = new double[steps];
        double[] g = new double[steps];
        double walk = 0;
        for (int i = 0; i < steps; i++) {
            walk += rs.standardNormal();
            t[i] = i + 1;
            g[i] = walk;
        }
        List<Plots.Curve> curves = new ArrayList<>();
        curves.add(new Plots.Curve("g: Gaussian random walk (seed " + seed + ")", t, g));
        for (double b : bs) {
            double[] avg = new double[steps];
            double a = 0;
            for (int i = 0; i < steps; i++) {
                a = b * a + (1 - b) * g[i];
                avg[i] = a;
            }
            curves.add(new Plots.Curve(String.format(Locale.ROOT, "⟨g⟩ with β = %.3g", b), t, avg));
        }
        var chart = Plots.lines("exponential moving average of a noisy signal: ⟨g⟩ ← β⟨g⟩ + (1−β)g, ⟨g⟩₀ = 0",
                "step t", "value (arbitrary units)", curves, false, 0);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisMin(0.0); // ticks at round steps from 0, not from the first step
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Plots.savePng(chart, dir.resolve("ema.png"));
        Plots.saveStack(List.of(Plots.Panel.of(chart)), dir.resolve("ema.svg"), true);
        out().println("wrote " + dir.resolve("ema.png") + " and ema.svg");
        out().flush();
        return ExitCodes.OK;
    }
}
