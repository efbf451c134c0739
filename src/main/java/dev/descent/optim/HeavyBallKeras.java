package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Polyak's heavy ball (1964) in the Keras form, {@code v ← μv − lr_t·g,  θ ← θ + v}, v starting at 0
 * (Keras {@code SGD(momentum=μ, nesterov=False)}). The learning rate sits inside the velocity, so a
 * schedule changes only the newest gradient's weight. Stable on a quadratic for lr·λmax &lt; 2(1+μ).
 */
public final class HeavyBallKeras extends AbstractOptimizer {
    private final double momentum;

    public HeavyBallKeras(Schedule schedule, double momentum) {
        super(schedule, 1);
        this.momentum = requireMomentum(momentum, "momentum");
    }

    public double momentum() {
        return momentum;
    }

    @Override
    public void step(INDArray params, INDArray grad, long t, int epoch) {
        INDArray v = state(0, params);
        kerasVelocity(v, grad, momentum, schedule.rate(t, epoch)); // v ← μv − lr·g
        blas.axpy(1, v, params);                         // θ ← θ + v
        fresh = false;
    }

    @Override
    public Optimizer copy() {
        return new HeavyBallKeras(schedule, momentum);
    }

    @Override
    public String name() {
        return "momentum-keras";
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return Map.of("momentum", momentum);
    }

    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / lambdaMax;
    }
}
