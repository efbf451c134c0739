package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nesterov momentum (Nesterov 1983; Sutskever et al. 2013) in the Keras form, which is DL4J's
 * {@code Nesterovs} updater: {@code v ← μv − lr_t·g,  θ ← θ − μ·v_old + (1+μ)·v}. Substituting v
 * gives Keras' {@code θ ← θ + μv − lr_t·g}, which is what is computed (no copy of v_old needed).
 * Stable on a quadratic for lr·λmax &lt; 2(1+μ)/(1+2μ).
 */
public final class NesterovKeras extends AbstractOptimizer {
    private final double momentum;

    public NesterovKeras(Schedule schedule, double momentum) {
        super(schedule, 1);
        this.momentum = requireMomentum(momentum, "momentum");
    }

    public double momentum() {
        return momentum;
    }

    @Override
    public void step(INDArray params, INDArray grad, long t, int epoch) {
        INDArray v = state(0, params);
        double lr = schedule.rate(t, epoch);
        kerasVelocity(v, grad, momentum, lr); // v ← μv − lr·g
        blas.axpy(momentum, v, params); // θ ← θ + μv
        blas.axpy(-lr, grad, params);   //       − lr·g
        fresh = false;
    }

    @Override
    public Optimizer copy() {
        return new NesterovKeras(schedule, momentum);
    }

    @Override
    public String name() {
        return "nesterov-keras";
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return Map.of("momentum", momentum);
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / ((1 + 2 * momentum) * lambdaMax);
    }
}
