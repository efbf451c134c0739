package dev.descent.analysis;

import dev.descent.data.Dataset;
import dev.descent.model.NormalEquations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step sizes from the Hessian's extreme eigenvalues λmin, λmax (κ = λmax/λmin). On the quadratic MSE, full
 * batch, constant rate:
 * <ul>
 *   <li>GD is monotone (no overshoot along any eigenvector) for lr ≤ 1/λmax and stable for lr &lt; 2/λmax;</li>
 *   <li>the best constant GD step is 2/(λmax+λmin), contracting by (κ−1)/(κ+1) per step;</li>
 *   <li>Polyak's (1964) heavy-ball optimum, in the Keras form v ← μv − lr·g, θ ← θ + v, is
 *       lr = 4/(√λmax+√λmin)², μ = ((√κ−1)/(√κ+1))², contracting by (√κ−1)/(√κ+1);
 *       in the EMA form the same method is λ = lr/(1−μ), β = μ.</li>
 * </ul>
 */
public record StepSizes(double lambdaMin, double lambdaMax, double[] eigenvalues) {

    /** From a dataset (one float64 pass over X, then the eigenvalues of the (nX+1)² Hessian). */
    public static StepSizes of(Dataset d) {
        return of(NormalEquations.of(d.x(), d.y()));
    }

    /** From normal equations already accumulated (over a streamed file, say). */
    public static StepSizes of(NormalEquations ne) {
        double[] ev = ne.hessianEigenvalues();
        return new StepSizes(ev[0], ev[ev.length - 1], ev);
    }

    /** From known Hessian eigenvalues (ascending not required). */
    public static StepSizes of(double... eigenvalues) {
        double[] ev = eigenvalues.clone();
        java.util.Arrays.sort(ev);
        return new StepSizes(ev[0], ev[ev.length - 1], ev);
    }

    public double condition() {
        return lambdaMax / lambdaMin;
    }

    /** lr ≤ 1/λmax: every eigen-direction decays without changing sign. */
    public double monotoneBound() {
        return 1 / lambdaMax;
    }

    /** lr &lt; 2/λmax: GD converges (the stability limit; seed 000 calls 1/λmax its critical λc, see {@link #monotoneBound}). */
    public double stabilityBound() {
        return 2 / lambdaMax;
    }

    /** 2/(λmax+λmin): the constant GD step with the fastest worst-case contraction. */
    public double bestGdStep() {
        return 2 / (lambdaMax + lambdaMin);
    }

    /** Polyak's heavy-ball learning rate (Keras form). */
    public double heavyBallRate() {
        double s = Math.sqrt(lambdaMax) + Math.sqrt(lambdaMin);
        return 4 / (s * s);
    }

    /** Polyak's heavy-ball momentum. */
    public double heavyBallMomentum() {
        double r = Math.sqrt(condition());
        double q = (r - 1) / (r + 1);
        return q * q;
    }

    /** For reports: every number with the parametrization it is in. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambda_min", lambdaMin);
        m.put("lambda_max", lambdaMax);
        m.put("condition_number", condition());
        m.put("gd_monotone_bound_lr", monotoneBound());
        m.put("gd_stability_bound_lr", stabilityBound());
        m.put("gd_best_constant_lr", bestGdStep());
        m.put("heavy_ball_keras_lr", heavyBallRate());
        m.put("heavy_ball_momentum", heavyBallMomentum());
        m.put("heavy_ball_ema_lambda", heavyBallRate() / (1 - heavyBallMomentum()));
        return m;
    }
}
