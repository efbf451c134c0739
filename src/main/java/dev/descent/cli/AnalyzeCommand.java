package dev.descent.cli;

import dev.descent.analysis.StepSizes;
import dev.descent.model.NormalEquations;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code descent analyze}: the MSE Hessian's spectrum and the step sizes that follow. */
@Command(name = "analyze", header = "The MSE Hessian's spectrum and the step sizes that follow.",
        description = "Computes the Hessian of the MSE, H = (2/(N·m))·[X 1]ᵀ[X 1] (the same for every output), its eigenvalues, condition number, and the step sizes that follow, each named with the parametrization it is in.")
final class AnalyzeCommand extends DataCommand {

    @picocli.CommandLine.Option(names = {"-m", "--momentum"},
            description = "μ (β for ema) at which each momentum form's stable rate is printed (default: ${DEFAULT-VALUE}).")
    double momentum = 0.9;

    @picocli.CommandLine.Option(names = "--dampening", description = "τ for momentum-torch (default: ${DEFAULT-VALUE}).")
    double dampening = 0.0;

    /** Eigenvalues listed one by one up to this many; beyond, a summary. */
    static final int LISTED = 24;

    private static final java.util.Map<String, String> BOUNDS = java.util.Map.of(
            "ema", "λ < 2(1+β)/((1−β)·λmax)",
            "momentum-keras", "lr < 2(1+μ)/λmax",
            "momentum-torch", "lr·(1−τ) < 2(1+μ)/λmax",
            "nesterov-keras", "lr < 2(1+μ)/((1+2μ)·λmax)",
            "nesterov-torch", "lr < 2(1+μ)/((1+2μ)·λmax)");

    /** All eigenvalues when there are few; else the smallest and largest five and the quartiles. */
    static String eigenvalues(double[] ev) {
        if (ev.length <= LISTED) {
            return "eigenvalues: " + java.util.Arrays.toString(ev);
        }
        int n = ev.length;
        return String.format(Locale.ROOT, "eigenvalues (%d, ascending): smallest %s, quartiles %.6g / %.6g / %.6g, largest %s", n,
                six(java.util.Arrays.copyOfRange(ev, 0, 5)), ev[n / 4], ev[n / 2], ev[3 * n / 4],
                six(java.util.Arrays.copyOfRange(ev, n - 5, n)));
    }

    private static String six(double[] v) {
        return java.util.Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.6g", x))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    @Override
    public Integer call() throws Exception {
        if (!(momentum >= 0 && momentum < 1) || !(dampening >= 0 && dampening < 1)) {
            throw new IllegalArgumentException("--momentum and --dampening must be in [0, 1), got " + momentum + " and " + dampening);
        }
        PrintWriter o = out();
        DataOptions.Prepared d = data.prepare();
        long t0 = System.nanoTime();
        NormalEquations ne = NormalEquations.of(d.train().x(), d.train().y());
        long t1 = System.nanoTime();
        StepSizes s = StepSizes.of(ne.hessianEigenvalues());
        long t2 = System.nanoTime();
        double[] ev = s.eigenvalues();
        o.printf(Locale.ROOT, "data: %s  %,d training rows  nX=%d  nY=%d%n", d.record().get("source"), d.train().size(), d.inputs(), d.outputs());
        o.printf(Locale.ROOT, "Hessian H = (2/(N·m))·[X 1]ᵀ[X 1]: %d eigenvalues, λmin = %.6g, λmax = %.6g, condition number κ = %.6g%n",
                ev.length, s.lambdaMin(), s.lambdaMax(), s.condition());
        o.printf(Locale.ROOT, "computed in %.2f s: Gram matrix %.2f s (BLAS dsyrk, float64), eigenvalues %.2f s (LAPACK dsyevd)%n",
                (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        o.println(eigenvalues(ev));
        o.printf(Locale.ROOT, "GD (sgd, full batch, lr):           monotone for lr <= 1/λmax = %.6g; stable for lr < 2/λmax = %.6g%n",
                s.monotoneBound(), s.stabilityBound());
        o.printf(Locale.ROOT, "GD best constant step (lr):         2/(λmax+λmin) = %.6g%n", s.bestGdStep());
        o.printf(Locale.ROOT, "heavy ball, Polyak optimum:         momentum-keras lr = %.6g, μ = %.6g  (ema: λ = lr/(1−β) = %.6g, β = %.6g)%n",
                s.heavyBallRate(), s.heavyBallMomentum(), s.heavyBallRate() / (1 - s.heavyBallMomentum()), s.heavyBallMomentum());
        o.printf(Locale.ROOT, "stable rates at a constant rate, full batch, momentum %s, each in its own parametrization:%n",
                Double.toString(momentum));
        for (String name : dev.descent.optim.Optimizers.NAMES) {
            if (name.equals("sgd")) {
                continue;
            }
            double tau = name.equals("momentum-torch") ? dampening : 0;
            var form = dev.descent.optim.Optimizers.create(name, new dev.descent.optim.Schedule.Constant(1), momentum, tau);
            o.printf(Locale.ROOT, "  %-15s %s < %.6g   (%s)%n", name, name.equals("ema") ? "λ " : "lr", form.criticalRate(s.lambdaMax()),
                    BOUNDS.get(name));
        }
        o.flush();
        return ExitCodes.OK;
    }
}
