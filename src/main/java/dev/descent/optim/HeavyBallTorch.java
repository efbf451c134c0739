package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heavy ball in PyTorch's form ({@code torch.optim.SGD(momentum=μ, dampening=τ, nesterov=False)}):
 * {@code b ← μb + (1−τ)g} with {@code b₁ = g} on the first step, then {@code θ ← θ − lr_t·b}.
 * The learning rate multiplies the whole buffer, so under a schedule it rescales past gradients too:
 * that is where it parts from the Keras form, with which it agrees at a constant rate and τ = 0.
 */
public final class HeavyBallTorch extends AbstractOptimizer {
    private final double momentum;
    private final double dampening;

    public HeavyBallTorch(Schedule schedule, double momentum, double dampening) {
        super(schedule, 1);
        this.momentum = requireMomentum(momentum, "momentum");
        this.dampening = requireMomentum(dampening, "dampening");
    }

    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    @Override
    public void step(INDArray params, INDArray grad, long t, int epoch) {
        INDArray b = state(0, params);
        torchBuffer(b, grad, momentum, dampening);      // b ← μb + (1−τ)g, b₁ = g
        blas.axpy(-schedule.rate(t, epoch), b, params); // θ ← θ − lr·b
    }

    @Override
    public Optimizer copy() {
        return new HeavyBallTorch(schedule, momentum, dampening);
    }

    @Override
    public String name() {
        return "momentum-torch";
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return orderedPair("momentum", momentum, "dampening", dampening);
    }

    /** After the first step it is Keras' form with lr' = lr(1−τ): stable for lr(1−τ)λmax &lt; 2(1+μ). */
    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / ((1 - dampening) * lambdaMax);
    }
}
