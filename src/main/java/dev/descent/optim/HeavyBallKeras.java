package dev.descent.optim;

/**
 * Polyak's heavy ball (1964) in the Keras form, {@code v ← μv − lr_t·g,  θ ← θ + v}, v starting at 0
 * (Keras {@code SGD(momentum=μ, nesterov=False)}). The learning rate sits inside the velocity, so a
 * schedule changes only the newest gradient's weight. Stable on a quadratic for lr·λmax &lt; 2(1+μ).
 */
public final class HeavyBallKeras extends AbstractOptimizer {
    private static final int V = Arithmetic.STATE;

    public HeavyBallKeras(Schedule schedule, double momentum) {
        super(schedule, 1, momentum, "momentum", "momentum-keras");
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        kerasVelocity(a, V);                               // v ← μv − lr·g
        a.axpy(Coefficient.ONE, V, Arithmetic.THETA);       // θ ← θ + v
    }

    @Override
    public Optimizer copy() {
        return new HeavyBallKeras(schedule, momentum);
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / lambdaMax;
    }
}
