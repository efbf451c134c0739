package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nesterov momentum in PyTorch's form ({@code torch.optim.SGD(momentum=μ, dampening=τ, nesterov=True)}):
 * {@code b ← μb + (1−τ)g} ({@code b₁ = g}), then {@code θ ← θ − lr_t·(g + μb)}. At a constant rate and
 * τ = 0 it gives the same iterates as {@link NesterovKeras}; under a schedule they differ.
 */
public final class NesterovTorch extends AbstractOptimizer {
    private final double momentum;
    private final double dampening;

    public NesterovTorch(Schedule schedule, double momentum, double dampening) {
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
        double lr = schedule.rate(t, epoch);
        torchBuffer(b, grad, momentum, dampening); // b ← μb + (1−τ)g, b₁ = g
        blas.axpy(-lr, grad, params);           // θ ← θ − lr·g
        blas.axpy(-lr * momentum, b, params);   //       − lr·μ·b
    }

    @Override
    public Optimizer copy() {
        return new NesterovTorch(schedule, momentum, dampening);
    }

    @Override
    public String name() {
        return "nesterov-torch";
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return orderedPair("momentum", momentum, "dampening", dampening);
    }

    /** Known in closed form for τ = 0 (then it is the Keras form); NaN otherwise. */
    @Override
    public double criticalRate(double lambdaMax) {
        return dampening == 0 ? 2 * (1 + momentum) / ((1 + 2 * momentum) * lambdaMax) : Double.NaN;
    }
}
