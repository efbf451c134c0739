package dev.descent.sweep;

import dev.descent.optim.Schedule;

/**
 * The update rules of {@link dev.descent.optim} applied column by column with a learning rate and a
 * momentum per column (each model owns its columns of θ). The arithmetic mirrors the single-model
 * optimizers' BLAS calls (scal as a product, axpy as a fused multiply-add), on float64 arrays, so a
 * model's sweep result equals its single run to rounding.
 */
final class ColumnOptimizer {
    private final String form;
    private final double dampening;
    private final Schedule schedule;
    private final double[] lr;
    private final double[] mu;
    private final double[] state;
    private final boolean[] fresh;
    private final int cols;

    /**
     * @param lr base learning rate per column (the schedule's shape scales it)
     * @param mu momentum per column
     */
    ColumnOptimizer(String form, Schedule schedule, double dampening, double[] lr, double[] mu, int rows) {
        this.form = form;
        this.schedule = schedule;
        this.dampening = dampening;
        this.lr = lr.clone();
        this.mu = mu.clone();
        this.cols = lr.length;
        this.state = new double[rows * cols];
        this.fresh = new boolean[cols];
        java.util.Arrays.fill(fresh, true);
    }

    /** Freezes column c: rate 0 and state cleared (θ is zeroed by the caller). */
    void freeze(int c) {
        lr[c] = 0;
        for (int i = c; i < state.length; i += cols) {
            state[i] = 0;
        }
    }

    boolean stateFinite(int c) {
        for (int i = c; i < state.length; i += cols) {
            if (!Double.isFinite(state[i])) {
                return false;
            }
        }
        return true;
    }

    /** One step on θ (modified) with gradient g (not modified), both row-major rows×cols. */
    void step(double[] th, double[] g, long t, int epoch) {
        double shape = schedule.rate(t, epoch) / schedule.initial();
        int n = th.length;
        switch (form) {
            case "sgd" -> {
                for (int i = 0; i < n; i++) {
                    th[i] = Math.fma(-lr[i % cols] * shape, g[i], th[i]);
                }
            }
            case "ema" -> {
                for (int i = 0; i < n; i++) {
                    int c = i % cols;
                    double a = state[i] * mu[c];
                    a = Math.fma(1 - mu[c], g[i], a);
                    state[i] = a;
                    th[i] = Math.fma(-lr[c] * shape, a, th[i]);
                }
            }
            case "momentum-keras" -> {
                for (int i = 0; i < n; i++) {
                    int c = i % cols;
                    double v = Math.fma(-lr[c] * shape, g[i], state[i] * mu[c]);
                    state[i] = v;
                    th[i] = Math.fma(1, v, th[i]);
                }
            }
            case "nesterov-keras" -> {
                for (int i = 0; i < n; i++) {
                    int c = i % cols;
                    double l = lr[c] * shape;
                    double v = Math.fma(-l, g[i], state[i] * mu[c]);
                    state[i] = v;
                    th[i] = Math.fma(-l, g[i], Math.fma(mu[c], v, th[i]));
                }
            }
            case "momentum-torch", "nesterov-torch" -> {
                boolean nesterov = form.equals("nesterov-torch");
                for (int i = 0; i < n; i++) {
                    int c = i % cols;
                    double b = fresh[c] ? g[i] : Math.fma(1 - dampening, g[i], state[i] * mu[c]);
                    state[i] = b;
                    double l = lr[c] * shape;
                    th[i] = nesterov ? Math.fma(-l * mu[c], b, Math.fma(-l, g[i], th[i])) : Math.fma(-l, b, th[i]);
                }
                java.util.Arrays.fill(fresh, false);
            }
            default -> throw new IllegalArgumentException("unknown optimizer '" + form + "'");
        }
    }
}
