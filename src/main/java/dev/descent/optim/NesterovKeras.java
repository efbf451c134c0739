package dev.descent.optim;

/**
 * Nesterov momentum (Nesterov 1983; Sutskever et al. 2013) in the Keras form, which is DL4J's
 * {@code Nesterovs} updater: {@code v ← μv − lr_t·g,  θ ← θ − μ·v_old + (1+μ)·v}. Substituting v
 * gives Keras' {@code θ ← θ + μv − lr_t·g}, which is what is computed (no copy of v_old needed).
 * Stable on a quadratic for lr·λmax &lt; 2(1+μ)/(1+2μ).
 */
public final class NesterovKeras extends AbstractOptimizer {
    private static final int V = Arithmetic.STATE;

    public NesterovKeras(Schedule schedule, double momentum) {
        super(schedule, 1, momentum, "momentum", "nesterov-keras");
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        kerasVelocity(a, V);                                               // v ← μv − lr·g
        a.axpy(Coefficient.MU, V, Arithmetic.THETA);                       // θ ← θ + μv
        a.axpy(Coefficient.MINUS_RATE, Arithmetic.GRAD, Arithmetic.THETA); //       − lr·g
    }

    @Override
    public Optimizer copy() {
        return new NesterovKeras(schedule, momentum);
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / ((1 + 2 * momentum) * lambdaMax);
    }
}
