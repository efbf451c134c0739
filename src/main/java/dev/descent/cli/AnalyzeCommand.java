package dev.descent.cli;

import dev.descent.analysis.StepSizes;
import dev.descent.model.NormalEquations;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code descent analyze}: the MSE Hessian's spectrum and the step sizes that follow. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The MSE Hessian's spectrum and the step sizes that follow.",
        description = "Computes the Hessian of the MSE, H = (2/(N·m))·[X 1]ᵀ[X 1] (the same for every output), its eigenvalues, condition number, and the step sizes that follow, each named with the parametrization it is in.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
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
        if (ev.length <= 12) {
            o.println("eigenvalues: " + java.util.Arrays.toString(ev));
        }
        o.printf(Locale.ROOT, "GD (sgd, full batch, lr):           monotone for lr <= 1/λmax = %.6g; stable for lr < 2/λmax = %.6g%n",
                s.monotoneBound(), s.stabilityBound());
        o.printf(Locale.ROOT, "GD best constant step (lr):         2/(λmax+λmin) = %.6g%n", s.bestGdStep());
        o.printf(Locale.ROOT, "heavy ball, Polyak optimum:         momentum-keras lr = %.6g, μ = %.6g  (ema: λ = lr/(1−β) = %.6g, β = %.6g)%n",
                s.heavyBallRate(), s.heavyBallMomentum(), s.heavyBallRate() / (1 - s.heavyBallMomentum()), s.heavyBallMomentum());
        o.flush();
        return ExitCodes.OK;
    }
}
