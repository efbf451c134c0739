package dev.descent.optim;

/**
 * Plain gradient descent / SGD: {@code θ ← θ − lr_t·g}. DL4J's {@code Sgd} updater, PyTorch's
 * {@code SGD(momentum=0)} and Keras' {@code SGD(momentum=0)} are this. On a quadratic with Hessian
 * eigenvalues up to λmax it is stable for lr &lt; 2/λmax and monotone for lr ≤ 1/λmax.
 */
public final class Sgd extends AbstractOptimizer {

    public Sgd(Schedule schedule) {
        super(schedule, 0, 0, "momentum", "sgd");
    }

    public Sgd(double lr) {
        this(new Schedule.Constant(lr));
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        a.axpy(Coefficient.MINUS_RATE, Arithmetic.GRAD, Arithmetic.THETA); // θ ← θ − lr·g
    }

    @Override
    public Optimizer copy() {
        return new Sgd(schedule);
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2.0 / lambdaMax;
    }
}
