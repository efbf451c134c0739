package dev.descent.optim;

/**
 * SGD with an exponential moving average of the gradient:
 * {@code ⟨g⟩ ← β⟨g⟩ + (1−β)g,  θ ← θ − λ_t⟨g⟩}, with ⟨g⟩ starting at 0, so a constant gradient
 * gives ⟨g⟩_t = (1−β^t)·g. At a constant rate this is exactly Keras' heavy-ball form with
 * {@code lr = λ(1−β), momentum = β} (see {@link HeavyBallKeras}); it is PyTorch's form with
 * {@code dampening = β} except on the first step, where PyTorch takes the whole gradient.
 */
public final class EmaMomentum extends AbstractOptimizer {
    private static final int AVG = Arithmetic.STATE;

    public EmaMomentum(Schedule schedule, double beta) {
        super(schedule, 1, beta, "momentum β", "ema");
    }

    public double beta() {
        return momentum;
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        a.scal(Coefficient.MU, AVG);                                // ⟨g⟩ ← β⟨g⟩
        a.axpy(Coefficient.ONE_MINUS_MU, Arithmetic.GRAD, AVG);     //      + (1−β)g
        a.axpy(Coefficient.MINUS_RATE, AVG, Arithmetic.THETA);      // θ ← θ − λ⟨g⟩
    }

    @Override
    public Optimizer copy() {
        return new EmaMomentum(schedule, momentum);
    }

    /** Heavy ball with lr = λ(1−β) is stable for lr·λmax &lt; 2(1+β). */
    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / ((1 - momentum) * lambdaMax);
    }
}
