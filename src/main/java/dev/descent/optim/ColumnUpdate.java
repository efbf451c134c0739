package dev.descent.optim;

import java.util.Arrays;

/**
 * An optimizer's rule run on K models at once: θ is a row-major rows×cols matrix in which each model
 * owns some columns, and each column has its own learning rate and momentum. The rule is the very code
 * a single model runs ({@link AbstractOptimizer#update}); here each operation is a loop over the matrix,
 * in float64, with a fused multiply-add per element as BLAS's axpy has on this CPU, so a model of a
 * sweep ends equal to its own run to rounding. No allocation per step.
 */
public final class ColumnUpdate implements Arithmetic {
    private final AbstractOptimizer rule;
    private final double[] lr;
    private final double[] mu;
    private final int cols;
    private final double[][] slots;
    private final double[] rate;
    private final double[] k;
    private boolean fresh = true;

    /**
     * @param form the rule and its schedule (its own momentum is not used: each column has its own);
     *     the schedule's rate divided by its initial rate scales every column's rate
     * @param lr the learning rate of each column at the schedule's start
     * @param mu the momentum of each column
     * @param rows rows of θ
     * @throws IllegalArgumentException when form is not one of descent's optimizers, the lengths differ, or a rate
     *     or a momentum is out of range (rates finite and > 0, momenta in [0, 1))
     */
    public ColumnUpdate(Optimizer form, double[] lr, double[] mu, int rows) {
        if (!(form instanceof AbstractOptimizer a)) {
            throw new IllegalArgumentException("no column form for optimizer " + form.name());
        }
        if (lr.length != mu.length) {
            throw new IllegalArgumentException(lr.length + " rates but " + mu.length + " momenta");
        }
        for (int c = 0; c < lr.length; c++) {
            Schedule.requirePositive(lr[c], "learning rate");
            AbstractOptimizer.requireMomentum(mu[c], "momentum");
        }
        this.rule = a;
        this.lr = lr.clone();
        this.mu = mu.clone();
        this.cols = lr.length;
        this.slots = new double[STATE + a.stateCount()][];
        for (int i = STATE; i < slots.length; i++) {
            slots[i] = new double[rows * cols];
        }
        this.rate = new double[cols];
        this.k = new double[cols];
    }

    /** One step on θ (modified) with gradient g (not modified), both row-major rows×cols. */
    public void step(double[] theta, double[] g, long t, int epoch) {
        Schedule s = rule.schedule();
        double shape = s.rate(t, epoch) / s.initial();
        for (int c = 0; c < cols; c++) {
            rate[c] = lr[c] * shape;
        }
        slots[THETA] = theta;
        slots[GRAD] = g;
        rule.update(this, fresh);
        fresh = false;
        slots[THETA] = null;
        slots[GRAD] = null;
    }

    /** Freezes column c: rate 0 and state cleared (θ's column is the caller's to reset). */
    public void freeze(int c) {
        lr[c] = 0;
        for (int i = STATE; i < slots.length; i++) {
            for (int j = c; j < slots[i].length; j += cols) {
                slots[i][j] = 0;
            }
        }
    }

    /** Whether column c's optimizer state is finite. */
    public boolean stateFinite(int c) {
        for (int i = STATE; i < slots.length; i++) {
            for (int j = c; j < slots[i].length; j += cols) {
                if (!Double.isFinite(slots[i][j])) {
                    return false;
                }
            }
        }
        return true;
    }

    private double[] coefficients(Coefficient a) {
        for (int c = 0; c < cols; c++) {
            k[c] = a.value(rate[c], mu[c]);
        }
        return k;
    }

    @Override
    public void axpy(Coefficient a, int x, int y) {
        double[] kc = coefficients(a);
        double[] xs = slots[x];
        double[] ys = slots[y];
        for (int row = 0; row < xs.length; row += cols) {
            for (int c = 0; c < cols; c++) {
                ys[row + c] = Math.fma(kc[c], xs[row + c], ys[row + c]);
            }
        }
    }

    @Override
    public void scal(Coefficient a, int x) {
        double[] kc = coefficients(a);
        double[] xs = slots[x];
        for (int row = 0; row < xs.length; row += cols) {
            for (int c = 0; c < cols; c++) {
                xs[row + c] *= kc[c];
            }
        }
    }

    @Override
    public void copy(int x, int y) {
        System.arraycopy(slots[x], 0, slots[y], 0, slots[x].length);
    }

    @Override
    public String toString() {
        return rule.name() + " over " + cols + " columns, rates " + Arrays.toString(lr);
    }
}
