package dev.descent.optim;

/**
 * Nesterov momentum in PyTorch's form ({@code torch.optim.SGD(momentum=μ, dampening=τ, nesterov=True)}):
 * {@code b ← μb + (1−τ)g} ({@code b₁ = g}), then {@code θ ← θ − lr_t·(g + μb)}. At a constant rate and
 * τ = 0 it gives the same iterates as {@link NesterovKeras}; under a schedule they differ.
 */
public final class NesterovTorch extends TorchMomentum {

    public NesterovTorch(Schedule schedule, double momentum, double dampening) {
        super(schedule, momentum, dampening, "nesterov-torch");
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        buffer(a, fresh);                        // b ← μb + (1−τ)g, b₁ = g
        a.axpy(Coefficient.MINUS_RATE, Arithmetic.GRAD, Arithmetic.THETA);  // θ ← θ − lr·g
        a.axpy(Coefficient.MINUS_RATE_MU, B, Arithmetic.THETA);             //       − lr·μ·b
    }

    @Override
    public Optimizer copy() {
        return new NesterovTorch(schedule, momentum, dampening);
    }

    /** Known in closed form for τ = 0 (then it is the Keras form); NaN otherwise. */
    @Override
    public double criticalRate(double lambdaMax) {
        return dampening == 0 ? 2 * (1 + momentum) / ((1 + 2 * momentum) * lambdaMax) : Double.NaN;
    }
}
