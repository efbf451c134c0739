package dev.descent.optim;

/**
 * A number an update rule multiplies by: {@code constant · [rate_t] · [μ or 1−μ]}. It is evaluated
 * per column of θ, because in a sweep each model's columns have their own rate and momentum; one model
 * has the same rate and momentum in every column. The product is formed in that order, so that for one
 * model it is the very double the rule's formula gives ({@code −1·lr} is {@code −lr}, {@code (−1·lr)·μ} is
 * {@code −lr·μ}).
 *
 * @param constant the factor that depends on neither (−1, 1, or 1 − dampening)
 * @param rate whether the learning rate at step t is a factor
 * @param momentum which momentum factor: none, μ, or 1 − μ
 */
record Coefficient(double constant, boolean rate, Momentum momentum) {

    enum Momentum { NONE, MU, ONE_MINUS_MU }

    /** The constant c. */
    static Coefficient of(double c) {
        return new Coefficient(c, false, Momentum.NONE);
    }

    /** 1. */
    static final Coefficient ONE = of(1);
    /** μ. */
    static final Coefficient MU = new Coefficient(1, false, Momentum.MU);
    /** 1 − μ. */
    static final Coefficient ONE_MINUS_MU = new Coefficient(1, false, Momentum.ONE_MINUS_MU);
    /** −lr_t. */
    static final Coefficient MINUS_RATE = new Coefficient(-1, true, Momentum.NONE);
    /** −lr_t·μ. */
    static final Coefficient MINUS_RATE_MU = new Coefficient(-1, true, Momentum.MU);

    /** The value for a column with learning rate {@code lr} (at this step) and momentum {@code mu}. */
    double value(double lr, double mu) {
        double v = constant;
        if (rate) {
            v *= lr;
        }
        return switch (momentum) {
            case NONE -> v;
            case MU -> v * mu;
            case ONE_MINUS_MU -> v * (1 - mu);
        };
    }
}
