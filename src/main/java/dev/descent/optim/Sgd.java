package dev.descent.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain gradient descent / SGD: {@code θ ← θ − lr_t·g}. DL4J's {@code Sgd} updater, PyTorch's
 * {@code SGD(momentum=0)} and Keras' {@code SGD(momentum=0)} are this. On a quadratic with Hessian
 * eigenvalues up to λmax it is stable for lr &lt; 2/λmax and monotone for lr ≤ 1/λmax.
 */
public final class Sgd extends AbstractOptimizer {

    public Sgd(Schedule schedule) {
        super(schedule, 0);
    }

    public Sgd(double lr) {
        this(new Schedule.Constant(lr));
    }

    @Override
    public void step(INDArray params, INDArray grad, long t, int epoch) {
        blas.axpy(-schedule.rate(t, epoch), grad, params); // θ ← θ − lr·g
        fresh = false;
    }

    @Override
    public Optimizer copy() {
        return new Sgd(schedule);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2.0 / lambdaMax;
    }
}
